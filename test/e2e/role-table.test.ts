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
import { applicationRoutes, canReadDomain, canWriteDomain, decideAccess, FileTokenStore, mintToken, principalFrom, servicePrincipal, type AccessRule, type Principal, type RouteRule, type TokenRequest } from '@lineage-hub/auth';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { ShardModule } from '../../apps/shard/src/shard.module';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadWorkerConfig } from '../../apps/worker/src/worker.config';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../apps/worker/src/testing/worker-test-kit';
import { freePort } from '../testing/hub-kit';
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

/** Ids the beforeAll seeds for the routes that name one: a finding, its alert, a connector, and one that is run (its cursor cannot be set while it runs). */
const REAL = { findingId: '', alertId: '', connectorId: 'role-conn', runConnectorId: 'role-run' };
const POLICIES = { policies: [{ namespace: SEEDED.namespace, warnAfter: '1s' }] };
const ROUTES = { receivers: [{ name: 'hook', kind: 'webhook', url: 'http://127.0.0.1:9/hook' }], defaultReceiver: 'hook' };
const silence = () => ({ matchers: [{ name: 'domain', value: 'a' }], endsAt: '2099-01-01T00:00:00Z', createdBy: 'role-table', comment: 'role table' });
const connector = (id: string) => ({ id, kind: 'redshift', domain: 'a', schedule: { every: '24h' }, rateLimit: { requestsPerSecond: 1 }, enabled: false, settings: { host: '127.0.0.1', port: 9, database: 'dev', user: 'u', clusterIdentifier: 'analytics', region: 'us-east-1', password: 'p' } });
const schemaURL = 'https://openlineage.io/spec/facets/1-0-0/x.json';
/** The seeded output's columns and where they come from (column lineage has a field to walk from). */
const OUTPUT_FACETS = {
  schema: { _producer: 'https://github.com/lineage-hub/tests', _schemaURL: schemaURL, fields: [{ name: 'id', type: 'int' }] },
  columnLineage: { _producer: 'https://github.com/lineage-hub/tests', _schemaURL: schemaURL, fields: { id: { inputFields: [{ namespace: SEEDED.namespace, name: SEEDED.input, field: 'id' }] } } },
};
const seededEvent = () => ({
  ...event(SEEDED.namespace, SEEDED.namespace),
  job: { namespace: SEEDED.namespace, name: SEEDED.job },
  inputs: [{ namespace: SEEDED.namespace, name: SEEDED.input }],
  outputs: [{ namespace: SEEDED.namespace, name: SEEDED.output, facets: OUTPUT_FACETS }],
});
const nodeParams = (p: string) => ({ ':namespace': SEEDED.namespace, ':dataset': SEEDED.output, ':job': SEEDED.job, ':name': p.includes('/jobs/') ? SEEDED.job : SEEDED.output });

/** A fresh target a mutating row consumes (made by the admin before each request of the row). */
type Fresh = (admin: (method: string, url: string, body?: unknown) => Promise<any>) => Promise<string>;

/**
 * How each route is asked, keyed by `METHOD path` as the apps declare it (every app): real ids, valid queries
 * and bodies, so the caller the rule allows gets the route's success (2xx). `node`: a node of domain a read
 * directly is a 404 for a caller who may not read domain a (redaction: existence is not confirmed). `writesA`:
 * the body is lineage of domain a, so a caller the rule allows but who may not write domain a gets 403.
 * `fresh`: the row's id is made anew before each request (a token to revoke, a silence or connector to delete),
 * so mutating rows do not break each other or later rows. `params` fills the path (`*path` included).
 * Routes not listed here are asked with unknown ids and empty bodies and are reported as not covered.
 */
