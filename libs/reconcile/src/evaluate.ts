/**
 * The rules applied to one subject: a dataset (undeclared writes/deletes, staleness), a job (undeclared reads,
 * unobserved outputs, stalled and failed runs, missing inputs) or the shard's connectors (coverage gaps).
 */
import type { FreshnessModel, NodeId } from '@lineage-hub/model';
import { evaluateFreshness, type FreshnessVerdict } from './freshness/freshness-evaluator';
import { learnFreshnessModel } from './freshness/learned-cadence';
import { isRemoval } from './evidence';
import { namespaceOf } from './node-parts';
import type { ReconcileSources } from './reconcile-sources';
import type { FindingDraft, WriteFact } from './reconcile.types';
import { coverageGaps } from './rules/coverage-gap.rule';
import { failedRun } from './rules/failed-run.rule';
import { missingInputs } from './rules/missing-input.rule';
import { staleDataset } from './rules/stale.rule';
import { stalledRuns } from './rules/stalled-run.rule';
import { undeclaredReads } from './rules/undeclared-read.rule';
import { attributeWrites, undeclaredWrites } from './rules/undeclared-write.rule';
import { unobservedOutputs } from './rules/unobserved-output.rule';
import { RunTimeline, type AttributionContext } from './write-attribution';

const attributionContext = (src: ReconcileSources): AttributionContext => ({
  runsByQueryId: src.runsByQueryId,
  hintIndex: src.hintIndex,
  actors: src.config.actors,
  slackMs: src.config.slackMs,
  now: src.now,
});

/**
 * Update times of a dataset: the ends of completed runs that output it, and its data writes that no such run
 * covers (a write made by a completed run is that run's load, seen twice: it counts once, at the run's end).
 */
export const updateTimes = (
  writes: readonly WriteFact[],
  runs: ReturnType<ReconcileSources['runsOutputting']>,
  slackMs: number,
  now: number,
): number[] => {
  const times: number[] = [];
  const completed = runs.filter((r) => r.state === 'COMPLETE' && r.endedAt !== null);
  for (const r of completed) times.push(r.endedAt!);
  const timeline = completed.length ? new RunTimeline(completed, now) : null;
  for (const w of writes) if (!isRemoval(w.operation) && !(timeline && timeline.covering(w.at, slackMs, now).length > 0)) times.push(w.at);
  return times;
};

export interface DatasetEvaluation {
  drafts: FindingDraft[];
  model: FreshnessModel;
  freshness: FreshnessVerdict;
}

export const evaluateDataset = (dataset: NodeId, src: ReconcileSources): DatasetEvaluation => {
  const writes = src.writesTo(dataset);
  const outputRuns = src.runsOutputting(dataset);
  const attributed = attributeWrites(writes, outputRuns, attributionContext(src));
  const model = learnFreshnessModel(dataset, updateTimes(writes, outputRuns, src.config.slackMs, src.now), src.config.freshness);
  const freshness = evaluateFreshness({
    dataset,
    model,
    policy: src.policyFor(dataset),
    coveredUntil: src.coverage.coveredUntil(namespaceOf(dataset)),
    now: src.now,
  });
  return { drafts: [...undeclaredWrites(dataset, attributed, outputRuns, src.config.slackMs), ...staleDataset(freshness)], model, freshness };
};

export const evaluateJob = (job: NodeId, src: ReconcileSources): FindingDraft[] => {
  const runs = src.runsOf(job);
  const cfg = src.config;
  // statements that may be this job's: writes to its declared outputs and writes named by its runs' query ids
  const candidates = new Map<string, WriteFact>();
  const outputs = new Set<NodeId>();
  for (const r of runs) {
    for (const o of r.outputs) outputs.add(o);
    for (const q of r.externalQueryIds) for (const w of src.writeByQueryId(q)) candidates.set(`${w.dataset}|${w.queryId}`, w);
  }
  // only a query-id, hint or actor match names a job (time alone never attributes a read): skip the rest unread
  const mayName = (w: WriteFact) => w.sources.length > 0 && (w.hints !== undefined || src.runsByQueryId.has(w.queryId) || (w.actor !== undefined && Object.hasOwn(cfg.actors, w.actor)));
  for (const o of outputs) for (const w of src.writesTo(o)) if (mayName(w)) candidates.set(`${w.dataset}|${w.queryId}`, w);
  // time alone never attributes a read, so no output runs are needed here
  const attributed = attributeWrites([...candidates.values()], [], attributionContext(src));
  return [
    ...undeclaredReads(job, runs, attributed),
    ...unobservedOutputs({ job, runs, writesTo: (d) => src.writesTo(d), coverage: src.coverage, lastRuns: cfg.unobservedRuns, slackMs: cfg.slackMs }),
    ...stalledRuns(job, runs, cfg.stalled, src.now),
    ...failedRun(job, runs),
    ...missingInputs(job, runs, cfg.missingInput),
  ];
};

export const evaluateConnectors = (src: ReconcileSources): FindingDraft[] => coverageGaps(src.coverage, src.config, src.now);
