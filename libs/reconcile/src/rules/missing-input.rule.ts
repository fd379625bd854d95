/**
 * missing-input: the job's latest completed run lacks an input the job read in at least N of its M runs
 * before (default 4 of 5). Key: missing-input|job|input; resolves when a later run reads it again.
 */
import type { NodeId } from '@lineage-hub/model';
import { byStart, runEvidence } from '../evidence';
import type { FindingDraft, ReconcileConfig, RunFact } from '../reconcile.types';
import { sortInPlace } from '../small-sort';

export const missingInputs = (job: NodeId, runs: readonly RunFact[], cfg: ReconcileConfig['missingInput']): FindingDraft[] => {
  const done = sortInPlace(
    runs.filter((r) => r.state === 'COMPLETE' && r.startedAt !== null),
    byStart,
  );
  if (done.length < cfg.minRuns + 1) return [];
  const latest = done[done.length - 1];
  const before = done.slice(-1 - cfg.ofRuns, -1);
  const counts = new Map<NodeId, number>();
  for (const r of before) for (const i of new Set(r.inputs)) counts.set(i, (counts.get(i) ?? 0) + 1);
  const have = new Set(latest.inputs);
  const drafts: FindingDraft[] = [];
  for (const [input, seen] of counts) {
    if (seen < cfg.minRuns || have.has(input)) continue;
    drafts.push({
      key: `missing-input|${job}|${input}`,
      kind: 'missing-input',
      job,
      dataset: input,
      confidence: 'medium',
      summary: `run ${latest.runId} of ${job} did not read ${input}, read in ${seen} of the ${before.length} runs before`,
      evidence: { input, seenInRuns: seen, ofRuns: before.length, runs: [runEvidence(latest)] },
    });
  }
  return drafts;
};
