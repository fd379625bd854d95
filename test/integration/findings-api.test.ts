/**
 * Findings over HTTP, for real: two shards (SQLite, no Redis) and a gateway. Runs, observed writes, coverage and
 * policies go in through the shards' APIs; POST /api/v1/findings/evaluate; reads with filters, paging and
 * history; bad input is a 400 naming the field with nothing applied; /metrics; the gateway federates with
 * complete/missingDomains.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGateway, type RunningGateway } from '../../apps/gateway/src/gateway-app';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { getJson, postJson } from '../testing/shard-test-kit';

const H = 3_600_000;
const put = (url: string, body: unknown) => fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const runEvent = (job: string, runId: string, type: string, time: number, io: { inputs?: string[]; outputs?: string[] } = {}) => ({
  eventType: type,
  eventTime: new Date(time).toISOString(),
  producer: 'https://example.com/findings-api-test',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId, facets: {} },
  job: { namespace: 'airflow', name: job, facets: {} },
  inputs: (io.inputs ?? []).map((name) => ({ namespace: 'postgres://db:5432', name })),
  outputs: (io.outputs ?? []).map((name) => ({ namespace: 'postgres://db:5432', name })),
});

describe('findings API (shards + gateway)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lh-findings-api-'));
  let sales: RunningShard;
  let finance: RunningShard;
  let gateway: RunningGateway;
  const now = Date.now();

  beforeAll(async () => {
    const policyFile = path.join(tmp, 'freshness.yaml');
    writeFileSync(policyFile, 'policies:\n  - domain: sales\n    warnAfter: 2h\n');
    const boot = (domain: string, extra: Partial<ReturnType<typeof shardConfig>['findings']> = {}) =>
      startShard(
        shardConfig({
          port: 0,
          rpcPort: 0,
          rpcHost: '127.0.0.1',
          domain,
          storeUrl: `sqlite:${path.join(tmp, domain, 'lineage.db')}`,
          logLevel: 'error',
          findings: { intervalMs: 0, historyDays: 35, slackMs: 300_000, freshnessFile: undefined, actorsFile: undefined, ...extra },
        }),
      );
    sales = await boot('sales', { freshnessFile: policyFile });
    finance = await boot('finance');
    gateway = await startGateway(
      loadGatewayConfig({ PORT: '0', SHARDS: `sales=127.0.0.1:${sales.rpcPort},finance=127.0.0.1:${finance.rpcPort},gone=127.0.0.1:1`, LOG_LEVEL: 'error', SHARD_TIMEOUT_MS: '1500' }),
    );
    // sales: a job whose latest run failed, after a completed one; finance: an analyst's direct write
    const r1 = randomUUID();
    const r2 = randomUUID();
    for (const e of [
      runEvent('daily.load', r1, 'START', now - 30 * H, { inputs: ['raw.orders'], outputs: ['mart.orders'] }),
      runEvent('daily.load', r1, 'COMPLETE', now - 30 * H + 600_000, { inputs: ['raw.orders'], outputs: ['mart.orders'] }),
      runEvent('daily.load', r2, 'START', now - 6 * H),
      runEvent('daily.load', r2, 'FAIL', now - 6 * H + 60_000),
    ])
      expect((await postJson(`${sales.httpUrl}/api/v1/lineage`, e)).status).toBe(200);
    const write = { dataset: 'dataset:postgres://db:5432:ledger.entries', sources: [], writtenAt: now - H, queryId: 'q-adhoc', connectorId: 'pg', operation: 'UPDATE', actor: 'analyst_ann', queryText: 'update entries set amount = 0' };
    expect((await postJson(`${finance.httpUrl}/api/v1/observed-writes`, [write])).status).toBe(200);
  });

  afterAll(async () => {
    await gateway?.close();
    await sales?.close();
    await finance?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('evaluates on demand and lists findings with filters; a finding has its history', async () => {
    for (const shard of [sales, finance]) {
      const res = await postJson(`${shard.httpUrl}/api/v1/findings/evaluate`, {});
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ mode: expect.any(String), open: expect.any(Number) });
    }
    const failed = await getJson(`${sales.httpUrl}/api/v1/findings?kind=failed-run&status=open`);
    expect(failed.status).toBe(200);
    expect(failed.body.findings).toEqual([expect.objectContaining({ kind: 'failed-run', job: 'job:airflow:daily.load', domain: 'sales', status: 'open', confidence: 'high' })]);
    const stale = await getJson(`${sales.httpUrl}/api/v1/findings?kind=stale`);
    expect(stale.body.findings).toEqual([expect.objectContaining({ dataset: 'dataset:postgres://db:5432:mart.orders', evidence: expect.objectContaining({ source: 'policy', level: 'warn' }) })]);
    const direct = await getJson(`${finance.httpUrl}/api/v1/findings?dataset=${encodeURIComponent('dataset:postgres://db:5432:ledger.entries')}`);
    expect(direct.body.findings.map((f: any) => [f.kind, f.evidence.writes[0].actor])).toEqual([['undeclared-write', 'analyst_ann']]);
    const one = await getJson(`${sales.httpUrl}/api/v1/findings/${failed.body.findings[0].id}`);
    expect(one.body.history).toEqual([expect.objectContaining({ change: 'opened' })]);
    expect((await getJson(`${sales.httpUrl}/api/v1/findings/nope`)).status).toBe(404);
    const fresh = await getJson(`${sales.httpUrl}/api/v1/freshness?dataset=${encodeURIComponent('dataset:postgres://db:5432:mart.orders')}`);
    expect(fresh.body).toMatchObject({ state: 'policy', source: 'policy', status: 'stale', policy: { domain: 'sales', warnAfter: '2h' } });
  });

  it.each([
    ['kind=nope', 'kind'],
    ['status=closed', 'status'],
    ['dataset=job:airflow:x', 'dataset'],
    ['limit=0', 'limit'],
    ['since=yesterday', 'since'],
    ['cursor=garbage', 'cursor'],
  ])('GET /api/v1/findings?%s is a 400 naming %s', async (query, field) => {
    const res = await getJson(`${sales.httpUrl}/api/v1/findings?${query}`);
    expect([res.status, res.body.field]).toEqual([400, field]);
  });

  it('POST /api/v1/findings/evaluate?mode=fll is a 400 naming mode (no evaluation run)', async () => {
    const res = await postJson(`${sales.httpUrl}/api/v1/findings/evaluate?mode=fll`, {});
    expect([res.status, ((await res.json()) as any).field]).toEqual([400, 'mode']);
  });

  it('refuses a bad policy document naming the field and applies nothing; a good one replaces it', async () => {
    const before = await getJson(`${sales.httpUrl}/api/v1/freshness-policies`);
    expect(before.body).toEqual({ policies: [{ domain: 'sales', warnAfter: '2h' }] });
    const bad = await put(`${sales.httpUrl}/api/v1/freshness-policies`, { policies: [{ tag: 'gold', warnAfter: '1h' }, { tag: 'x', deadline: { cron: '0 6 * * *', timeZone: 'Nowhere/City' } }] });
    expect([bad.status, ((await bad.json()) as any).field]).toEqual([400, 'policies[1].deadline.timeZone']);
    expect((await getJson(`${sales.httpUrl}/api/v1/freshness-policies`)).body).toEqual(before.body);
    const good = { policies: [{ dataset: 'dataset:postgres://db:5432:mart.orders', deadline: { cron: '0 6 * * 1-5', timeZone: 'Europe/Berlin' } }] };
    expect((await put(`${sales.httpUrl}/api/v1/freshness-policies`, good)).status).toBe(200);
    expect((await getJson(`${sales.httpUrl}/api/v1/freshness-policies`)).body).toEqual(good);
  });

  it('accepts coverage records from the worker and refuses a bad one naming the field', async () => {
    const rec = { connectorId: 'pg', platform: 'postgres', namespace: 'postgres://db:5432', from: now - 10 * H, to: now - 8 * H, gaps: [] };
    const bad = await postJson(`${finance.httpUrl}/api/v1/coverage`, [rec, { ...rec, to: 'later' }]);
    expect([bad.status, ((await bad.json()) as any).field]).toEqual([400, '[1].to']);
    expect((await postJson(`${finance.httpUrl}/api/v1/coverage`, [rec])).status).toBe(200);
    await postJson(`${finance.httpUrl}/api/v1/findings/evaluate`, {});
    const gaps = await getJson(`${finance.httpUrl}/api/v1/findings?kind=coverage-gap`);
    expect(gaps.body.findings.map((f: any) => f.key)).toEqual(['coverage-gap|pg|behind']);
  });

  it('exposes open findings by kind, evaluation duration and datasets evaluated on /metrics', async () => {
    const text = await (await fetch(`${sales.httpUrl}/metrics`)).text();
    expect(text).toMatch(/lineage_findings_open\{kind="failed-run"\} 1/);
    expect(text).toMatch(/lineage_findings_evaluation_duration_seconds_count\{mode="(full|incremental)"\} \d+/);
    expect(text).toMatch(/lineage_findings_datasets_evaluated_total\{mode="(full|incremental)"\} \d+/);
  });

  it('federates findings at the gateway with complete/missingDomains', async () => {
    const all = await getJson(`${gateway.url}/api/v1/findings?status=open`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ complete: false, missingDomains: ['gone'] });
    expect(new Set(all.body.findings.map((f: any) => f.domain))).toEqual(new Set(['sales', 'finance']));
    const page1 = await getJson(`${gateway.url}/api/v1/findings?limit=1`);
    const page2 = await getJson(`${gateway.url}/api/v1/findings?limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body.findings[0].id).not.toBe(page1.body.findings[0].id);
    const id = all.body.findings.find((f: any) => f.domain === 'finance').id;
    expect((await getJson(`${gateway.url}/api/v1/findings/${id}`)).body).toMatchObject({ id, domain: 'finance', history: [expect.objectContaining({ change: 'opened' })] });
    expect((await getJson(`${gateway.url}/api/v1/findings?kind=bogus`)).body.field).toBe('kind');
    const fresh = await getJson(`${gateway.url}/api/v1/freshness?dataset=${encodeURIComponent('dataset:postgres://db:5432:mart.orders')}`);
    expect(fresh.body.states.map((s: any) => s.domain)).toEqual(['sales']);
  });
});
