/**
 * The generated history (libs/reconcile/testing) end to end through the shard's store, on SQLite and on a real
 * PostgreSQL: loaded as OpenLineage events, observed writes, coverage and policies, evaluated by the shard's
 * FindingsEvaluator: every planted finding open, nothing else. Then incrementally: the stale datasets get their
 * update and resolve, a new direct write opens one finding, and nothing else changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NodeId } from '@lineage-hub/model';
import { formatOracleReport, generateHistory, scoreAgainstOracle } from '@lineage-hub/reconcile/testing';
import type { LineageStore } from '@lineage-hub/store';
import { FindingsEvaluator } from '../../apps/shard/src/findings/findings-evaluator.service';
import { historyShard } from '../testing/findings-shard-kit';

const history = generateHistory({ seed: 11, weeks: 4 });

describe.each(['sqlite', 'postgres'] as const)('generated history through the store (%s)', (kind) => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lh-findings-gen-'));
  const cleanups: Array<() => Promise<void>> = [];
  const shards: Array<{ domain: string; store: LineageStore; evaluator: FindingsEvaluator }> = [];

  beforeAll(async () => {
    for (const facts of history.domains) shards.push({ domain: facts.domain, ...(await historyShard(kind, tmp, `gen_${facts.domain}`, facts, history.actors, cleanups)) });
  });

  afterAll(async () => {
    for (const c of cleanups) await c();
    rmSync(tmp, { recursive: true, force: true });
  });

  const openKeys = async () => {
    const out: { domain: string; key: string }[] = [];
    for (const s of shards) for (const f of (await s.store.findings.listFindings({ status: 'open', limit: 1000 })).findings) out.push({ domain: s.domain, key: f.key });
    return out;
  };

  const fullCounts = new Map<string, number>();

  it('raises every planted finding and nothing else', async () => {
    for (const s of shards) fullCounts.set(s.domain, (await s.evaluator.evaluate('full', history.now)).datasets);
    const report = scoreAgainstOracle(history.planted, await openKeys());
    process.stdout.write(`${kind}\n${formatOracleReport(report)}\n`);
    expect({ missed: report.missed, unexpected: report.unexpected }).toEqual({ missed: [], unexpected: [] });
  });

  it('evaluates incrementally: an update resolves staleness, a direct write opens one finding', async () => {
    const now = history.now + 10 * 60_000;
    const stale = history.planted.filter((p) => p.kind === 'stale');
    const marketing = shards.find((s) => s.domain === 'marketing')!;
    const sales = shards.find((s) => s.domain === 'sales')!;
    for (const p of stale) {
      const shard = shards.find((s) => s.domain === p.domain)!;
      const dataset = p.key.slice('stale|'.length) as NodeId;
      await shard.store.recordObservedWrites([{ dataset, sources: [], writtenAt: now - 60_000, queryId: `late-${dataset}`, connectorId: 'late', operation: 'INSERT', actor: 'SVC_FIVETRAN_SALES' }]);
    }
    const target = 'dataset:bigquery:mkt-prod.mart.campaign_daily' as NodeId;
    await marketing.store.recordObservedWrites([{ dataset: target, sources: [], writtenAt: now - 120_000, queryId: 'adhoc-new', connectorId: 'bq-mkt', operation: 'UPDATE', actor: 'someone@acme.com' }]);
    for (const s of shards) {
      const summary = await s.evaluator.evaluate('incremental', now);
      expect(summary.mode).toBe('incremental');
      // only what changed, what was due and the jobs with open runs were looked at
      expect(summary.datasets).toBeLessThan(fullCounts.get(s.domain)!);
    }
    const expected = history.planted.filter((p) => p.kind !== 'stale').map((p) => ({ domain: p.domain, key: p.key }));
    expected.push({ domain: 'marketing', key: `undeclared-write|${target}|adhoc-new` });
    const report = scoreAgainstOracle(expected.map((e) => ({ ...e, kind: e.key.split('|')[0] as never })), await openKeys());
    expect({ missed: report.missed, unexpected: report.unexpected }).toEqual({ missed: [], unexpected: [] });
    const resolved = (await sales.store.findings.listFindings({ status: 'resolved', kind: 'stale' })).findings;
    expect(resolved).toHaveLength(stale.filter((p) => p.domain === 'sales').length);
    const detail = await sales.store.findings.getFinding(resolved[0].id);
    expect(detail!.history.map((h) => h.change)).toEqual(['opened', 'resolved']);
  });

  it('leaves what a full evaluation would: a full one right after the incremental opens and resolves nothing', async () => {
    const now = history.now + 10 * 60_000;
    for (const s of shards) {
      const before = await openKeys();
      const summary = await s.evaluator.evaluate('full', now);
      expect({ domain: s.domain, opened: summary.opened, resolved: summary.resolved }).toEqual({ domain: s.domain, opened: 0, resolved: 0 });
      expect(await openKeys()).toEqual(before);
    }
  });
});
