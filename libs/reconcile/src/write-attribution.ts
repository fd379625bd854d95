/**
 * Which declared job explains an observed statement: the run whose ExternalQueryRunFacet names its query id,
 * the job its vendor hints name, the job (or domain) its actor is configured for, or a run that outputs the
 * dataset and was running at the time (within the slack). Strong matches name the job; a time match only
 * explains the write.
 */
import type { NodeId } from '@lineage-hub/model';
import type { JobHintIndex } from './hint-match';
import type { ActorMapping, RunFact, WriteFact } from './reconcile.types';
import { actorMapping } from './actor-map.parser';
import { runForQuery } from './query-id';
import { sortInPlace } from './small-sort';
import { holdShape } from './shape-hold';

export type AttributionVia = 'queryId' | 'hint:airflow' | 'hint:dbt' | 'hint:label' | 'hint:query-tag' | 'actor' | 'actor-domain' | 'time';

export interface Attribution {
  /** The job, for query-id, hint and actor matches; null for a domain-only actor or a time match by several jobs. */
  job: NodeId | null;
  via: AttributionVia;
  run?: RunFact;
}

export interface AttributionContext {
  runsByQueryId: ReadonlyMap<string, RunFact>;
  hintIndex: JobHintIndex<NodeId>;
  actors: Readonly<Record<string, ActorMapping>>;
  slackMs: number;
  now: number;
}

/** True when the run was running (or just finished) at `at`, within the slack. */
export const runCovers = (run: RunFact, at: number, slackMs: number, now: number): boolean => {
  if (run.startedAt === null) return false;
  const end = run.endedAt ?? (run.state === 'START' || run.state === 'RUNNING' ? now : run.startedAt);
  return at >= run.startedAt - slackMs && at <= end + slackMs;
};

const started = (r: RunFact): boolean => r.startedAt !== null;
const byStartedAt = (a: RunFact, b: RunFact): number => a.startedAt! - b.startedAt!;

/** The runs outputting one dataset, by start, to find the runs around a time without scanning them all. */
export class RunTimeline {
  private readonly runs: RunFact[];
  private readonly maxSpan: number;

  constructor(runs: readonly RunFact[], now: number) {
    holdShape(this);
    this.runs = sortInPlace(runs.filter(started), byStartedAt);
    let span = 0;
    for (let i = 0; i < this.runs.length; i++) span = Math.max(span, (this.runs[i].endedAt ?? now) - this.runs[i].startedAt!);
    this.maxSpan = span;
  }

  /** How many runs (sorted by start) started at or before `t`. */
  private startedBy(t: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runs[mid].startedAt! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Runs that cover `at` within the slack. */
  covering(at: number, slackMs: number, now: number): RunFact[] {
    const lo = this.startedBy(at + slackMs);
    const out: RunFact[] = [];
    for (let i = lo - 1; i >= 0 && this.runs[i].startedAt! >= at - slackMs - this.maxSpan; i--)
      if (runCovers(this.runs[i], at, slackMs, now)) out.push(this.runs[i]);
    return out;
  }

  /** Does a run that `which` accepts cover `at` within the slack? (covering(...).some(which), without the list.) */
  covers(at: number, slackMs: number, now: number, which: (r: RunFact) => boolean): boolean {
    const lo = this.startedBy(at + slackMs);
    for (let i = lo - 1; i >= 0 && this.runs[i].startedAt! >= at - slackMs - this.maxSpan; i--) if (which(this.runs[i]) && runCovers(this.runs[i], at, slackMs, now)) return true;
    return false;
  }
}

const anyRun = (): boolean => true;

/**
 * Does a declared job explain the statement? (attributeWrite(...) !== null, without building the attribution: a
 * dataset's rules ask it of every write, and only the unexplained ones make findings.)
 */
export const isExplained = (write: WriteFact, outputRuns: RunTimeline, ctx: AttributionContext): boolean => {
  if (runForQuery(ctx.runsByQueryId, write.queryId, write.rootQueryId)) return true;
  if (ctx.hintIndex.match(write.hints)) return true;
  const actor = actorMapping(ctx.actors, write.actor);
  if (actor?.job || actor?.domain) return true;
  return outputRuns.covers(write.at, ctx.slackMs, ctx.now, anyRun);
};

export const attributeWrite = (write: WriteFact, outputRuns: RunTimeline, ctx: AttributionContext): Attribution | null => {
  const byQuery = runForQuery(ctx.runsByQueryId, write.queryId, write.rootQueryId);
  if (byQuery) return { job: byQuery.job, via: 'queryId', run: byQuery };
  const byHint = ctx.hintIndex.match(write.hints);
  if (byHint) return { job: byHint.job, via: byHint.via as AttributionVia };
  const actor = actorMapping(ctx.actors, write.actor);
  if (actor?.job) return { job: actor.job, via: 'actor' };
  if (actor?.domain) return { job: null, via: 'actor-domain' };
  const covering = outputRuns.covering(write.at, ctx.slackMs, ctx.now);
  if (covering.length > 0) {
    // the job when every covering run is of one job (no Set per write: this runs for every write of every dataset)
    const first = covering[0];
    let oneJob = true;
    for (let i = 1; i < covering.length && oneJob; i++) oneJob = covering[i].job === first.job;
    return { job: oneJob ? first.job : null, via: 'time', run: first };
  }
  return null;
};
