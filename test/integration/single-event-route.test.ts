/**
 * POST /api/v1/lineage is served in front of express for the plain request (apps/shard/src/ingest/single-event.http-route.ts);
 * any other request on the path goes through the framework. The same request sent both ways (the framework's way
 * is reached with a query string, which the route leaves to express) must get the same status, body and headers,
 * the same refusals from the auth guard (one rate limiter for both), and the same HTTP metric: auth off and on.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AUTH_OFF, FileTokenStore, mintToken, type Role } from '@lineage-hub/auth';
import { parseNamespaceDomains } from '@lineage-hub/federation';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { SingleEventRoute } from '../../apps/shard/src/ingest/single-event.http-route';

const PRODUCER = 'https://github.com/lineage-hub/tests';
const event = (namespace = 'ns-a', overrides: Record<string, unknown> = {}) => ({
  eventType: 'COMPLETE',
  eventTime: '2026-01-02T03:04:05.000Z',
  producer: PRODUCER,
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: randomUUID() },
  job: { namespace, name: `job_${randomBytes(4).toString('hex')}` },
  inputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.orders' }],
  outputs: [{ namespace: 'postgres://db:5432', name: `shop.public.out_${randomBytes(3).toString('hex')}` }],
  ...overrides,
});

/** Headers whose values differ by nature between two answers. */
const VOLATILE = new Set(['date', 'keep-alive', 'connection', 'x-correlation-id', 'etag', 'retry-after']);

interface Answer {
  status: number;
  body: any;
  headers: Record<string, string>;
}

const send = async (url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  const all: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    all[name] = VOLATILE.has(name) ? '*' : value;
  });
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: all };
};

/** The same request on the route in front of express and through the framework (a query string). */
const both = async (shard: RunningShard, body: string | Buffer, headers: Record<string, string> = {}) => ({
  route: await send(`${shard.httpUrl}/api/v1/lineage`, body, headers),
  framework: await send(`${shard.httpUrl}/api/v1/lineage?via=framework`, body, headers),
});

