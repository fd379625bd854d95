/**
 * unobserved-output: a job declares an output on a platform a connector observes, and in each of its last N
 * completed runs no write to that output was observed within the run's time (plus the slack), while the
 * connector read that window completely. Without complete coverage there is no finding (the gap is its own).
 * Key: unobserved-output|job|dataset.
 */
import type { NodeId } from '@lineage-hub/model';
import type { CoverageIndex } from '../coverage-index';
import { byStart, isRemoval, runEvidence } from '../evidence';
import { namespaceOf } from '../node-parts';
import type { FindingDraft, RunFact, WriteFact } from '../reconcile.types';

export interface UnobservedOutputInput {
  job: NodeId;
  runs: readonly RunFact[];
  writesTo: (dataset: NodeId) => readonly WriteFact[];
  coverage: CoverageIndex;
  lastRuns: number;
  slackMs: number;
}

export const unobservedOutputs = (input: UnobservedOutputInput): FindingDraft[] => {
  const done = input.runs.filter((r) => r.state === 'COMPLETE' && r.startedAt !== null && r.endedAt !== null).sort(byStart);
  if (done.length < input.lastRuns) return [];
  const recent = done.slice(-input.lastRuns);
  const outputs = new Set<NodeId>(recent[recent.length - 1].outputs);
  const drafts: FindingDraft[] = [];
  for (const dataset of outputs) {
    const ns = namespaceOf(dataset);
    if (!input.coverage.observes(ns)) continue;
    const writes = input.writesTo(dataset).filter((w) => !isRemoval(w.operation));
    const unseen = recent.every((run) => {
      if (!run.outputs.includes(dataset)) return false;
      const from = run.startedAt! - input.slackMs;
      const to = run.endedAt! + input.slackMs;
      if (!input.coverage.complete(ns, from, to)) return false;
      return !writes.some((w) => w.at >= from && w.at <= to);
    });
    if (!unseen) continue;
    drafts.push({
      key: `unobserved-output|${input.job}|${dataset}`,
      kind: 'unobserved-output',
      job: input.job,
      dataset,
      confidence: 'medium',
      summary: `${input.job} declares output ${dataset}, but the connector saw no write to it during its last ${recent.length} runs`,
      evidence: { runs: recent.map(runEvidence), writes: [] },
    });
  }
  return drafts;
};