interface Row { query?: string; node?: boolean; writesA?: boolean; body?: () => unknown; params?: () => Record<string, string>; fresh?: Fresh; method?: string }
const ROWS: Record<string, Row> = {
  'GET /api/v1/namespaces': {},
  'GET /api/v1/namespaces/:namespace': { params: () => ({ ':namespace': SEEDED.namespace }) },
  'GET /api/v1/namespaces/:namespace/datasets': { params: () => ({ ':namespace': SEEDED.namespace }) },
  'GET /api/v1/namespaces/:namespace/datasets/:dataset': { node: true },
  'GET /api/v1/namespaces/:namespace/datasets/:name': { node: true },
  'GET /api/v1/namespaces/:namespace/datasets/:dataset/versions': { node: true },
  'GET /api/v1/namespaces/:namespace/datasets/:name/versions': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs': { params: () => ({ ':namespace': SEEDED.namespace }) },
  'GET /api/v1/namespaces/:namespace/jobs/:job': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs/:name': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs/:job/runs': { node: true },
  'GET /api/v1/namespaces/:namespace/jobs/:name/runs': { node: true },
  'GET /api/v1/jobs': {},
  'GET /api/v1/jobs/runs/:id': { node: true, params: () => ({ ':id': SEEDED.runId }) },
  'GET /api/v1/jobs/runs/:id/facets': { node: true, query: 'type=run', params: () => ({ ':id': SEEDED.runId }) },
  'GET /api/v1/stats/:kind': { params: () => ({ ':kind': 'lineage-events' }), query: 'period=DAY' },
  'GET /api/v1/tags': {},
  'GET /api/v1/search': { query: 'q=role' },
  'GET /api/v2beta/search/:index': { query: 'q=role', params: () => ({ ':index': 'datasets' }) },
  'GET /api/v1/events/lineage': {},
  'GET /api/v1/lineage': { query: `nodeId=${encodeURIComponent(SEEDED_OUTPUT)}`, node: true },
  'GET /api/v1/column-lineage': { query: `nodeId=${encodeURIComponent(SEEDED_OUTPUT)}`, node: true },
  'GET /api/v1/impact': { query: `nodeId=${encodeURIComponent(SEEDED_OUTPUT)}`, node: true },
  'GET /api/v1/findings': {},
  'GET /api/v1/findings/:id': { params: () => ({ ':id': REAL.findingId }) },
  'POST /api/v1/findings/evaluate': {},
  'GET /api/v1/freshness': { query: `dataset=${encodeURIComponent(SEEDED_OUTPUT)}` },
  'GET /api/v1/freshness-policies': {},
  // the gateway takes the domain whose document it replaces (?domain=); the shard its own and ignores it
  'PUT /api/v1/freshness-policies': { query: 'domain=a', body: () => POLICIES },
  'GET /api/v1/observed-writes': {},
  'POST /api/v1/observed-writes': { body: () => [{ dataset: SEEDED_OUTPUT, sources: [], writtenAt: Date.now() - 60_000, queryId: `q-${randomBytes(3).toString('hex')}`, connectorId: 'role-conn', operation: 'INSERT', actor: 'etl', queryText: 'insert into role_out select 1' }] },
  'POST /api/v1/coverage': { body: () => [{ connectorId: 'role-conn', platform: 'redshift', namespace: SEEDED.namespace, from: Date.now() - 7_200_000, to: Date.now() - 3_600_000, gaps: [] }] },
  'POST /api/v1/lineage': { writesA: true, body: seededEvent },
  'POST /api/v1/lineage/batch': { writesA: true, body: () => [seededEvent()] },
  'GET /api/v1/audit': {},
  'POST /api/v1/audit/verify': {},
  'POST /api/v1/audit/verify-derived': {},
  'GET /api/v1/tokens': {},
  'POST /api/v1/tokens': { body: () => ({ name: `t-${randomBytes(3).toString('hex')}`, owner: 'role-table', roles: ['reader'], domains: ['a'] }) },
  'DELETE /api/v1/tokens/:id': { fresh: async (admin) => (await admin('POST', '/api/v1/tokens', { name: `t-${randomBytes(3).toString('hex')}`, owner: 'role-table', roles: ['reader'] })).id },
  // worker (and, forwarded, gateway) connector administration
  'GET /api/v1/connectors': {},
  'ALL /api/v1/connectors': {},
  'POST /api/v1/connectors': { body: () => connector(`c-${randomBytes(4).toString('hex')}`) },
  'GET /api/v1/connectors/:id': { params: () => ({ ':id': REAL.connectorId }) },
  'ALL /api/v1/connectors/*path': { params: () => ({ '*path': REAL.connectorId }) },
  'PUT /api/v1/connectors/:id': { params: () => ({ ':id': REAL.connectorId }), body: () => connector(REAL.connectorId) },
  'DELETE /api/v1/connectors/:id': { fresh: async (admin) => (await admin('POST', '/api/v1/connectors', connector(`d-${randomBytes(4).toString('hex')}`))).id },
  'POST /api/v1/connectors/:id/runs': { params: () => ({ ':id': REAL.runConnectorId }) },
  'GET /api/v1/connectors/:id/runs': { params: () => ({ ':id': REAL.connectorId }) },
  'GET /api/v1/connectors/:id/cursor': { params: () => ({ ':id': REAL.connectorId }) },
  'PUT /api/v1/connectors/:id/cursor': { params: () => ({ ':id': REAL.connectorId }), body: () => ({ cursor: null }) },
  // alerting (worker; the gateway forwards it)
  'GET /api/v1/alerts': {},
  'GET /api/v1/alerts/:id': { params: () => ({ ':id': REAL.alertId }) },
  'GET /api/v1/alerts/*path': { params: () => ({ '*path': REAL.alertId }) },
  'POST /api/v1/alerts/evaluate': {},
  'POST /api/v1/alerts/*path': { params: () => ({ '*path': `${REAL.alertId}/ack` }), body: () => ({ by: 'role-table', comment: 'seen' }) },
  'POST /api/v1/alerts/:id/ack': { params: () => ({ ':id': REAL.alertId }), body: () => ({ by: 'role-table', comment: 'seen' }) },
  'GET /api/v1/silences': {},
  'POST /api/v1/silences': { body: silence },
  'DELETE /api/v1/silences/:id': { fresh: async (admin) => (await admin('POST', '/api/v1/silences', silence())).id },
  'DELETE /api/v1/silences/*path': { fresh: async (admin) => (await admin('POST', '/api/v1/silences', silence())).id },
  'GET /api/v1/alert-routes': {},
  'ALL /api/v1/alert-routes': {},
  'PUT /api/v1/alert-routes': { body: () => ROUTES },
  'POST /api/v1/receivers/:name/test': { params: () => ({ ':name': 'hook' }) },
  'ALL /api/v1/receivers/*path': { method: 'POST', params: () => ({ '*path': 'hook/test' }) },
  'GET /api/v1/alert-dead-letters': {},
  'ALL /api/v1/alert-dead-letters': {},
  'GET /api/v1/auth/sign-in': {},
  'GET /health': {},
  'GET /metrics': {},
};

