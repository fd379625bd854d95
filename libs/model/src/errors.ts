/**
 * Domain errors: transport-neutral, each with a stable code. Apps map codes to HTTP/RPC status at the edge
 * (see apps/*\/src/**\/domain-error.filter.ts); nothing below an app throws an HTTP exception.
 */
export type DomainErrorCode =
  | 'invalid-argument' // bad input: a field, a parameter, a node id
  | 'invalid-event' // an OpenLineage envelope that fails the schema
  | 'not-found'
  | 'conflict'
  | 'payload-too-large'
  | 'unavailable' // a dependency (shard, store) did not answer
  | 'timeout'
  | 'unauthenticated' // no credential, or one that does not verify
  | 'permission-denied' // a valid credential whose roles do not allow the action
  | 'rate-limited' // too many requests for one credential
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input field or parameter at fault, when there is one (e.g. "run.runId", "nodeId"). */
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidArgument = (field: string, message: string, details?: unknown) =>
  new DomainError('invalid-argument', `${field}: ${message}`, field, details);

export const notFound = (what: string) => new DomainError('not-found', `${what} not found`);
