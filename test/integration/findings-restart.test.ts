/**
 * Findings and policies survive a shard restart (SQLite file and PostgreSQL): after a close and a start on the same
 * store, the open findings are read back with the same ids and history, the policy document put through the API is
 * the one in force, and the start's full evaluation keeps each open finding as it is (no second episode).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { createTempDatabase, getJson, postJson } from '../testing/shard-test-kit';

const H = 3_600_000;
const NS = 'postgres://db:5432';
const ORDERS = `dataset:${NS}:mart.orders`;
const runEvent = (runId: string, type: string, time: number) => ({
  eventType: type,
  eventTime: new Date(time).toISOString(),
  producer: 'https://example.com/findings-restart-test',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId, facets: {} },
  job: { namespace: 'airflow', name: 'daily.load', facets: {} },
  inputs: [],
  outputs: [{ namespace: NS, name: 'mart.orders' }],
});

describe.each(['sqlite', 'postgres'] as const)('findings survive a shard restart (%s)', (kind) => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lh-findings-restart-'));
  let storeUrl = `sqlite:${path.join(tmp, 'lineage.db')}`;
  let drop: (() => Promise<void>) | undefined;
  let shard: RunningShard | undefined;
  const now = Date.now();
  const boot = () =>
    startShard(
      shardConfig({
        port: 0,
        rpcPort: 0,
        rpcHost: '127.0.0.1',
        domain: 'sales',
        storeUrl,
        logLevel: 'error',
        findings: { intervalMs: 0, historyDays: 35, slackMs: 300_000, freshnessFile: undefined, actorsFile: undefined },
      }),
    );
  const waitForEvaluation = async (s: RunningShard) => {
    // the start's full evaluation runs in the background: evaluate on demand after it (evaluations never overlap)
    expect((await postJson(`${s.httpUrl}/api/v1/findings/evaluate`, {})).status).toBe(200);
  };

  beforeAll(async () => {
    if (kind === 'postgres') {
      const db = await createTempDatabase('findings_restart');
      storeUrl = db.url;
      drop = db.drop;
    }
  });

  afterAll(async () => {
    await shard?.close();
    await drop?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps open findings (same ids, history) and the API policy document across the restart', async () => {
    shard = await boot();
    const done = randomUUID();
    const failed = randomUUID();
    for (const e of [runEvent(done, 'START', now - 30 * H), runEvent(done, 'COMPLETE', now - 30 * H + 600_000), runEvent(failed, 'START', now - 6 * H), runEvent(failed, 'FAIL', now - 6 * H + 60_000)])
      expect((await postJson(`${shard.httpUrl}/api/v1/lineage`, e)).status).toBe(200);
    const policies = { policies: [{ dataset: ORDERS, warnAfter: '2h', errorAfter: '1d' }] };
    const put = await fetch(`${shard.httpUrl}/api/v1/freshness-policies`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(policies) });
    expect(put.status).toBe(200);
    await waitForEvaluation(shard);
    const before = (await getJson(`${shard.httpUrl}/api/v1/findings?status=open`)).body.findings;
    expect(before.map((f: any) => f.kind).sort()).toEqual(['failed-run', 'stale']);

    await shard.close();
    shard = await boot();
    await waitForEvaluation(shard);
    expect((await getJson(`${shard.httpUrl}/api/v1/freshness-policies`)).body).toEqual(policies);
    const after = (await getJson(`${shard.httpUrl}/api/v1/findings?status=open`)).body.findings;
    expect(after.map((f: any) => [f.id, f.key, f.openedAt])).toEqual(before.map((f: any) => [f.id, f.key, f.openedAt]));
    for (const f of after) expect((await getJson(`${shard.httpUrl}/api/v1/findings/${f.id}`)).body.history.map((h: any) => h.change)).toEqual(['opened']);
    expect((await getJson(`${shard.httpUrl}/api/v1/freshness?dataset=${encodeURIComponent(ORDERS)}`)).body).toMatchObject({ state: 'policy', status: 'stale', policy: policies.policies[0] });
  });
});
