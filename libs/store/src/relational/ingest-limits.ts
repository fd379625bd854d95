/**
 * What a batch must satisfy before its transaction starts, the same on SQLite and PostgreSQL: the limits of
 * libs/model (LIMITS) on every event and on every node id derived from it, and no run id claimed by two jobs
 * within the batch. A refusal is a DomainError naming the field, with `details.index` = the event's position.
 */
import { checkBatchLimit, checkEventFieldLimits, checkEventLimits, checkNodeIdLimit, DomainError, LIMITS } from '@lineage-hub/model';
import { canonicalEventJson, canonicalJson, type JsonShape } from '../derive/canonical-json';
import type { EventFacts } from '../derive/event-derivation';
import type { IngestInput } from '../lineage-store.port';

const at = (index: number, error: unknown): unknown => {
  if (!(error instanceof DomainError)) return error;
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
  return new DomainError(error.code, error.message, error.field, { ...details, index });
};

export const checkBatchSize = (batch: IngestInput[]): void => checkBatchLimit('body', batch.length);

/**
 * A JSON text escapes every NUL and every lone surrogate (\u0000, \udXXX; a valid surrogate pair stays as it is), in
 * strings and keys alike. A match may also be an escaped backslash before such letters: that only costs the full walk.
 */
const ESCAPED_SUSPECT = /\\u0000|\\ud[89a-f]/i;

/** ESCAPED_SUSPECT can only match where the text holds `\u` or `\U`: two indexOf scans (~8x cheaper than the regex) spare it for almost every event. */
const escapedSuspect = (text: string): boolean => (text.indexOf('\\u') !== -1 || text.indexOf('\\U') !== -1) && ESCAPED_SUSPECT.test(text);

/**
 * The limits walk counts at most 4.5 bytes of facet size per character of the event's JSON (8 per scalar, which
 * prints as at least one character and a separator; string and key lengths as printed or shorter).
 */
const FACET_BYTES_PER_CHAR = 8;

/**
 * What the limits walk (checkEventLimits) finds, read from the event's canonical JSON where it can be: no
 * array or object deeper than LIMITS.eventDepth (the walk stops there), no NUL or lone surrogate escaped in the
 * text, the whole text (with what dropped members would add) too short for any facet to reach LIMITS.facetBytes,
 * no dropped member whose key the text would have escaped, and no toJSON. Otherwise the walk runs, so a refusal is the same error as checkEventLimits
 * gives, on the same field.
 */
const clean = (shape: JsonShape): boolean =>
  shape.unusual === 0 &&
  (shape.text.length + shape.hidden) * FACET_BYTES_PER_CHAR <= LIMITS.facetBytes &&
  !escapedSuspect(shape.text);

/**
 * The event's canonical JSON (what is stored and hashed) after checkInputLimits' checks, with one walk over the
 * event instead of two for events clearly within the limits (almost all of them).
 */
export const checkedPayload = (input: IngestInput, index: number): string => {
  const shape = canonicalEventJson(input.raw, LIMITS.eventDepth);
  try {
    if (shape && clean(shape)) checkEventFieldLimits(input.raw);
    else checkEventLimits(input.raw);
  } catch (error) {
    throw at(index, error);
  }
  return shape ? shape.text : canonicalJson(input.raw);
};

/** Every id the facts would index, within LIMITS.nodeIdBytes (a long field name makes a long datasetField id). */
export const checkDerivedIds = (facts: EventFacts, index: number): void => {
  try {
    for (const d of facts.datasets) checkNodeIdLimit('dataset', d.id);
    if (facts.job) checkNodeIdLimit('job', facts.job.id);
    for (const c of facts.run?.columns ?? []) {
      checkNodeIdLimit('columnLineage', c.from);
      checkNodeIdLimit('columnLineage', c.to);
    }
  } catch (error) {
    throw at(index, error);
  }
};

/** A run id bound to two owners: DomainError('conflict') on run.runId (409 at the edge). */
export const runConflict = (runId: string, owner: string, other: string, index?: number): DomainError =>
  new DomainError(
    'conflict',
    `run.runId: run ${runId} belongs to ${other}; an event for ${owner} cannot reuse it`,
    'run.runId',
    index === undefined ? { runId } : { runId, index },
  );

/** Two events of the batch with one run id and different jobs. */
export const checkBatchRuns = (facts: EventFacts[]): void => {
  const owners = new Map<string, string>();
  facts.forEach((f, index) => {
    if (!f.run || f.run.kind !== 'run') return;
    const known = owners.get(f.run.runId);
    if (known === undefined) owners.set(f.run.runId, f.run.owner);
    else if (known !== f.run.owner) throw runConflict(f.run.runId, f.run.owner, known, index);
  });
};
