/**
 * A dataset's freshness now: from its policy when one applies (deadline cron in its time zone, or
 * warnAfter/errorAfter: an update counts for the first due time after it, so the dataset is late once the
 * following due time passes with no update since), otherwise from its learned cadence. When a connector observes the dataset's
 * namespace, lateness is judged only up to what that connector has read (an update it has not read yet may
 * exist): a connector behind suppresses staleness, and is a coverage-gap finding of its own.
 */
import { Cron } from 'croner';
import type { FreshnessModel, FreshnessPolicy, FreshnessState, NodeId } from '@lineage-hub/model';
import { parseDuration } from './duration';
import { learnedExpectedBy, type LearnedCadence } from './learned-cadence';

const WEEK = 7 * 86_400_000;

export interface FreshnessVerdict extends FreshnessState {
  level?: 'warn' | 'error';
}

export interface FreshnessInput {
  dataset: NodeId;
  /** The learned model, or the cadence it is learned from (which computes only the hour of week it is asked). */
  model: FreshnessModel | LearnedCadence;
  policy: FreshnessPolicy | null;
  /** How far the connector observing the dataset has read; null when none observes it. */
  coveredUntil: number | null;
  now: number;
}

/** The first due time of a deadline policy after `after`. */
export const nextDeadline = (deadline: NonNullable<FreshnessPolicy['deadline']>, after: number): number | null => {
  const next = new Cron(deadline.cron, { timezone: deadline.timeZone, paused: true }).nextRun(new Date(after));
  return next ? next.getTime() : null;
};

const policyExpectation = (policy: FreshnessPolicy, last: number): { expectedBy: number | null; errorBy: number | null; gap: number | null } => {
  if (policy.deadline) {
    // the last update counts for the first due time after it; the one after that is the next one it must meet
    const met = nextDeadline(policy.deadline, last);
    const expectedBy = met === null ? null : nextDeadline(policy.deadline, met);
    return { expectedBy, errorBy: expectedBy, gap: expectedBy === null ? null : expectedBy - last };
  }
  const warn = parseDuration(policy.warnAfter);
  const error = parseDuration(policy.errorAfter);
  const first = warn ?? error;
  return { expectedBy: first === null ? null : last + first, errorBy: error === null ? null : last + error, gap: first };
};

/** The verdict, built in one literal (spreading a base object into each is a slow runtime call per dataset). */
const verdict = (
  input: FreshnessInput,
  state: FreshnessState['state'],
  source: FreshnessState['source'],
  status: FreshnessState['status'],
  expectedBy: number | null,
  usualGapMs: number | null,
  level?: 'warn' | 'error',
  escalatesAt?: number,
): FreshnessVerdict => ({
  dataset: input.dataset,
  lastUpdate: input.model.lastUpdate,
  updates: input.model.updates,
  policy: input.policy,
  state,
  source,
  status,
  expectedBy,
  usualGapMs,
  level,
  escalatesAt,
});

export const evaluateFreshness = (input: FreshnessInput): FreshnessVerdict => {
  const { model, policy, now } = input;
  const last = model.lastUpdate;
  const visibleNow = input.coveredUntil === null ? now : Math.min(now, input.coveredUntil);
  if (policy) {
    if (last === null) return verdict(input, 'policy', 'policy', 'unknown', null, null);
    const { expectedBy, errorBy, gap } = policyExpectation(policy, last);
    const late = expectedBy !== null && visibleNow > expectedBy;
    const level = !late ? undefined : errorBy !== null && visibleNow > errorBy ? 'error' : 'warn';
    // late at the warn level of a policy with an error threshold after it: it turns error then, with nothing new
    const escalatesAt = level === 'warn' && errorBy !== null && errorBy > expectedBy! ? errorBy : undefined;
    return verdict(input, 'policy', 'policy', late ? 'stale' : 'fresh', expectedBy, gap, level, escalatesAt);
  }
  if (last === null) return verdict(input, 'unknown', null, 'unknown', null, null);
  if (model.state === 'learning') return verdict(input, 'learning', 'learned', 'unknown', null, model.usualGapMs);
  const expectedBy = learnedExpectedBy(model);
  // a learned expectation far in the past with nothing since is still late; one beyond a week out is no cadence
  const late = expectedBy !== null && visibleNow > expectedBy && expectedBy - last < 5 * WEEK;
  return verdict(input, 'learned', 'learned', late ? 'stale' : 'fresh', expectedBy, model.usualGapMs);
};
