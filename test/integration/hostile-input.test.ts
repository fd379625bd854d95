/**
 * Hostile-input suite (issue 18, "What broke"): real shard, gateway and worker processes (from dist/), authentication
 * on, the shard on SQLite and on PostgreSQL (a database of its own on the shared server, dropped after). Every item
 * of the issue's list is sent to the shard and to the gateway where both take it: over-long names, run ids and
 * namespaces, NULs, invalid UTF-8, facets nested 10,000 deep, a huge and a repeated asOf, a repeated
 * `transformations`, bad gateway parameters, a run id of another job, an empty run id, a text/plain cross-site POST,
 * `x-lineage-provenance` from a producer credential, a 100,000-item batch of bad events, an RPC frame declaring
 * 999,999,999 bytes, `%2e%2e` in the connector proxy path, a connector secret naming an arbitrary environment
 * variable. Asserted over every answer: none is >= 500, none carries X-Powered-By or internal error text (stack,
 * driver or socket messages), every 4xx names the field; and the shard's state (events, edges, runs, datasets,
 * jobs) is the same before and after, its derived tables still match its events (verify-derived). A FAIL between
 * START and COMPLETE leaves the run FAILED whatever the arrival order. Real processes; seconds per store.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { FileTokenStore, mintToken, type TokenRequest } from '@lineage-hub/auth';
import { dropPrefix, uniquePrefix } from '../../apps/worker/src/testing/worker-test-kit';
import { type AppProcess, startNode } from '../testing/process-kit';

jest.setTimeout(240_000);

const PG_ADMIN = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const NS = 'hostile';
const RUN_A = '4057114e-0000-4000-8000-00000000000a';

interface Answer {
  label: string;
  status: number;
  body: any;
  text: string;
  poweredBy: string | null;
}

/** Facets nested `depth` deep, as JSON text (JSON.stringify itself would overflow the stack). */
const deepJson = (depth: number) => `${'{"nested":'.repeat(depth)}{"leaf":1}${'}'.repeat(depth)}`;

const event = (over: { runId?: string; job?: string; jobNs?: string; type?: string; minute?: number; inputs?: string[]; outputs?: string[]; runFacets?: Record<string, unknown> } = {}) => ({
  eventType: over.type ?? 'COMPLETE',
  eventTime: new Date(Date.UTC(2026, 0, 1, 0, over.minute ?? 0)).toISOString(),
  producer: 'https://example.com/hostile',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: over.runId ?? '4057114e-0000-4000-8000-0000000000ff', facets: over.runFacets ?? {} },
  job: { namespace: over.jobNs ?? NS, name: over.job ?? 'job' },
  inputs: (over.inputs ?? ['in']).map((name) => ({ namespace: NS, name })),
  outputs: (over.outputs ?? ['out']).map((name) => ({ namespace: NS, name })),
});

