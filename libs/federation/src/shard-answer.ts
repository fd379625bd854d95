/**
 * How a shard answers every message of the contract: the typed value, or a domain error code. Never an HTTP
 * status: the gateway picks the status once, at its edge, from the code (libs/common HTTP_STATUS_BY_CODE).
 * "The shard answered with an error" (ok: false, e.g. not-found, invalid-argument) and "the shard did not
 * answer" (ShardUnavailableError, raised by the client) are different things, and callers treat them so.
 */
import { DomainError, type DomainErrorCode, NodeIdError } from '@lineage-hub/model';

/** The shard's error vocabulary is the model's: one set of codes from the store up to the gateway's edge. */
export type ShardErrorCode = DomainErrorCode;

export interface ShardErrorBody {
  code: ShardErrorCode;
  message: string;
  /** The request field at fault, when there is one (e.g. "nodeId", "limit"). */
  field?: string;
}

export type ShardAnswer<T> = { ok: true; value: T } | { ok: false; error: ShardErrorBody };

export const answerOk = <T>(value: T): ShardAnswer<T> => ({ ok: true, value });

/** A domain error as the shard sends it back; anything else is an opaque internal error (logged by the shard). */
export const answerError = (err: unknown): ShardAnswer<never> => {
  if (err instanceof DomainError) {
    return { ok: false, error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
  }
  if (err instanceof NodeIdError) return { ok: false, error: { code: 'invalid-argument', message: err.message, field: 'nodeId' } };
  return { ok: false, error: { code: 'internal', message: 'internal error' } };
};

export const isShardAnswer = (value: unknown): value is ShardAnswer<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

/** The shard answered, with an error code: a not-found or a bad request is the caller's to pass on as such. */
export class ShardRefusedError extends DomainError {
  constructor(
    readonly domain: string,
    message: string,
    code: ShardErrorCode,
    field?: string,
  ) {
    super(code, message, field);
    this.name = 'ShardRefusedError';
  }
}

/** The shard did not answer (not registered, connection refused, timed out): the answer is partial or a 503. */
export class ShardUnavailableError extends DomainError {
  constructor(
    readonly domain: string,
    message: string,
    code: 'unavailable' | 'timeout' = 'unavailable',
  ) {
    super(code, message);
    this.name = 'ShardUnavailableError';
  }
}