const metricCount = async (shard: RunningShard, status: string, token?: string): Promise<number> => {
  const text = await (await fetch(`${shard.httpUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} })).text();
  const line = text.split('\n').find((l) => l.startsWith('http_request_duration_seconds_count{') && l.includes('method="POST"') && l.includes('route="/api/v1/lineage"') && l.includes(`status="${status}"`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('POST /api/v1/lineage: the route in front of express answers as the framework does', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'single-route-'));
  const tokensFile = path.join(dir, 'tokens.json');
  const tokens = new FileTokenStore(tokensFile, 0);
  const token = (roles: Role[], domains?: string[]) => {
    const { secret, record } = mintToken({ name: `t-${randomBytes(3).toString('hex')}`, owner: 'test', roles, ...(domains ? { domains } : {}) });
    tokens.add(record);
    return secret;
  };
  let open: RunningShard;
  let secure: RunningShard;
  let served: jest.SpyInstance;
  const RATE = 4;

  beforeAll(async () => {
    served = jest.spyOn(SingleEventRoute.prototype, 'serve');
    const base = { port: 0, rpcPort: 0, rpcHost: '127.0.0.1', maxBodyBytes: 1 << 20, logLevel: 'error' as const };
    open = await startShard(shardConfig({ ...base, domain: 'a', storeUrl: `sqlite:${path.join(dir, 'open', 'lineage.db')}` }));
    secure = await startShard(
      shardConfig({
        ...base,
        domain: 'a',
        namespaceDomains: parseNamespaceDomains('ns-a=a,ns-b=b'),
        storeUrl: `sqlite:${path.join(dir, 'secure', 'lineage.db')}`,
        auth: {
          ...AUTH_OFF,
          enabled: true,
          tokensFile,
          serviceToken: randomBytes(32).toString('base64url'),
          redactionKey: randomBytes(32).toString('base64url'),
          auditStoreUrl: `sqlite:${path.join(dir, 'secure', 'audit.db')}`,
          rateLimitPerMinute: RATE,
          metricsPublic: true,
        },
      }),
    );
  });

  afterAll(async () => {
    served.mockRestore();
    await open?.close();
    await secure?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the plain request itself and leaves the query-string request to express', async () => {
    served.mockClear();
    const { route, framework } = await both(open, JSON.stringify(event()));
    expect([route.status, framework.status]).toEqual([200, 200]);
    expect(served.mock.results.map((r) => r.value)).toEqual([true, false]);
  });

  it('stores an event either way with the same answer; the same event again is a duplicate with the same seq', async () => {
    const e = event();
    const first = await send(`${open.httpUrl}/api/v1/lineage`, JSON.stringify(e));
    const again = await send(`${open.httpUrl}/api/v1/lineage?via=framework`, JSON.stringify(e));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: 'accepted', seq: expect.any(Number), warnings: [] });
    expect(again.body).toEqual({ ...first.body, status: 'duplicate' });
    expect({ ...again.headers, 'content-length': '*' }).toEqual({ ...first.headers, 'content-length': '*' });
    const viaRoute = await send(`${open.httpUrl}/api/v1/lineage`, JSON.stringify(event()));
    const viaFramework = await send(`${open.httpUrl}/api/v1/lineage?via=framework`, JSON.stringify(event()));
    expect(viaFramework.body.seq).toBe(viaRoute.body.seq + 1);
    const seqless = (a: Answer) => ({ ...a, body: { ...a.body, seq: 0 }, headers: { ...a.headers, 'content-length': '*' } });
    expect(seqless(viaRoute)).toEqual(seqless(viaFramework));
  });

  it('answers every refusal the same way: envelope, JSON, UTF-8, provenance, body shape', async () => {
    const noRunId = { ...event(), run: {} };
    const cases: Array<[string, string | Buffer, Record<string, string>?]> = [
      ['missing runId', JSON.stringify(noRunId)],
      ['an array', JSON.stringify([event()])],
      ['null', 'null'],
      ['a number', '42'],
      ['malformed JSON', '{"eventType": "COMPLETE",'],
      ['not UTF-8', Buffer.concat([Buffer.from('{"eventType":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])],
      ['unknown provenance', JSON.stringify(event()), { 'x-lineage-provenance': 'guessed' }],
      ['bad eventTime', JSON.stringify(event('ns-a', { eventTime: 'yesterday' }))],
    ];
    for (const [name, body, headers] of cases) {
      const { route, framework } = await both(open, body, headers);
      expect({ name, status: route.status }).toEqual({ name, status: framework.status });
      expect(route.status).toBeGreaterThanOrEqual(400);
      expect(route.status).toBeLessThan(500);
      expect({ name, answer: route }).toEqual({ name, answer: framework });
      if (name === 'malformed JSON') expect(route.body).toMatchObject({ error: 'invalid-json', field: 'body' });
    }
  });

  it('takes a BOM and a charset parameter, and echoes the correlation id', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(event()))]);
    const bom = await both(open, withBom);
    expect([bom.route.status, bom.framework.status]).toEqual([200, 200]);
    const charset = await both(open, JSON.stringify(event()), { 'content-type': 'application/json; charset=utf-8' });
    expect([charset.route.status, charset.framework.status]).toEqual([200, 200]);
    const res = await fetch(`${open.httpUrl}/api/v1/lineage`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-123' }, body: JSON.stringify(event()) });
    expect(res.headers.get('x-correlation-id')).toBe('corr-123');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('observes the route in http_request_duration_seconds under the same labels', async () => {
    const before = await metricCount(open, '200');
    const beforeRefused = await metricCount(open, '400');
    await both(open, JSON.stringify(event()));
    await both(open, JSON.stringify({ ...event(), run: {} }));
    expect(await metricCount(open, '200')).toBe(before + 2);
    expect(await metricCount(open, '400')).toBe(beforeRefused + 2);
  });

  it('with auth on: the same 401, 403 and 200 answers, and one rate limiter for both ways', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // the shard re-reads the token file by mtime
    const writer = token(['writer'], ['a']);
    const reader = token(['reader']);
    const cases: Array<[string, string, Record<string, string>]> = [
      ['no credential', JSON.stringify(event()), {}],
      ['unknown credential', JSON.stringify(event()), { authorization: 'Bearer not-a-token' }],
      ['a reader', JSON.stringify(event()), { authorization: `Bearer ${reader}` }],
      ['a namespace of another domain', JSON.stringify(event('ns-b')), { authorization: `Bearer ${writer}` }],
    ];
    for (const [name, body, headers] of cases) {
      const { route, framework } = await both(secure, body, headers);
      expect({ name, answer: route }).toEqual({ name, answer: framework });
      expect([401, 403]).toContain(route.status);
    }
    // the writer has used 2 of its RATE requests; the next ones alternate ways and the limit holds across both
    const statuses: number[] = [];
    for (let i = 0; i < RATE; i += 1) {
      const url = `${secure.httpUrl}/api/v1/lineage${i % 2 === 0 ? '' : '?via=framework'}`;
      statuses.push((await send(url, JSON.stringify(event()), { authorization: `Bearer ${writer}` })).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    const limited = await both(secure, JSON.stringify(event()), { authorization: `Bearer ${writer}` });
    expect(limited.route).toEqual(limited.framework);
    expect(limited.route.headers['retry-after']).toBeDefined();
  });
});
