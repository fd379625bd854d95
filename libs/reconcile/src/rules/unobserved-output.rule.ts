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
import { sortInPlace } from '../small-sort';

export interface UnobservedOutputInput {
  job: NodeId;
  runs: readonly RunFact[];
  writesTo: (dataset: NodeId) => readonly WriteFact[];
  coverage: CoverageIndex;
  lastRuns: number;
  slackMs: number;
}

const lastCompleted = (runs: readonly RunFact[], lastRuns: number): RunFact[] | null => {
  const done = sortInPlace(
    runs.filter((r) => r.state === 'COMPLETE' && r.startedAt !== null && r.endedAt !== null),
    byStart,
  );
  return done.length < lastRuns ? null : done.slice(-lastRuns);
};

/**
 * The earliest write time this rule looks at for a job (the start of the first of its last N completed runs, less
 * the slack), or null when it looks at none (fewer than N completed runs): a caller reading only what changed
 * needs the writes to the job's outputs from then on, no older ones.
 */
export const unobservedOutputWindowStart = (runs: readonly RunFact[], lastRuns: number, slackMs: number): number | null => {
  const recent = lastCompleted(runs, lastRuns);
  return recent && recent.length ? recent[0].startedAt! - slackMs : null;
};

export const unobservedOutputs = (input: UnobservedOutputInput): FindingDraft[] => {
  if (!input.coverage.observesAny) return []; // no connector observes anything: no output can be unobserved
  const recent = lastCompleted(input.runs, input.lastRuns);
  if (!recent) return [];
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
