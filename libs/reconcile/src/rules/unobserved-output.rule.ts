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

/**
 * Does a write at this time fall in the window of one of the job's last N completed runs (its start less the slack
 * to its end plus the slack)? Only such a write can change what this rule finds for the job's outputs.
 */
export const inUnobservedWindow = (runs: readonly RunFact[], at: number, lastRuns: number, slackMs: number): boolean => {
  // a write later than every completed run's end plus the slack (made by a run not finished yet, or by no run) is in
  // none of their windows: answered in one pass, without sorting the runs
  let done = 0;
  let latestEnd = -Infinity;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (r.state === 'COMPLETE' && r.startedAt !== null && r.endedAt !== null) {
      done++;
      if (r.endedAt > latestEnd) latestEnd = r.endedAt;
    }
  }
  if (done < lastRuns || at > latestEnd + slackMs) return false;
  const recent = lastCompleted(runs, lastRuns);
  return recent !== null && recent.some((r) => at >= r.startedAt! - slackMs && at <= r.endedAt! + slackMs);
};

/**
 * Does this rule's verdict on the job wait for coverage: an output a connector observes, in the last of its last N
 * completed runs, with the window of one of those runs not yet read completely (the connector lags, or recorded a
 * gap)? Coverage recorded later may then raise the finding without any new run or write.
 */
export const unobservedOutputAwaitsCoverage = (runs: readonly RunFact[], coverage: CoverageIndex, lastRuns: number, slackMs: number): boolean => {
  if (!coverage.observesAny) return false;
  const recent = lastCompleted(runs, lastRuns);
  if (!recent) return false;
  for (const dataset of recent[recent.length - 1].outputs) {
    const ns = namespaceOf(dataset);
    if (!coverage.observes(ns)) continue;
    for (const run of recent) if (run.outputs.includes(dataset) && !coverage.complete(ns, run.startedAt! - slackMs, run.endedAt! + slackMs)) return true;
  }
  return false;
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
