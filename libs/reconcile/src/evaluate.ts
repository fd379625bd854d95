/**
 * The rules applied to one subject: a dataset (undeclared writes/deletes, staleness), a job (undeclared reads,
 * unobserved outputs, stalled and failed runs, missing inputs) or the shard's connectors (coverage gaps).
 */
import type { FreshnessModel, NodeId } from '@lineage-hub/model';
import { evaluateFreshness, type FreshnessVerdict } from './freshness/freshness-evaluator';
import { LearnedCadence } from './freshness/learned-cadence';
import { isRemoval } from './evidence';
import { namespaceOf } from './node-parts';
import { actorMapping } from './actor-map.parser';
import { runForQuery } from './query-id';
import type { ReconcileSources } from './reconcile-sources';
import type { CoverageIndex } from './coverage-index';
import type { ActorMapping, FindingDraft, ReconcileConfig, RunFact, WriteFact } from './reconcile.types';
import { coverageGaps } from './rules/coverage-gap.rule';
import { failedRun } from './rules/failed-run.rule';
import { missingInputs } from './rules/missing-input.rule';
import { staleDataset } from './rules/stale.rule';
import { stalledRuns } from './rules/stalled-run.rule';
import { undeclaredReads } from './rules/undeclared-read.rule';
import { attributeWrites, undeclaredWrites, unexplainedWritesOn } from './rules/undeclared-write.rule';
import { inUnobservedWindow, unobservedOutputs } from './rules/unobserved-output.rule';
import { RunTimeline, type AttributionContext } from './write-attribution';
import { holdShape } from './shape-hold';

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
): number[] => updateTimesOn(writes, runs, runs.some(completed) ? new RunTimeline(runs, now) : null, slackMs, now);

const completed = (r: RunFact): boolean => r.state === 'COMPLETE' && r.endedAt !== null;

/** updateTimes over a timeline of `runs` already built (the completed runs among them are the ones that count). */
const updateTimesOn = (writes: readonly WriteFact[], runs: readonly RunFact[], timeline: RunTimeline | null, slackMs: number, now: number): number[] => {
  // (indexed loops: an incremental evaluation runs this a thousand times, often before it is optimized, where for-of
  // allocates an iterator result per element)
  const times: number[] = [];
  for (let i = 0; i < runs.length; i++) if (completed(runs[i])) times.push(runs[i].endedAt!);
  const covering = times.length > 0 ? timeline : null;
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i];
    if (!isRemoval(w.operation) && !(covering && covering.covers(w.at, slackMs, now, completed))) times.push(w.at);
  }
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
  // one timeline of the output runs for both: attribution (any run) and update times (completed runs)
  const timeline = new RunTimeline(outputRuns, src.now);
  // only the writes nothing explains make findings: the others' attributions are not built
  const unexplained = unexplainedWritesOn(writes, timeline, attributionContext(src));
  // the update times are made for the cadence alone: handed over, sorted in place
  const cadence = new LearnedCadence(dataset, updateTimesOn(writes, outputRuns, timeline, src.config.slackMs, src.now), src.config.freshness, true);
  const freshness = evaluateFreshness({
    dataset,
    model: cadence,
    policy: src.policyFor(dataset),
    coveredUntil: src.coverage.observesAny ? src.coverage.coveredUntil(namespaceOf(dataset)) : null,
    now: src.now,
  });
  const drafts = undeclaredWrites(dataset, unexplained, outputRuns, src.config.slackMs);
  for (const d of staleDataset(freshness)) drafts.push(d);
  return new Evaluated(drafts, cadence, freshness);
};

/**
 * A dataset's evaluation: the whole model (168 hours of week) only for who reads it, as judging the dataset needs one
 * hour (a class, not a literal with a getter: no closure and no object of its own shape per dataset).
 */
class Evaluated implements DatasetEvaluation {
  private learned: FreshnessModel | undefined;

  constructor(
    readonly drafts: FindingDraft[],
    private readonly cadence: LearnedCadence,
    readonly freshness: FreshnessVerdict,
  ) {
    holdShape(this);
  }