/**
 * Methods the gateway forwards to the worker's alerting API that the worker has no handler for: the allowed
 * caller gets the worker's 404 (everyone else the rule's 401/403). Every other route must have a row in ROWS.
 */
const UNANSWERED: Record<string, number> = Object.fromEntries(
  ['POST /api/v1/alerts', 'PUT /api/v1/alerts', 'PUT /api/v1/alerts/*path', 'PATCH /api/v1/alerts', 'PATCH /api/v1/alerts/*path', 'DELETE /api/v1/alerts', 'DELETE /api/v1/alerts/*path',
   'GET /api/v1/silences/*path', 'POST /api/v1/silences/*path', 'PUT /api/v1/silences', 'PUT /api/v1/silences/*path', 'PATCH /api/v1/silences', 'PATCH /api/v1/silences/*path', 'DELETE /api/v1/silences'].map((k) => [k, 404]),
);

/**
 * The request one caller's row sends. Listed routes: their real ids, query and body (a fresh target made by the
 * admin when the row consumes one). Other routes: unknown ids and empty bodies (their allowed caller gets the
 * handler's own answer, and the route is reported as not covered by a real request).
 */
const concrete = async (r: RouteRule, admin: (method: string, url: string, body?: unknown) => Promise<any>) => {
  const row = ROWS[`${r.method} ${r.path}`];
  const method = row?.method ?? (r.method === 'ALL' ? 'GET' : r.method);
  const params: Record<string, string> = row ? { ...(row.node ? nodeParams(r.path) : {}), ...(row.params?.() ?? {}) } : {};
  if (row?.fresh) params[r.path.includes('*path') ? '*path' : ':id'] = await row.fresh(admin);
  const path = r.path
    .replace(/\*path$/, () => params['*path'] ?? 'no-such-thing')
    .replace(/:[a-zA-Z]+/g, (p) => encodeURIComponent(params[p] ?? (p === ':namespace' ? 'no-such-namespace' : 'no-such-id')));
  const url = row?.query ? `${path}?${row.query}` : path;
  const payload = row?.body ? row.body() : ['POST', 'PUT', 'PATCH'].includes(method) && !row ? {} : undefined;
  return { method, url, body: payload === undefined ? undefined : JSON.stringify(payload), row };
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
      REDACTION_KEY: randomBytes(32).toString('base64url'),
      NAMESPACE_DOMAINS: 'a-ns=a,b-ns=b',
      REDIS_URL: '',
    };
    const rpc: Record<string, number> = {};
    for (const domain of ['a', 'b']) {
      const shard = startNode('apps/shard/src/main.js', { ...auth, PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, AUDIT_STORE_URL: `sqlite:${path.join(dir, `audit-${domain}.db`)}`, STORE_URL: `sqlite:${path.join(dir, domain, 'lineage.db')}`, FINDINGS_INTERVAL_MS: '0' });
      procs.push(shard);
      const started = await shard.waitFor((l) => l.msg === 'shard started');
      rpc[domain] = started.rpcPort;
      shardUrl[domain] = started.httpUrl;
    }
    base.shard = shardUrl.a;
    const gatewayPort = await freePort(); // the worker reads findings through the gateway, which forwards alerting to the worker
    const worker = startNode('apps/worker/src/main.js', {
      ...auth,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      CONNECTORS_FILE: path.join(dir, 'none.yaml'),
      ALERTS_STORE_URL: `sqlite:${path.join(dir, 'alerts.db')}`,
      AUDIT_STORE_URL: `sqlite:${path.join(dir, 'audit-worker.db')}`,
      ALERTS_INTERVAL_MS: '0',
      SHARDS: `a=127.0.0.1:${rpc.a},b=127.0.0.1:${rpc.b}`,
      GATEWAY_URL: `http://127.0.0.1:${gatewayPort}`,
      LINEAGE_SECRETS_KEY: randomBytes(32).toString('base64url'),
    });
    procs.push(worker);
    base.worker = (await worker.waitFor((l) => l.msg === 'worker listening')).url;
    const gateway = startNode('apps/gateway/src/main.js', { ...auth, PORT: String(gatewayPort), HOST: '127.0.0.1', AUDIT_STORE_URL: `sqlite:${path.join(dir, 'audit-gateway.db')}`, SHARDS: `a=127.0.0.1:${rpc.a},b=127.0.0.1:${rpc.b}`, WORKER_URL: base.worker });
    procs.push(gateway);
    base.gateway = (await gateway.waitFor((l) => l.msg === 'gateway listening')).url;
    await new Promise((r) => setTimeout(r, 1200)); // the processes re-read the token file by mtime
    const seeded = await fetch(`${base.gateway}/api/v1/lineage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...seededEvent(), run: { runId: SEEDED.runId } }),
    });
    expect(seeded.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200)); // the gateway's membership filters refresh (and the policy below goes stale)
    // a finding (the seeded output is older than its freshness policy allows), the alert it raises, a connector, a receiver
    const asAdmin = (url: string, method: string, payload?: unknown) => json(url, method, `Bearer ${admin}`, payload);
    await asAdmin(`${shardUrl.a}/api/v1/freshness-policies`, 'PUT', POLICIES);
    await new Promise((r) => setTimeout(r, 1100));
    await asAdmin(`${shardUrl.a}/api/v1/findings/evaluate`, 'POST');
    const findings = (await asAdmin(`${shardUrl.a}/api/v1/findings`, 'GET')) as { findings: Array<{ id: string }> };
    expect(findings.findings.length).toBeGreaterThan(0);
    REAL.findingId = findings.findings[0].id;
    await asAdmin(`${base.worker}/api/v1/alerts/evaluate`, 'POST');
    const alerts = (await asAdmin(`${base.worker}/api/v1/alerts`, 'GET')) as { alerts: Array<{ id: string }> };
    expect(alerts.alerts.length).toBeGreaterThan(0);
    REAL.alertId = alerts.alerts[0].id;
    for (const id of [REAL.connectorId, REAL.runConnectorId]) await asAdmin(`${base.worker}/api/v1/connectors`, 'POST', connector(id));
    await asAdmin(`${base.worker}/api/v1/alert-routes`, 'PUT', ROUTES);
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
  const adminHeader = () => `Bearer ${admin}`;
  const json = async (url: string, method: string, header: string, payload?: unknown) => {
    const res = await fetch(url, { method, headers: { authorization: header, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, body: payload === undefined ? undefined : JSON.stringify(payload) });
    const text = await res.text();
    if (res.status > 299) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  it.each(Object.keys(ROUTE_SOURCES))('%s: every route x every caller gets the status its rule says', async (app) => {
    const routes = ROUTE_SOURCES[app]();
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => !r.rule).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const mismatches: string[] = [];
    const admin = (method: string, url: string, payload?: unknown) => json(`${base[app]}${url}`, method, adminHeader(), payload);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const rule = route.rule as AccessRule;
      const row = ROWS[key];
      if (!row && !(key in UNANSWERED)) mismatches.push(`${key}: no row says how to ask it with real ids and a valid body`);
      // what an allowed caller gets (the handler's own answer): the admin, or the service credential for service routes
      const allowedCall = await concrete(route, admin);
      const allowedStatus = await send(`${base[app]}${allowedCall.url}`, allowedCall.method, rule === 'service' ? `Bearer ${serviceToken}` : adminHeader(), allowedCall.body);
      if (row && (allowedStatus < 200 || allowedStatus > 299)) mismatches.push(`${allowedCall.method} ${allowedCall.url}: asked with real ids, the allowed caller got ${allowedStatus}, not a success`);
      if (!row && key in UNANSWERED && allowedStatus !== UNANSWERED[key]) mismatches.push(`${key}: the allowed caller got ${allowedStatus}, not ${UNANSWERED[key]}`);
      for (const caller of callers) {
        const decision = decideAccess(rule, caller.principal, { metricsPublic: false });
        // a node of domain a read directly by a caller who may not read domain a: 404, as if it did not exist
        const hidden = row?.node && caller.principal !== null && !canReadDomain(caller.principal, 'a');
        // lineage of domain a sent by a caller who may write, but not domain a: 403 naming the namespace
        const foreign = row?.writesA && caller.principal !== null && !canWriteDomain(caller.principal, 'a');
        const expected = decision.allow ? (hidden ? 404 : foreign ? 403 : allowedStatus) : decision.status === 'unauthenticated' ? 401 : 403;
        const call = await concrete(route, admin);
        const status = await send(`${base[app]}${call.url}`, call.method, caller.header, call.body);
        if (status !== expected) mismatches.push(`${call.method} ${route.path} [${rule}] ${caller.name}: ${status}, expected ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
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
