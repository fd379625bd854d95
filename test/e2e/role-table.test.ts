/**
 * The role table, against real processes with authentication on (two shards, the gateway, the worker; shared
 * token file, service credential, OIDC against a local JWKS): every HTTP route of every app (taken from the apps'
 * own route metadata, so a new route is in the table the moment it exists, and one without a rule fails) x every
 * kind of caller gets the exact status its rule says: 401 without a valid credential, 403 when the role does not
 * allow it, and otherwise exactly what the admin (or, for service routes, the service credential) gets. Read
 * routes are asked with real ids (a seeded run of domain a) and their allowed callers must get a success (2xx),
 * or 404 where the caller may not read domain a and the route names one of its nodes.
 * Then: a writer of domain a cannot put one edge into domain b by any path.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { applicationRoutes, canReadDomain, decideAccess, FileTokenStore, mintToken, principalFrom, servicePrincipal, type AccessRule, type Principal, type RouteRule, type TokenRequest } from '@lineage-hub/auth';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { ShardModule } from '../../apps/shard/src/shard.module';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../../apps/worker/src/worker.config';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../apps/worker/src/testing/worker-test-kit';
import { startNode, type AppProcess } from '../testing/process-kit';

jest.setTimeout(300_000);

const ISSUER = 'https://idp.test.local';
const AUDIENCE = 'lineage-hub';
const ROUTE_SOURCES: Record<string, () => RouteRule[]> = {
  shard: () => applicationRoutes(ShardModule.forRoot(shardConfig({ storeUrl: 'sqlite::memory:' })) as never),
  gateway: () => applicationRoutes(GatewayModule.forConfig(loadGatewayConfig({})) as never),
  worker: () => applicationRoutes(WorkerModule.forRoot(loadWorkerConfig({})) as never),
};

interface Caller {
  name: string;
  header: string | null;
  /** The principal the credential stands for (null: none or not valid). */
  principal: Principal | null;
}

const event = (jobNamespace: string, outputNamespace: string) => ({
  eventType: 'COMPLETE',
  eventTime: new Date().toISOString(),
  producer: 'https://github.com/lineage-hub/tests',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: randomUUID() },
  job: { namespace: jobNamespace, name: `job_${randomBytes(3).toString('hex')}` },
  inputs: [],
  outputs: [{ namespace: outputNamespace, name: `t_${randomBytes(3).toString('hex')}` }],
});

/** Real lineage the read routes are asked about: one run of a job of domain a (created in beforeAll). */
const SEEDED = { namespace: 'a-ns', job: 'role_job', input: 'role_in', output: 'role_out', runId: randomUUID() };
const SEEDED_OUTPUT = `dataset:${SEEDED.namespace}:${SEEDED.output}`;

/**
 * Read routes asked with real ids and valid queries: the caller the rule allows gets the route's success (2xx),
 * except that a node of domain a read directly (`node: true`) is a 404 for a caller who may not read domain a
 * (redaction: existence is not confirmed). Keyed by `METHOD path` as the apps declare it (every app).
 */
const REAL_READS: Record<string, { query?: string; node?: boolean }> = {
  'GET /api/v1/namespaces': {},
  'GET /api/v1/namespaces/:namespace': {},
  'GET /api/v1/namespaces/:namespace/datasets': {},
  'GET /api/v1/namespaces/:namespace/datasets/:dataset': { node: true },
  'GET /api/v1/namespaces/:namespace/datasets/:name': { node: true },
  'GET /api/v1/namespaces/:namespace/datasets/:dataset/versions': { node: true },
  'GET /api/v1/namespaces/:namespace/datasets/:name/versions': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs': {},
  'GET /api/v1/namespaces/:namespace/jobs/:job': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs/:name': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs/:job/runs': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs/:name/runs': { node: true },
  'GET /api/v1/jobs': {},
  'GET /api/v1/tags': {},
  'GET /api/v1/search': { query: 'q=role' },
  'GET /api/v2beta/search/:index': { query: 'q=role' },
  'GET /api/v1/events/lineage': {},
  'GET /api/v1/lineage': { query: `nodeId=${encodeURIComponent(SEEDED_OUTPUT)}`, node: true },
  'GET /api/v1/impact': { query: `nodeId=${encodeURIComponent(SEEDED_OUTPUT)}`, node: true },
  'GET /api/v1/findings': {},
  'GET /api/v1/freshness-policies': {},
  'GET /api/v1/observed-writes': {},
  'GET /api/v1/tokens': {},
  'GET /api/v1/connectors': {},
  'GET /api/v1/alerts': {},
  'GET /api/v1/silences': {},
  'GET /api/v1/alert-routes': {},
  'GET /api/v1/alert-dead-letters': {},
  'GET /metrics': {},
};

