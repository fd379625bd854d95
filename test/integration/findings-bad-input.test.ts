/**
 * Bad input to the findings API of a real shard (SQLite, no Redis) and the gateway's federated reads, where the
 * checks of findings-api.test.ts left holes: each is a 400 naming the field with nothing applied (GET after a
 * refused PUT shows the old document), or, for a policy, one the evaluator reads as it was written.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGateway, type RunningGateway } from '../../apps/gateway/src/gateway-app';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { getJson, postJson } from '../testing/shard-test-kit';

const H = 3_600_000;
const DATASET = 'dataset:postgres://db:5432:ledger.entries';
const put = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const cursorOf = (json: string) => Buffer.from(json).toString('base64url');

describe('findings API: bad input (shard + gateway)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lh-findings-bad-'));
  const config = (freshnessFile?: string) =>
    shardConfig({
      port: 0,
      rpcPort: 0,
      rpcHost: '127.0.0.1',
      domain: 'finance',
      storeUrl: `sqlite:${path.join(tmp, `lineage-${Math.random()}.db`)}`,
      logLevel: 'error',
      findings: { intervalMs: 0, historyDays: 35, slackMs: 300_000, freshnessFile, actorsFile: undefined },
    });
  let shard: RunningShard;
  let gateway: RunningGateway;
  const writtenAt = Date.now() - H;
  const policies = () => getJson(`${shard.httpUrl}/api/v1/freshness-policies`);
  const evaluations = async () => {
    const text = await (await fetch(`${shard.httpUrl}/metrics`)).text();
    return [...text.matchAll(/lineage_findings_evaluation_duration_seconds_count\{[^}]*\} (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  };

  beforeAll(async () => {
    shard = await startShard(config());
    gateway = await startGateway(loadGatewayConfig({ PORT: '0', SHARDS: `finance=127.0.0.1:${shard.rpcPort}`, LOG_LEVEL: 'error', SHARD_TIMEOUT_MS: '3000' }));
    const write = { dataset: DATASET, sources: [], writtenAt, queryId: 'q-1', connectorId: 'pg', operation: 'INSERT', actor: 'loader', queryText: 'insert into entries select 1' };
    expect((await postJson(`${shard.httpUrl}/api/v1/observed-writes`, [write])).status).toBe(200);
  });

  afterAll(async () => {
    await gateway?.close();
    await shard?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('reads a bare-number duration as milliseconds: stored with its unit, and the dataset goes stale by it', async () => {
    const res = await put(`${shard.httpUrl}/api/v1/freshness-policies`, { policies: [{ dataset: DATASET, warnAfter: 60_000 }] });
    expect([res.status, res.body]).toEqual([200, { policies: [{ dataset: DATASET, warnAfter: '60000ms' }] }]);
    expect((await postJson(`${shard.httpUrl}/api/v1/findings/evaluate?mode=full`, {})).status).toBe(200);
    const fresh = await getJson(`${shard.httpUrl}/api/v1/freshness?dataset=${encodeURIComponent(DATASET)}`);
    expect(fresh.body).toMatchObject({ source: 'policy', status: 'stale', lastUpdate: writtenAt, expectedBy: writtenAt + 60_000 });
    // what GET returns is a document PUT takes back unchanged
    expect((await put(`${shard.httpUrl}/api/v1/freshness-policies`, (await policies()).body)).status).toBe(200);
    expect((await policies()).body).toEqual({ policies: [{ dataset: DATASET, warnAfter: '60000ms' }] });
  });

  it('refuses a duration past 3650d through the gateway (PUT ?domain=) too, and applies nothing', async () => {
    const before = (await policies()).body;
    const res = await put(`${gateway.url}/api/v1/freshness-policies?domain=finance`, { policies: [{ tag: 'gold', warnAfter: '9999999w' }] });
    expect([res.status, res.body.field]).toEqual([400, 'policies[0].warnAfter']);
    expect((await policies()).body).toEqual(before);
  });

  it.each([
    ['a 320-digit number of weeks', { policies: [{ dataset: DATASET, warnAfter: `${'9'.repeat(320)}w` }] }, 'policies[0].warnAfter'],
    ['99999d', { policies: [{ dataset: DATASET, warnAfter: '1h', errorAfter: '99999d' }] }, 'policies[0].errorAfter'],
    ['1e300 ms', { policies: [{ tag: 'gold', warnAfter: 1e300 }] }, 'policies[0].warnAfter'],
  ])('refuses a duration past 3650d (%s) naming the field, and applies nothing', async (_name, doc, field) => {
    const before = (await policies()).body;
    const res = await put(`${shard.httpUrl}/api/v1/freshness-policies`, doc);
    expect([res.status, res.body.error, res.body.field]).toEqual([400, 'invalid-argument', field]);
    expect((await policies()).body).toEqual(before);
  });

  it.each([
    ['a NUL in a tag', { policies: [{ tag: 'gold', warnAfter: '1h' }, { tag: 'a\u0000b', warnAfter: '1h' }] }, 'policies[1].tag'],
    ['a lone surrogate in a domain', { policies: [{ domain: '\ud800', warnAfter: '1h' }] }, 'policies[0].domain'],
    ['a 4 MB tag', { policies: [{ tag: 'x'.repeat(4_000_000), warnAfter: '1h' }] }, 'policies[0].tag'],
    ['a 600-byte namespace', { policies: [{ namespace: 'n'.repeat(600), warnAfter: '1h' }] }, 'policies[0].namespace'],
  ])('refuses a selector no node can carry (%s) naming the field, and applies nothing', async (_name, doc, field) => {
    const before = (await policies()).body;
    const res = await put(`${shard.httpUrl}/api/v1/freshness-policies`, doc);
    expect([res.status, res.body.error, res.body.field]).toEqual([400, 'invalid-argument', field]);
    expect((await policies()).body).toEqual(before);
  });

  it.each([
    [{ mode: 'full' }, 'body.mode'],
    [[1, 2], 'body'],
  ])('POST /api/v1/findings/evaluate with the body %j (which it would ignore) is a 400 naming %s; no evaluation runs', async (body, field) => {
    const count = await evaluations();
    const res = await postJson(`${shard.httpUrl}/api/v1/findings/evaluate`, body);
    expect([res.status, ((await res.json()) as any).field]).toEqual([400, field]);
    expect(await evaluations()).toBe(count);
    expect((await postJson(`${shard.httpUrl}/api/v1/findings/evaluate`, {})).status).toBe(200);
  });

  it.each([
    ['since=99999999999999999999', 'since'],
    ['since=8640000000000001', 'since'],
    [`cursor=${cursorOf('[1e400,"x"]')}`, 'cursor'],
    [`cursor=${cursorOf('[1,"x","y"]')}`, 'cursor'],
  ])('GET /api/v1/findings?%s is a 400 naming %s, at the shard and the gateway', async (query, field) => {
    for (const base of [shard.httpUrl, gateway.url]) {
      const res = await getJson(`${base}/api/v1/findings?${query}`);
      expect([base, res.status, res.body.field]).toEqual([base, 400, field]);
    }
  });

  it('refuses to start on an invalid FRESHNESS_FILE, naming the file and the field', async () => {
    const file = path.join(tmp, 'freshness.yaml');
    writeFileSync(file, 'policies:\n  - tag: gold\n    warnAfter: 1h\n  - domain: finance\n    warnAfter: 1x\n');
    const stores = () => readdirSync(tmp).filter((name) => name.startsWith('lineage-')).sort();
    const before = stores();
    await expect(startShard(config(file))).rejects.toThrow(`FRESHNESS_FILE (${file}): policies[1].warnAfter: must be a positive duration`);
    // refused before anything opened: no store file was created (and none is left open to write into the directory)
    expect(stores()).toEqual(before);
  });
});
