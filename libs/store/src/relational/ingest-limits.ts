/**
 * What a batch must satisfy before its transaction starts, the same on SQLite and PostgreSQL: the limits of
 * libs/model (LIMITS) on every event and on every node id derived from it, and no run id claimed by two jobs
 * within the batch. A refusal is a DomainError naming the field, with `details.index` = the event's position.
 */
import { checkBatchLimit, checkEventLimits, checkNodeIdLimit, DomainError } from '@lineage-hub/model';
import type { EventFacts } from '../derive/event-derivation';
import type { IngestInput } from '../lineage-store.port';

const at = (index: number, error: unknown): unknown => {
  if (!(error instanceof DomainError)) return error;
  const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
  return new DomainError(error.code, error.message, error.field, { ...details, index });
};

export const checkBatchSize = (batch: IngestInput[]): void => checkBatchLimit('body', batch.length);

export const checkInputLimits = (input: IngestInput, index: number): void => {
  try {
    checkEventLimits(input.raw);
  } catch (error) {
    throw at(index, error);
  }
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