/**
 * The request a route gets. Routes in REAL_READS: the seeded namespace, dataset, job and run, a valid search
 * index, and their query. The others (writes, admin changes, ids nothing seeds yet): unknown ids and
 * empty bodies, so nothing that matters changes; their allowed caller gets the handler's own answer.
 */
const concrete = (r: RouteRule) => {
  const method = r.method === 'ALL' ? 'GET' : r.method;
  const real = REAL_READS[`${method} ${r.path}`];
  const params: Record<string, string> = real
    ? { ':namespace': SEEDED.namespace, ':dataset': SEEDED.output, ':job': SEEDED.job, ':index': 'datasets', ':id': SEEDED.runId, ':name': r.path.includes('/jobs/') ? SEEDED.job : SEEDED.output }
    : {};
  const path = r.path
    .replace(/\*path$/, 'no-such-thing')
    .replace(/:[a-zA-Z]+/g, (p) => params[p] ?? (p === ':namespace' ? 'no-such-namespace' : 'no-such-id'));
  const url = real?.query ? `${path}?${real.query}` : path;
  const body = ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined;
  return { method, url, body, real };
};

describe('role table: every route of every app x every caller (real processes, auth on)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-roles-'));
  const prefix = uniquePrefix('roles');
  const procs: AppProcess[] = [];
  const base: Record<string, string> = {};
  const shardUrl: Record<string, string> = {};
  const callers: Caller[] = [];
  let admin: string;
  let serviceToken: string;
  let jwks: Server;

  beforeAll(async () => {
    const [good, stranger] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
    const jwk = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const jwt = (key: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'], aud: string, claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(aud).setSubject('someone').setIssuedAt().setExpirationTime('1h').sign(key);

    const tokensFile = path.join(dir, 'tokens.json');
    const store = new FileTokenStore(tokensFile, 0);
    const token = (request: Partial<TokenRequest> & Pick<TokenRequest, 'roles'>, tweak?: (r: ReturnType<typeof mintToken>['record']) => void) => {
      const { secret, record } = mintToken({ name: `t-${randomBytes(3).toString('hex')}`, owner: 'role-table', ...request });
      tweak?.(record);
      store.add(record);
      return { secret, record };
    };
    const add = (name: string, request: Partial<TokenRequest> & Pick<TokenRequest, 'roles'>) => {
      const { secret, record } = token(request);
      callers.push({ name, header: `Bearer ${secret}`, principal: principalFrom(`token:${record.id}`, 'token', record.roles, record.domains) });
      return secret;
    };
    callers.push({ name: 'none', header: null, principal: null });
    add('reader', { roles: ['reader'], domains: ['a'] });
    add('reader of another domain', { roles: ['reader'], domains: ['b'] });
    add('writer of the right domain', { roles: ['writer'], domains: ['a'] });
    add('writer of another domain', { roles: ['writer'], domains: ['b'] });
    add('steward', { roles: ['steward'] });
    admin = add('admin', { roles: ['admin'] });
    const expired = token({ roles: ['admin'] }, (r) => (r.expiresAt = new Date(Date.now() - 60_000).toISOString()));
    callers.push({ name: 'expired token', header: `Bearer ${expired.secret}`, principal: null });
    const revoked = token({ roles: ['admin'] });
    store.revoke(revoked.record.id);
    callers.push({ name: 'revoked token', header: `Bearer ${revoked.secret}`, principal: null });
    callers.push({ name: 'bad signature', header: `Bearer ${await jwt(stranger.privateKey, AUDIENCE, { roles: ['admin'] })}`, principal: null });
    callers.push({ name: 'wrong audience', header: `Bearer ${await jwt(good.privateKey, 'someone-else', { roles: ['admin'] })}`, principal: null });
    serviceToken = randomBytes(32).toString('base64url');
    callers.push({ name: 'service', header: `Bearer ${serviceToken}`, principal: servicePrincipal('hub') });
    callers.push({ name: 'jwt reader', header: `Bearer ${await jwt(good.privateKey, AUDIENCE, { roles: ['reader'], domains: ['a'] })}`, principal: principalFrom('jwt', 'jwt', ['reader'], ['a']) });

    const auth = {
      AUTH: 'on',
      AUTH_TOKENS_FILE: tokensFile,
      AUTH_SERVICE_TOKEN: serviceToken,
      OIDC_ISSUER: ISSUER,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: jwksUrl,
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
      NAMESPACE_DOMAINS: 'a-ns=a,b-ns=b',
      REDIS_URL: '',
    };
    const rpc: Record<string, number> = {};
    for (const domain of ['a', 'b']) {
      const shard = startNode('apps/shard/src/main.js', { ...auth, PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, STORE_URL: `sqlite:${path.join(dir, domain, 'lineage.db')}`, FINDINGS_INTERVAL_MS: '0' });
      procs.push(shard);
      const started = await shard.waitFor((l) => l.msg === 'shard started');
      rpc[domain] = started.rpcPort;
      shardUrl[domain] = started.httpUrl;
    }
    base.shard = shardUrl.a;
    const worker = startNode('apps/worker/src/main.js', {
      ...auth,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      CONNECTORS_FILE: path.join(dir, 'none.yaml'),
      ALERTS_STORE_URL: `sqlite:${path.join(dir, 'alerts.db')}`,
      ALERTS_INTERVAL_MS: '0',
      SHARDS: `a=127.0.0.1:${rpc.a},b=127.0.0.1:${rpc.b}`,
    });
    procs.push(worker);
    base.worker = (await worker.waitFor((l) => l.msg === 'worker listening')).url;
    const gateway = startNode('apps/gateway/src/main.js', { ...auth, PORT: '0', HOST: '127.0.0.1', SHARDS: `a=127.0.0.1:${rpc.a},b=127.0.0.1:${rpc.b}`, WORKER_URL: base.worker });
    procs.push(gateway);
    base.gateway = (await gateway.waitFor((l) => l.msg === 'gateway listening')).url;
    await new Promise((r) => setTimeout(r, 1200)); // the processes re-read the token file by mtime
    const seeded = await fetch(`${base.gateway}/api/v1/lineage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...event(SEEDED.namespace, SEEDED.namespace),
        run: { runId: SEEDED.runId },
        job: { namespace: SEEDED.namespace, name: SEEDED.job },
        inputs: [{ namespace: SEEDED.namespace, name: SEEDED.input }],
        outputs: [{ namespace: SEEDED.namespace, name: SEEDED.output }],
      }),
    });
    expect(seeded.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200)); // the gateway's membership filters refresh
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await new Promise((r) => jwks?.close(r));
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (url: string, method: string, header: string | null, body?: string) => {
    const res = await fetch(url, { method, headers: { ...(header ? { authorization: header } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, body });
    await res.arrayBuffer();
    return res.status;
  };

  it.each(Object.keys(ROUTE_SOURCES))('%s: every route x every caller gets the status its rule says', async (app) => {
    const routes = ROUTE_SOURCES[app]();
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => !r.rule).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const mismatches: string[] = [];
    let real = 0;
    for (const route of routes) {
      const { method, url, body, real: realRead } = concrete(route);
      const rule = route.rule as AccessRule;
      // what an allowed caller gets (the handler's own answer): the admin, or the service credential for service routes
      const allowedStatus = await send(`${base[app]}${url}`, method, `Bearer ${rule === 'service' ? serviceToken : admin}`, body);
      if (allowedStatus === 401 || allowedStatus === 403) mismatches.push(`${method} ${url}: the allowed caller got ${allowedStatus}`);
      if (realRead) {
        real++;
        if (allowedStatus < 200 || allowedStatus > 299) mismatches.push(`${method} ${url}: asked with real ids, the allowed caller got ${allowedStatus}, not a success`);
      }
      for (const caller of callers) {
        const decision = decideAccess(rule, caller.principal, { metricsPublic: false });
        // a node of domain a read directly by a caller who may not read domain a: 404, as if it did not exist
        const hidden = realRead?.node && caller.principal !== null && !canReadDomain(caller.principal, 'a');
        const expected = decision.allow ? (hidden ? 404 : allowedStatus) : decision.status === 'unauthenticated' ? 401 : 403;
        const status = await send(`${base[app]}${url}`, method, caller.header, body);
        if (status !== expected) mismatches.push(`${method} ${url} [${rule}] ${caller.name}: ${status}, expected ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(real).toBeGreaterThan(5);
  });

  it('a writer of domain a cannot put one edge into domain b by any path', async () => {
    const writerA = callers.find((c) => c.name === 'writer of the right domain')!.header!;
    const eventsOfB = async () => ((await (await fetch(`${shardUrl.b}/api/v1/events/lineage?limit=1`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { totalCount: number }).totalCount;
    const before = await eventsOfB();
    const post = (url: string, payload: unknown) =>
      fetch(url, { method: 'POST', headers: { authorization: writerA, 'content-type': 'application/json' }, body: JSON.stringify(payload) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

    // gateway, one event: a job of b, or a job of a writing an output of b
    for (const e of [event('b-ns', 'b-ns'), event('a-ns', 'b-ns')]) {
      const res = await post(`${base.gateway}/api/v1/lineage`, e);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('"b-ns"');
    }
    // gateway batch: the event of a is stored, the ones into b are refused one by one
    const batch = await post(`${base.gateway}/api/v1/lineage/batch`, [event('a-ns', 'a-ns'), event('b-ns', 'b-ns'), event('a-ns', 'b-ns')]);
    expect(batch.body.failed_events.map((f: any) => f.index)).toEqual([1, 2]);
    // shard direct: b's shard refuses a writer of a outright; a's shard refuses an output of b
    expect((await post(`${shardUrl.b}/api/v1/lineage`, event('a-ns', 'a-ns'))).status).toBe(403);
    expect((await post(`${shardUrl.b}/api/v1/lineage/batch`, [event('b-ns', 'b-ns')])).body.failed_events).toHaveLength(1);
    expect((await post(`${shardUrl.a}/api/v1/lineage`, event('a-ns', 'b-ns'))).status).toBe(403);
    // connector config: only an admin configures connectors (the connector's domain decides where results go)
    const connector = { id: 'sneaky', kind: 'redshift', domain: 'b', schedule: { every: '1h' }, rateLimit: { requestsPerSecond: 1 }, settings: {} };
    expect((await post(`${base.gateway}/api/v1/connectors`, connector)).status).toBe(403);
    expect((await post(`${base.worker}/api/v1/connectors`, connector)).status).toBe(403);
    // observed writes (what connectors deliver) take only the service credential
    expect((await post(`${shardUrl.b}/api/v1/observed-writes`, [])).status).toBe(403);

    expect(await eventsOfB()).toBe(before);
  });
});
