/**
 * An incremental evaluation over the facts cache leaves what a full one would: the generated history loaded into
 * two stores alike (SQLite and PostgreSQL), the same new writes and run events given to both, then one store
 * evaluated incrementally (from its evaluator's cache) and the other fully, at the same times: the same open
 * findings (key, subject, evidence, summary, opening time) and the same freshness state of every dataset. Two
 * rounds: one 10 minutes on (a stuck run completes, a job runs again, writes arrive), one two days on (the
 * history window has moved, deadlines have passed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseNodeId, type Finding, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import type { RunFact } from '@lineage-hub/reconcile';
import { generateHistory } from '@lineage-hub/reconcile/testing';
import type { LineageStore } from '@lineage-hub/store';
import { MetricsService } from '@lineage-hub/common';
import { reconcileConfig } from '@lineage-hub/reconcile';
import { FindingsEvaluator } from '../../apps/shard/src/findings/findings-evaluator.service';
import { FindingsMetrics } from '../../apps/shard/src/findings/findings-metrics.service';
import { historyShard } from '../testing/findings-shard-kit';
import { runEvent } from '../testing/findings-history-loader';

const history = generateHistory({ seed: 23, weeks: 4 });
const facts = history.domains.find((d) => d.domain === 'sales')!;
const M = 60_000;
const DAY = 86_400_000;

const nsOf = (id: NodeId) => (parseNodeId(id) as { namespace: string }).namespace.toLowerCase();
const comparable = (f: Finding) => ({ key: f.key, kind: f.kind, dataset: f.dataset, job: f.job, confidence: f.confidence, summary: f.summary, evidence: f.evidence, openedAt: f.openedAt });

describe.each(['sqlite', 'postgres'] as const)('incremental evaluation from the facts cache (%s)', (kind) => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lh-findings-cache-'));
  const cleanups: Array<() => Promise<void>> = [];
  let incremental: { store: LineageStore; evaluator: FindingsEvaluator };
  let full: { store: LineageStore; evaluator: FindingsEvaluator };

  const shard = (name: string) => historyShard(kind, tmp, `cache_${name}`, facts, history.actors, cleanups);

  beforeAll(async () => {
    incremental = await shard('incremental');
    full = await shard('full');
    for (const s of [incremental, full]) await s.evaluator.evaluate('full', history.now);
  });

  afterAll(async () => {
    for (const c of cleanups) await c();
    rmSync(tmp, { recursive: true, force: true });
  });

  const both = async (fn: (store: LineageStore) => Promise<unknown>) => {
    for (const s of [incremental, full]) await fn(s.store);
  };

  const expectSameOutcome = async () => {
    const open = async (s: LineageStore) => (await s.findings.listFindings({ status: 'open', limit: 1000 })).findings.map(comparable).sort((a, b) => a.key.localeCompare(b.key));
    const resolved = async (s: LineageStore) => (await s.findings.listFindings({ status: 'resolved', limit: 1000 })).findings.map((f) => [f.key, f.resolvedAt]).sort();
    expect(await open(incremental.store)).toEqual(await open(full.store));
    expect(await resolved(incremental.store)).toEqual(await resolved(full.store));
    const datasets = [...new Set<NodeId>([...facts.writes.map((w) => w.dataset), ...facts.runs.flatMap((r) => r.outputs)])];
    for (const d of datasets) expect({ d, state: await incremental.store.findings.getFreshness(d) }).toEqual({ d, state: await full.store.findings.getFreshness(d) });
  };

  const write = (dataset: NodeId, at: number, queryId: string, over: Partial<ObservedWrite> = {}): ObservedWrite => ({ dataset, sources: [], writtenAt: at, queryId, connectorId: 'late', operation: 'INSERT', ...over });

  it('after a stuck run completes, a job runs again and writes arrive: the same findings and freshness as a full evaluation', async () => {
    const now = history.now + 10 * M;
    const stuck = facts.runs.find((r) => r.endedAt === null)!;
    const again = facts.runs.filter((r) => r.state === 'COMPLETE' && r.outputs.length > 0).at(-1)!;
    const rerun: RunFact = { ...again, runId: '99999999-9999-4999-8999-999999999999', startedAt: now - 8 * M, endedAt: now - 2 * M };
    await both((s) => s.ingest([runEvent(stuck, 'COMPLETE', now - 5 * M, false), runEvent(rerun, 'START', rerun.startedAt!, true), runEvent(rerun, 'COMPLETE', rerun.endedAt!, false)]));
    const stale = history.planted.filter((p) => p.kind === 'stale' && p.domain === 'sales').map((p) => p.key.slice('stale|'.length) as NodeId);
    await both((s) =>
      s.recordObservedWrites([
        ...stale.map((d, i) => write(d, now - M, `late-${i}`, { actor: 'SVC_FIVETRAN_SALES' })),
        write(rerun.outputs[0], now - 5 * M, 'rerun-load'),
        write(rerun.outputs[0], now - 40 * M, 'adhoc-fix', { operation: 'UPDATE', actor: 'someone@acme.com' }),
      ]),
    );
    const summary = await incremental.evaluator.evaluate('incremental', now);
    expect(summary.mode).toBe('incremental');
    expect(incremental.evaluator.cachedFacts).toBeGreaterThan(0);
    await full.evaluator.evaluate('full', now);
    await expectSameOutcome();
    // not vacuous: the analyst's write opened its finding, the late updates resolved staleness
    const open = (await incremental.store.findings.listFindings({ status: 'open', limit: 1000 })).findings.map((f) => f.key);
    expect(open).toContain(`undeclared-write|${rerun.outputs[0]}|adhoc-fix`);
    expect((await incremental.store.findings.listFindings({ status: 'resolved', kind: 'stale' })).findings.length).toBeGreaterThan(0);
  });

  it('two days on (the window moved, deadlines passed), with a delete and a repeated write: still the same', async () => {
    const now = history.now + 2 * DAY;
    const target = facts.writes[facts.writes.length - 1].dataset;
    await both((s) => s.recordObservedWrites([write(target, now - 60 * M, 'purge', { operation: 'DELETE', actor: 'dba' }), write(target, now - 10 * M, 'rerun-load')]));
    const due = await incremental.store.findings.dueDatasets(now);
    const summary = await incremental.evaluator.evaluate('incremental', now);
    expect(summary.mode).toBe('incremental');
    expect(incremental.evaluator.cachedFacts).toBeGreaterThan(0);
    // not vacuous: deadlines passed, so datasets beyond the written one were due (the warm evaluator takes them
    // from the states it stored, not from the store) and were evaluated
    expect(due.length).toBeGreaterThan(0);
    expect(summary.datasets).toBeGreaterThan(1);
    await full.evaluator.evaluate('full', now);
    await expectSameOutcome();
  });

  it('a job runs three times unobserved, and only later the connector reads those hours: the same (unobserved-output opens)', async () => {
    const now = history.now + 3 * DAY;
    const observed = new Set(facts.coverage.map((c) => c.namespace.toLowerCase()));
    const template = facts.runs.find((r) => r.state === 'COMPLETE' && r.outputs.some((o) => observed.has(nsOf(o))))!;
    const out = template.outputs.find((o) => observed.has(nsOf(o)))!;
    // three short runs in the last hour, so the output is not due at `now` (its writers are not evaluated for that)
    const runs: RunFact[] = [50, 40, 30].map((m, i) => ({ ...template, runId: `99999999-9999-4999-8999-00000000000${i}`, outputs: [out], startedAt: now - m * M, endedAt: now - m * M + 5 * M }));
    await both((s) => s.ingest(runs.flatMap((r) => [runEvent(r, 'START', r.startedAt!, false), runEvent(r, 'COMPLETE', r.endedAt!, false)])));
    const unobserved = `unobserved-output|${template.job}|${out}`;
    const openKeys = async () => (await incremental.store.findings.listFindings({ status: 'open', limit: 1000 })).findings.map((f) => f.key);

    // the connector has not read those hours yet: no finding
    expect((await incremental.evaluator.evaluate('incremental', now - 10 * M)).mode).toBe('incremental');
    await full.evaluator.evaluate('full', now - 10 * M);
    await expectSameOutcome();
    expect(await openKeys()).not.toContain(unobserved);

    // it reads them, and sees no write: no new run or write, only coverage
    const connector = facts.coverage.find((c) => c.namespace.toLowerCase() === nsOf(out))!;
    const readTo = Math.max(...facts.coverage.filter((c) => c.connectorId === connector.connectorId).map((c) => c.to));
    await both((s) => s.findings.recordCoverage([{ connectorId: connector.connectorId, platform: connector.platform, namespace: connector.namespace, from: readTo, to: now, gaps: [], recordedAt: now }]));
    expect(await incremental.store.findings.dueDatasets(now)).not.toContain(out); // so coverage is what re-evaluates its writer
    expect((await incremental.evaluator.evaluate('incremental', now)).mode).toBe('incremental');
    await full.evaluator.evaluate('full', now);
    await expectSameOutcome();
    expect(await openKeys()).toContain(unobserved);
  });

  it('another evaluator stored an evaluation meanwhile: the held facts are dropped and the store read, still the same', async () => {
    const now = history.now + 3 * DAY + 30 * M;
    const settings = { domain: facts.domain, rules: reconcileConfig({ actors: history.actors }), historyMs: 35 * DAY, intervalMs: 0, filePolicies: null };
    const other = new FindingsEvaluator(incremental.store, settings, new FindingsMetrics(new MetricsService()));
    const [first, second] = [facts.writes[0].dataset, facts.writes[facts.writes.length - 1].dataset];
    await both((s) => s.recordObservedWrites([write(first, now - 20 * M, 'other-load')]));
    expect((await other.evaluate('incremental', now - 10 * M)).mode).toBe('incremental');
    await full.evaluator.evaluate('full', now - 10 * M);
    await both((s) => s.recordObservedWrites([write(second, now - 5 * M, 'other-fix', { operation: 'UPDATE', actor: 'someone@acme.com' })]));
    expect(incremental.evaluator.cachedFacts).toBeGreaterThan(0);
    expect((await incremental.evaluator.evaluate('incremental', now)).mode).toBe('incremental');
    expect(incremental.evaluator.cachedFacts).toBe(0); // its facts reflected a mark no longer stored
    await full.evaluator.evaluate('full', now);
    await expectSameOutcome();
    expect((await incremental.store.findings.listFindings({ status: 'open', limit: 1000 })).findings.map((f) => f.key)).toContain(`undeclared-write|${second}|other-fix`);
  });
});
