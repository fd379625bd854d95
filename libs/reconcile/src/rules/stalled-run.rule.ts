/**
 * stalled-run: a run with a START (or RUNNING) and no terminal event past max(the configured timeout, a high
 * quantile of the job's completed durations x margin). A FAIL is not a stall. Key: stalled-run|job|runId.
 */
import type { NodeId } from '@lineage-hub/model';
import { humanMs, iso, runEvidence } from '../evidence';
import { quantile } from '../quantile';
import type { FindingDraft, ReconcileConfig, RunFact } from '../reconcile.types';

/** The longest a run of this job may stay open. */
export const stallLimit = (runs: readonly RunFact[], cfg: ReconcileConfig['stalled']): number => {
  const durations = runs.filter((r) => r.state === 'COMPLETE' && r.startedAt !== null && r.endedAt !== null).map((r) => r.endedAt! - r.startedAt!);
  const learned = durations.length >= cfg.minRuns ? quantile(durations, cfg.quantile)! * cfg.margin : 0;
  return Math.max(cfg.timeoutMs, learned);
};

export const stalledRuns = (job: NodeId, runs: readonly RunFact[], cfg: ReconcileConfig['stalled'], now: number): FindingDraft[] => {
  const limit = stallLimit(runs, cfg);
  return runs
    .filter((r) => (r.state === 'START' || r.state === 'RUNNING') && r.endedAt === null && r.startedAt !== null && now - r.startedAt > limit)
    .map((r) => ({
      key: `stalled-run|${job}|${r.runId}`,
      kind: 'stalled-run' as const,
      job,
      confidence: 'high' as const,
      summary: `run ${r.runId} of ${job} started ${iso(r.startedAt)} and has not finished within ${humanMs(limit)}`,
      evidence: { runs: [runEvidence(r)], elapsedMs: now - r.startedAt!, limitMs: limit },
    }));
};
