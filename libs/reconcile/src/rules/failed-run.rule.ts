/** failed-run: the job's latest finished run FAILED; resolves when a later run completes. Key: failed-run|job. */
import type { NodeId } from '@lineage-hub/model';
import { runEvidence } from '../evidence';
import type { FindingDraft, RunFact } from '../reconcile.types';

const finishedAt = (r: RunFact): number => r.endedAt ?? r.startedAt ?? -Infinity;

export const failedRun = (job: NodeId, runs: readonly RunFact[]): FindingDraft[] => {
  const finished = runs.filter((r) => r.state === 'COMPLETE' || r.state === 'FAIL');
  if (finished.length === 0) return [];
  const latest = finished.reduce((a, b) => (finishedAt(b) > finishedAt(a) || (finishedAt(b) === finishedAt(a) && b.runId > a.runId) ? b : a));
  if (latest.state !== 'FAIL') return [];
  return [
    {
      key: `failed-run|${job}`,
      kind: 'failed-run',
      job,
      confidence: 'high',
      summary: `the latest run of ${job} (${latest.runId}) failed`,
      evidence: { runs: [runEvidence(latest)] },
    },
  ];
};
