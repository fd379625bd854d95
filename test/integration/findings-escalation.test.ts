/**
 * A dataset stale at the warn level of a warnAfter/errorAfter policy turns error at the next evaluation after its
 * error threshold, incremental (warm facts or read from the store) as well as full, though nothing changed: the
 * finding's evidence says `level: error`, with an `updated` history entry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { datasetId } from '@lineage-hub/model';
import { createStore, type LineageStore } from '@lineage-hub/store';
import type { FindingsEvaluator } from '../../apps/shard/src/findings/findings-evaluator.service';
import { domainEvaluator } from '../testing/findings-shard-kit';

const H = 3_600_000;
const ORDERS = datasetId('snowflake://acme', 'mart.orders');

describe.each(['warm', 'cold'] as const)('findings: a stale warn turns error at the next incremental evaluation (%s)', (temperature) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-findings-escalation-'));
  let store: LineageStore;
  let evaluator: FindingsEvaluator;
  const now = Date.now();
  const stale = async () => (await store.findings.listFindings({ kind: 'stale', status: 'open' })).findings;
  const incremental = (at: number) => {
    if (temperature === 'cold') evaluator.releaseFacts();
    return evaluator.evaluate('incremental', at);
  };

  beforeAll(async () => {
    store = await createStore(`sqlite:${path.join(dir, 'lineage.db')}`);
    await store.migrate();
    await store.recordObservedWrites([{ dataset: ORDERS, sources: [], writtenAt: now - 2 * H, operation: 'INSERT', actor: 'etl', queryId: 'q1', connectorId: 'sf' }]);
    await store.findings.putPolicies({ policies: [{ dataset: ORDERS, warnAfter: '1h', errorAfter: '3h' }] }, 0);
    evaluator = domainEvaluator(store, 'sales', { etl: { domain: 'sales' } });
    await evaluator.evaluate('full', now);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is stale at the warn level, due to escalate at its error threshold', async () => {
    expect((await stale()).map((f) => f.evidence.level)).toEqual(['warn']);
    expect(await store.findings.getFreshness(ORDERS)).toMatchObject({ status: 'stale', escalatesAt: now - 2 * H + 3 * H });
    await incremental(now + 30 * 60_000);
    expect((await stale()).map((f) => f.evidence.level)).toEqual(['warn']);
  });

  it('turns error once the threshold passed, with nothing new', async () => {
    await incremental(now + 2 * H);
    const [f] = await stale();
    expect(f.evidence.level).toBe('error');
    expect((await store.findings.getFinding(f.id))!.history.map((h) => h.change)).toEqual(['opened', 'updated']);
    expect((await store.findings.getFreshness(ORDERS))!.escalatesAt).toBeUndefined();
    expect(await store.findings.dueDatasets(now + 10 * H)).toEqual([]);
  });
});
