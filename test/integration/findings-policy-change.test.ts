/**
 * A freshness policy document replaced (PUT /api/v1/freshness-policies) applies at the next evaluation, incremental
 * or full: a dataset the new policy makes late is stale, and a stale finding that only an old policy raised resolves,
 * without waiting for the dataset to change or to fall due under its old expectation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { datasetId } from '@lineage-hub/model';
import { createStore, type LineageStore } from '@lineage-hub/store';
import type { FindingsEvaluator } from '../../apps/shard/src/findings/findings-evaluator.service';
import { domainEvaluator } from '../testing/findings-shard-kit';

const H = 3_600_000;
const NS = 'snowflake://acme';
const ORDERS = datasetId(NS, 'mart.orders');

describe.each(['warm', 'cold'] as const)('findings: a replaced policy document applies at the next incremental evaluation (%s)', (temperature) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-findings-policy-'));
  let store: LineageStore;
  let evaluator: FindingsEvaluator;
  const now = Date.now();
  const staleKeys = async () => (await store.findings.listFindings({ kind: 'stale', status: 'open' })).findings.map((f) => f.key);
  const incremental = async (at: number) => {
    if (temperature === 'cold') evaluator.releaseFacts();
    return evaluator.evaluate('incremental', at);
  };

  beforeAll(async () => {
    store = await createStore(`sqlite:${path.join(dir, 'lineage.db')}`);
    await store.migrate();
    // daily loads for two weeks, the last one 5 hours ago: learned, not late
    const writes = Array.from({ length: 14 }, (_, i) => ({ dataset: ORDERS, sources: [], writtenAt: now - 5 * H - i * 24 * H, operation: 'INSERT' as const, actor: 'etl', queryId: `q${i}`, connectorId: 'sf' }));
    await store.recordObservedWrites(writes);
    evaluator = domainEvaluator(store, 'sales', { etl: { domain: 'sales' } });
    await evaluator.evaluate('full', now);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('learned and fresh before any policy', async () => {
    expect(await staleKeys()).toEqual([]);
    expect(await store.findings.getFreshness(ORDERS)).toMatchObject({ state: 'learned', status: 'fresh' });
  });

  it('a policy put later makes it stale at the next incremental evaluation', async () => {
    await store.findings.putPolicies({ policies: [{ dataset: ORDERS, warnAfter: '1h' }] }, now + 60_000);
    await incremental(now + 2 * 60_000);
    expect(await staleKeys()).toEqual([`stale|${ORDERS}`]);
    expect(await store.findings.getFreshness(ORDERS)).toMatchObject({ state: 'policy', status: 'stale', policy: { dataset: ORDERS, warnAfter: '1h' } });
  });

  it('the policy removed resolves it at the next incremental evaluation', async () => {
    await store.findings.putPolicies({ policies: [] }, now + 3 * 60_000);
    await incremental(now + 4 * 60_000);
    expect(await staleKeys()).toEqual([]);
    expect(await store.findings.getFreshness(ORDERS)).toMatchObject({ state: 'learned', status: 'fresh', policy: null });
  });
});
