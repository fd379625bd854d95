/**
 * A run's coverage as the reconciliation reads it (libs/model CoverageRecord, `coverage.record` of the shard
 * contract): the span of time the run read, under the dataset namespace its connector observes, with every gap
 * recorded in it. A gap found outside the windows the run read (a refused cursor's lost span) widens the span, so
 * the record accounts for it. Nothing is reported for a run that read no window.
 */
import type { CoverageRecordRequest } from '@lineage-hub/federation';
import type { RunRecord } from '../instances/connector-run.record';

export const runCoverageRecords = (run: RunRecord): CoverageRecordRequest['records'] => {
  const { windows, gaps } = run.coverage;
  if (run.coverage.windowsCovered === 0 && !run.window) return [];
  const spans = [...(run.window ? [run.window] : []), ...windows, ...gaps];
  const from = spans.reduce((min, s) => Math.min(min, s.from), Infinity);
  const to = spans.reduce((max, s) => Math.max(max, s.to), -Infinity);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [];
  return [
    {
      connectorId: run.connectorId,
      platform: run.kind,
      namespace: run.coverage.namespace ?? run.kind,
      from,
      to: Math.max(from, to),
      gaps: gaps.map((g) => ({ from: g.from, to: Math.max(g.from, g.to), kind: g.kind, ...(g.reason ? { reason: g.reason } : {}) })),
    },
  ];
};