  get model(): FreshnessModel {
    return (this.learned ??= this.cadence.model());
  }
}

/** Only a query-id, hint or actor match names a job (time alone never attributes a read); a statement that read nothing names no input. */
export const mayNameJob = (w: WriteFact, runsByQueryId: ReadonlyMap<string, RunFact>, actors: Readonly<Record<string, ActorMapping>>): boolean =>
  w.sources.length > 0 && (w.hints !== undefined || runForQuery(runsByQueryId, w.queryId, w.rootQueryId) !== undefined || actorMapping(actors, w.actor) !== undefined);

const mayName = (w: WriteFact, src: ReconcileSources): boolean => mayNameJob(w, src.runsByQueryId, src.config.actors);

/**
 * Can a new write to a dataset change what evaluateJob finds for a job that outputs it (given the job's runs)? What
 * evaluateJob reads of the writes to a job's outputs is the statements that may name a job (undeclared-read) and,
 * where a connector observes the output's namespace, the writes inside its last completed runs' windows
 * (unobserved-output); a write that is neither leaves the job's findings as they are (its dataset's own rules are
 * what it changes).
 */
export const writeConcernsWriter = (
  w: WriteFact,
  writerRuns: readonly RunFact[],
  runsByQueryId: ReadonlyMap<string, RunFact>,
  config: Pick<ReconcileConfig, 'actors' | 'unobservedRuns' | 'slackMs'>,
  coverage: CoverageIndex,
): boolean =>
  mayNameJob(w, runsByQueryId, config.actors) ||
  (coverage.observesAny && coverage.observes(namespaceOf(w.dataset)) && inUnobservedWindow(writerRuns, w.at, config.unobservedRuns, config.slackMs));

const addAll = (into: FindingDraft[], drafts: readonly FindingDraft[]): void => {
  for (const d of drafts) into.push(d);
};

export const evaluateJob = (job: NodeId, src: ReconcileSources): FindingDraft[] => {
  const runs = src.runsOf(job);
  const cfg = src.config;
  // statements that may be this job's: writes to its declared outputs and writes named by its runs' query ids
  // (most jobs have none: the map is made for the first)
  let candidates: Map<string, WriteFact> | null = null;
  const candidate = (w: WriteFact) => (candidates ??= new Map()).set(`${w.dataset}|${w.queryId}`, w);
  // the outputs in first-seen order, each once (a job's runs mostly repeat the same few: a set only past a few dozen)
  const outputs: NodeId[] = [];
  let seen: Set<NodeId> | null = null;
  for (const r of runs) {
    for (const o of r.outputs)
      if (seen ? !seen.has(o) : !outputs.includes(o)) {
        outputs.push(o);
        if (seen) seen.add(o);
        else if (outputs.length > 32) seen = new Set(outputs);
      }
    for (const q of r.externalQueryIds) for (const w of src.writeByQueryId(q)) candidate(w);
  }
  // skip the writes that cannot name a job unread
  for (const o of outputs) for (const w of src.writesTo(o)) if (mayName(w, src)) candidate(w);
  // time alone never attributes a read, so no output runs are needed here
  const found = candidates as Map<string, WriteFact> | null;
  const attributed = found ? attributeWrites([...found.values()], [], attributionContext(src)) : [];
  const drafts = undeclaredReads(job, runs, attributed);
  addAll(drafts, unobservedOutputs({ job, runs, writesTo: (d) => src.writesTo(d), coverage: src.coverage, lastRuns: cfg.unobservedRuns, slackMs: cfg.slackMs }));
  addAll(drafts, stalledRuns(job, runs, cfg.stalled, src.now));
  addAll(drafts, failedRun(job, runs));
  addAll(drafts, missingInputs(job, runs, cfg.missingInput));
  return drafts;
};

export const evaluateConnectors = (src: ReconcileSources): FindingDraft[] => coverageGaps(src.coverage, src.config, src.now);