/** Internal error text that must never reach a client. */
const INTERNAL = /\bat [\w.<>]+ \(|node_modules|SQLITE_|ECONNREFUSED|ECONNRESET|violates|duplicate key|index row|stack|TypeError|RangeError|Maximum call stack|syntax error at|relation "/;

describe.each([['SQLite'], ['PostgreSQL']])('hostile input, shard on %s', (storeName) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-hostile-'));
  const database = `lh_hostile_${randomBytes(4).toString('hex')}`;
  const prefix = uniquePrefix('hostile');
  const procs: AppProcess[] = [];
  const answers: Answer[] = [];
  const tokensFile = path.join(dir, 'tokens.json');
  const serviceToken = randomBytes(32).toString('base64url');
  let shard: { httpUrl: string; rpcPort: number; proc: AppProcess };
  let gateway = '';
  let worker = '';
  let writer = '';
  let admin = '';

  const token = (request: Partial<TokenRequest> & Pick<TokenRequest, 'roles'>) => {
    const { secret, record } = mintToken({ name: `t-${randomBytes(3).toString('hex')}`, owner: 'hostile', ...request });
    new FileTokenStore(tokensFile, 0).add(record);
    return secret;
  };

  /** Sends one request and keeps its answer for the suite-wide assertions. */
  const send = async (label: string, url: string, init: { method?: string; body?: unknown; raw?: Buffer | string; type?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? admin}`, ...(init.headers ?? {}) };
    let body: Buffer | string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined) headers['content-type'] = init.type ?? 'application/json';
    const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    const answer = { label, status: res.status, body: parsed, text, poweredBy: res.headers.get('x-powered-by') };
    answers.push(answer);
    return answer;
  };

  /** A GET whose path is sent byte for byte (fetch would normalise `%2e%2e` away before sending). */
  const sendRawPath = (label: string, base: string, rawPath: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(base);
      const req = request({ host: hostname, port, path: rawPath, method: 'GET', headers: { authorization: `Bearer ${admin}` } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON
          }
          const answer = { label, status: res.statusCode ?? 0, body: parsed, text, poweredBy: (res.headers['x-powered-by'] as string | undefined) ?? null };
          answers.push(answer);
          resolve(answer);
        });
      });
      req.on('error', reject);
      req.end();
    });

  const state = async () => {
    const health = (await send('health', `${shard.httpUrl}/health`)).body;
    return health.store as { events: number; edges: number; runs: number; datasets: number; jobs: number };
  };

  beforeAll(async () => {
    let storeUrl = `sqlite:${path.join(dir, 'shard.db')}`;
    if (storeName === 'PostgreSQL') {
      const client = new Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 5000 });
      await client.connect().catch((error) => {
        throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN}: ${error.message}`);
      });
      await client.query(`CREATE DATABASE ${database}`);
      await client.end();
      storeUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${database}`);
    }
    new FileTokenStore(tokensFile, 0);
    writer = token({ roles: ['writer'], domains: ['hostile'] });
    admin = token({ roles: ['admin'] });
    const auth = (name: string) => ({
      AUTH: 'on',
      AUTH_TOKENS_FILE: tokensFile,
      AUTH_SERVICE_TOKEN: serviceToken,
      REDACTION_KEY: 'r'.repeat(40),
      AUDIT_STORE_URL: `sqlite:${path.join(dir, `audit-${name}.db`)}`,
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
    });
    const shardProc = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'hostile', STORE_URL: storeUrl, NAMESPACE_DOMAINS: `${NS}=hostile`, REDIS_URL: '', ...auth('shard') });
    procs.push(shardProc);
    const started = await shardProc.waitFor((l) => l.msg === 'shard started', 120_000);
    shard = { httpUrl: started.httpUrl, rpcPort: started.rpcPort, proc: shardProc };
    const connectorsFile = path.join(dir, 'connectors.yaml');
    writeFileSync(connectorsFile, 'connectors: []\n');
    const workerProc = startNode('apps/worker/src/main.js', {
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      CONNECTORS_FILE: connectorsFile,
      ALERTS_STORE_URL: 'sqlite::memory:',
      ALERTS_INTERVAL_MS: '0',
      SHARDS: `hostile=127.0.0.1:${shard.rpcPort}`,
      LINEAGE_SECRETS_KEY: 'k'.repeat(40),
      ...auth('worker'),
    });
    procs.push(workerProc);
    worker = (await workerProc.waitFor((l) => l.msg === 'worker listening', 120_000)).url;
    const gatewayProc = startNode('apps/gateway/src/main.js', {
      PORT: '0',
      HOST: '127.0.0.1',
      SHARDS: `hostile=127.0.0.1:${shard.rpcPort}`,
      NAMESPACE_DOMAINS: `${NS}=hostile`,
      REDIS_URL: '',
      WORKER_URL: worker,
      FILTER_REFRESH_MS: '200',
      ...auth('gateway'),
    });
    procs.push(gatewayProc);
    gateway = (await gatewayProc.waitFor((l) => l.msg === 'gateway listening', 120_000)).url;

    // what is there before the hostile input: a run of `job` (RUN_A), and the out-of-order FAIL runs below
    const seeded = await send('seed', `${shard.httpUrl}/api/v1/lineage`, { body: event({ runId: RUN_A, type: 'START' }), token: writer });
    expect(seeded.status).toBe(200);
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await dropPrefix(prefix, REDIS_URL).catch(() => undefined);
    if (storeName === 'PostgreSQL') {
      const client = new Client({ connectionString: PG_ADMIN });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a run FAILED when a FAIL arrives between START and COMPLETE, in any arrival order', async () => {
    const orders: Array<[string, string[]]> = [
      ['4057114e-0000-4000-8000-0000000000b1', ['START', 'FAIL', 'COMPLETE']],
      ['4057114e-0000-4000-8000-0000000000b2', ['COMPLETE', 'FAIL', 'START']],
      ['4057114e-0000-4000-8000-0000000000b3', ['FAIL', 'COMPLETE', 'START']],
    ];
    const minute: Record<string, number> = { START: 1, FAIL: 2, COMPLETE: 3 };
    for (const [runId, types] of orders) {
      for (const [i, type] of types.entries()) {
        const target = i % 2 === 0 ? shard.httpUrl : gateway;
        expect((await send(`run ${type}`, `${target}/api/v1/lineage`, { body: event({ runId, type, job: 'ordered', minute: minute[type] }), token: writer })).status).toBe(200);
      }
    }
    for (const [runId] of orders) {
      for (const target of [shard.httpUrl, gateway]) {
        const run = await send('run state', `${target}/api/v1/jobs/runs/${runId}`, { token: writer });
        expect({ runId, status: run.status, state: run.body.state }).toEqual({ runId, status: 200, state: 'FAILED' });
      }
    }
  });

  it('answers every hostile request with a 4xx naming the field (shard and gateway), and changes nothing', async () => {
    const before = await state();
    // every mismatch is collected, so one run lists all of them
    const wrong: string[] = [];
    const soft = (actual: unknown, expected: unknown) => {
      try {
        expect(actual).toEqual(expected);
      } catch (error) {
        wrong.push((error as Error).message.replace(/\u001b\[\d+m/g, '').slice(0, 600));
      }
    };
    const ingest: Array<[string, unknown, number, RegExp]> = [
      ['a 1 MB job name', event({ job: 'j'.repeat(1_000_000) }), 400, /^job\.name$/],
      ['a 1 MB run id', event({ runId: 'r'.repeat(1_000_000) }), 400, /^run\.runId$/],
      ['an over-long namespace', event({ jobNs: `${NS}${'n'.repeat(600)}` }), 400, /^job\.namespace$/],
      ['an over-long input name', event({ inputs: ['d'.repeat(2000)] }), 400, /^inputs\[0\]\.name$/],
      ['a NUL in a job name', event({ job: 'a\u0000b' }), 400, /^job\.name$/],
      ['a NUL in a facet', event({ runFacets: { custom: { _producer: 'p', _schemaURL: 's', text: 'a\u0000b' } } }), 400, /^run\.facets\.custom/],
      ['facets nested 10,000 deep', JSON.stringify(event({ runFacets: { custom: 'DEEP' } })).replace('"DEEP"', deepJson(10_000)), 400, /^run\.facets/],
      ['the run id of another job', event({ runId: RUN_A, job: 'another' }), 409, /^run\.runId$/],
      ['an empty run id', event({ runId: '' }), 400, /^run\.runId$/],
    ];
    for (const target of [shard.httpUrl, gateway]) {
      const where = target === gateway ? 'gateway' : 'shard';
      for (const [label, body, status, field] of ingest) {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        const single = await send(`${where}: ${label}`, `${target}/api/v1/lineage`, { raw: text, token: writer });
        soft({ label: `${where}: ${label}`, status: single.status, field: field.test(single.body.field ?? '') }, { label: `${where}: ${label}`, status, field: true });
        const batch = await send(`${where}: ${label} (batch)`, `${target}/api/v1/lineage/batch`, { raw: `[${text}]`, token: writer });
        soft({ label: `${where}: ${label} (batch)`, status: batch.status < 500, failed: batch.body.summary?.failed ?? 1 }, { label: `${where}: ${label} (batch)`, status: true, failed: 1 });
        if (batch.status === 200) soft({ label, field: field.test(batch.body.failed_events[0].field ?? '') }, { label, field: true });
      }
      // invalid UTF-8 (bytes a lenient decoder turns into U+FFFD) and a lone surrogate escape: refused
      const [head, tail] = JSON.stringify(event({ job: 'UTFX' })).split('UTFX');
      const invalid = Buffer.concat([Buffer.from(head), Buffer.from([0x75, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(tail)]);
      const utf = await send(`${where}: invalid UTF-8`, `${target}/api/v1/lineage`, { raw: invalid, token: writer });
      soft({ where, status: utf.status, field: utf.body.field }, { where, status: 400, field: 'body' });
      // malformed JSON: a 400 naming the body, on the single-event route, through the framework (a query string) and in a batch
      for (const p of ['/api/v1/lineage', '/api/v1/lineage?via=framework', '/api/v1/lineage/batch']) {
        const malformed = await send(`${where}: malformed JSON ${p}`, `${target}${p}`, { raw: '{"eventType": "COMPLETE",', token: writer });
        soft({ where, p, status: malformed.status, error: malformed.body.error, field: malformed.body.field }, { where, p, status: 400, error: 'invalid-json', field: 'body' });
      }
      const lone = await send(`${where}: a lone surrogate escape`, `${target}/api/v1/lineage`, { raw: JSON.stringify(event({ job: 'lone' })).replace('"lone"', '"lo\\ud800ne"'), token: writer });
      soft({ where, status: lone.status, field: lone.body.field }, { where, status: 400, field: 'job.name' });
      // a cross-site text/plain POST (no CORS preflight) is never read
      for (const p of ['/api/v1/lineage', '/api/v1/lineage/batch']) {
        const plain = await send(`${where}: text/plain ${p}`, `${target}${p}`, { raw: JSON.stringify(p.endsWith('batch') ? [event()] : event()), type: 'text/plain', token: writer });
        soft({ where, p, status: plain.status, field: plain.body.field }, { where, p, status: 415, field: 'Content-Type' });
      }
      // provenance headers only from connector or service credentials
      const observed = await send(`${where}: provenance from a producer`, `${target}/api/v1/lineage`, { body: event({ job: 'claims-observed' }), token: writer, headers: { 'x-lineage-provenance': 'observed' } });
      soft({ where, status: observed.status, field: observed.body.field }, { where, status: 403, field: 'x-lineage-provenance' });
      // a 100,000-item batch of bad events: refused whole (over the batch limit) naming the body
      const huge = await send(`${where}: 100,000 bad events`, `${target}/api/v1/lineage/batch`, { body: Array.from({ length: 100_000 }, () => ({ eventType: 'START' })), token: writer });
      soft({ where, status: huge.status < 500 && huge.status >= 400, field: huge.body.field }, { where, status: true, field: 'body' });
      // 10,000 bad events (the most a batch may hold): each failed, every one naming its field
      const many = await send(`${where}: 10,000 bad events`, `${target}/api/v1/lineage/batch`, { body: Array.from({ length: 10_000 }, (_, i) => event({ runId: '', job: `bad-${i}` })), token: writer });
      soft({ where, status: many.status, failed: many.body.summary?.failed, named: many.body.failed_events?.every((f: any) => f.field === 'run.runId') }, { where, status: 200, failed: 10_000, named: true });
    }

    // reads: parameters the shard and the gateway both take, then the gateway's own
    const node = encodeURIComponent(`dataset:${NS}:in`);
    const reads: Array<[string, string, RegExp, 'both' | 'gateway']> = [
      ['a huge asOf', `/api/v1/lineage?nodeId=${node}&asOf=99999999999999999999`, /^asOf$/, 'both'],
      ['a repeated asOf', `/api/v1/lineage?nodeId=${node}&asOf=1&asOf=2`, /^asOf$/, 'both'],
      ['a repeated transformations', `/api/v1/column-lineage?nodeId=${node}&transformations=DIRECT&transformations=INDIRECT`, /^transformations$/, 'both'],
      ['before=garbage', '/api/v1/events/lineage?before=garbage', /^before$/, 'both'],
      ['sortDirection=sideways', '/api/v1/events/lineage?sortDirection=sideways', /^sortDirection$/, 'both'],
      ['a repeated limit', '/api/v1/events/lineage?limit=1&limit=2', /^limit$/, 'both'],
      ['sort=bogus', '/api/v1/search?q=in&sort=bogus', /^sort$/, 'both'],
      ['filter=bogus', '/api/v1/search?q=in&filter=bogus', /^filter$/, 'both'],
      ['withDownstream=maybe', `/api/v1/column-lineage?nodeId=${node}&withDownstream=maybe`, /^withDownstream$/, 'both'],
      ['maxNodes=-1', `/api/v1/lineage?nodeId=${node}&maxNodes=-1`, /^maxNodes$/, 'both'],
      ['impact: a huge asOf', `/api/v1/impact?nodeId=${node}&asOf=99999999999999999999`, /^asOf$/, 'gateway'],
      ['impact: a repeated asOf', `/api/v1/impact?nodeId=${node}&asOf=1&asOf=2`, /^asOf$/, 'gateway'],
      ['impact: a repeated transformations', `/api/v1/impact?nodeId=${node}&transformations=DIRECT&transformations=INDIRECT`, /^transformations$/, 'gateway'],
      ['impact: direction=sideways', `/api/v1/impact?nodeId=${node}&direction=sideways`, /^direction$/, 'gateway'],
      ['impact: depth=lots', `/api/v1/impact?nodeId=${node}&depth=lots`, /^depth$/, 'gateway'],
      ['impact: an over-long node id', `/api/v1/impact?nodeId=${encodeURIComponent(`dataset:${NS}:${'x'.repeat(5000)}`)}`, /^nodeId$/, 'gateway'],
      ['an over-long node id', `/api/v1/lineage?nodeId=${encodeURIComponent(`dataset:${NS}:${'x'.repeat(5000)}`)}`, /^nodeId$/, 'both'],
    ];
    for (const [label, p, field, where] of reads) {
      for (const target of where === 'both' ? [shard.httpUrl, gateway] : [gateway]) {
        const name = `${target === gateway ? 'gateway' : 'shard'}: ${label}`;
        const res = await send(name, `${target}${p}`, { token: writer });
        soft({ name, status: res.status, field: field.test(res.body.field ?? '') }, { name, status: 400, field: true });
      }
    }

    // the connector proxy: `..` in any spelling stays inside /api/v1/connectors (never the worker's other endpoints)
    for (const p of ['/api/v1/connectors/%2e%2e/health', '/api/v1/connectors/%2E%2E/%2e%2e/metrics', '/api/v1/connectors/x/..%2f..%2fhealth', '/api/v1/connectors/%2e%2e%2f%2e%2e%2fapi%2fv1%2falerts']) {
      const res = await sendRawPath(`gateway proxy ${p}`, gateway, p);
      soft({ p, status: res.status >= 400 && res.status < 500, worker: /"redis"|process_cpu|"alerts"/.test(res.text) }, { p, status: true, worker: false });
    }
    // a connector secret reference to an environment variable off the allow-list: refused, never resolved
    for (const name of ['PATH', 'AUTH_SERVICE_TOKEN', 'LINEAGE_SECRETS_KEY']) {
      const connector = { id: `exfil-${name.toLowerCase().replace(/_/g, '-')}`, kind: 'redshift', domain: 'hostile', schedule: { every: '1h' }, rateLimit: { requestsPerSecond: 1 }, enabled: false, settings: { host: '127.0.0.1', database: 'dev', user: 'u', clusterIdentifier: 'c', region: 'us-east-1', password: { env: name } } };
      const res = await send(`gateway: connector secret {env: ${name}}`, `${gateway}/api/v1/connectors`, { body: connector });
      soft({ name, status: res.status, field: res.body.field }, { name, status: 400, field: expect.stringMatching(/password/) });
    }

    expect(wrong).toEqual([]);
    expect(await state()).toEqual(before);
    const derived = await send('verify-derived', `${shard.httpUrl}/api/v1/audit/verify-derived`, { method: 'POST', body: {} });
    soft({ ok: derived.body.ok, differences: derived.body.differences }, { ok: true, differences: [] });
  });

  it('cuts off an RPC peer declaring a 999,999,999-byte frame, and keeps serving', async () => {
    const rss = async () => (await send('metrics', `${shard.httpUrl}/metrics`)).text.match(/^process_resident_memory_bytes (\d+)/m);
    const rssBefore = Number((await rss())?.[1] ?? 0);
    const closed = await new Promise<{ sent: number; closed: boolean }>((resolve) => {
      const socket = connect(shard.rpcPort, '127.0.0.1');
      let sent = 0;
      const chunk = Buffer.alloc(1 << 20, 0x61);
      socket.on('connect', () => {
        socket.write('999999999#{"pattern":"shard.info","data":"');
        const pump = () => {
          while (sent < 64 * (1 << 20) && socket.write(chunk)) sent += chunk.length;
          if (sent < 64 * (1 << 20)) socket.once('drain', () => ((sent += chunk.length), pump()));
        };
        pump();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ sent, closed: true }));
      setTimeout(() => {
        socket.destroy();
        resolve({ sent, closed: false });
      }, 30_000);
    });
    expect(closed.closed).toBe(true);
    expect(closed.sent).toBeLessThan(64 * (1 << 20));
    expect((await send('health after the frame', `${shard.httpUrl}/health`)).status).toBe(200);
    const rssAfter = Number((await rss())?.[1] ?? 0);
    if (rssBefore > 0 && rssAfter > 0) expect(rssAfter - rssBefore).toBeLessThan(50 * (1 << 20));
  });

  it('over every answer: none >= 500, no X-Powered-By, no internal error text; log lines bounded', async () => {
    for (const url of [`${shard.httpUrl}/health`, `${gateway}/health`, `${worker}/health`]) await send('health', url);
    expect(answers.length).toBeGreaterThan(80);
    expect(answers.filter((a) => a.status >= 500).map((a) => `${a.label}: ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    expect(answers.filter((a) => a.poweredBy !== null).map((a) => a.label)).toEqual([]);
    expect(answers.filter((a) => INTERNAL.test(a.text)).map((a) => `${a.label}: ${a.text.slice(0, 300)}`)).toEqual([]);
    expect(answers.filter((a) => a.status >= 400 && a.status < 500 && !(typeof a.body === 'object' && a.body && typeof a.body.field === 'string' && a.body.field.length > 0)).map((a) => `${a.label}: ${a.status} ${a.text.slice(0, 200)}`)).toEqual([]);
    const longest = Math.max(...procs.flatMap((p) => p.lines.map((l) => JSON.stringify(l).length)));
    expect(longest).toBeLessThan(64 * 1024);
  });
});
