/**
 * The neutral error taxonomy: helpers every vendor mapping uses, and what the worker does with each code.
 * A vendor's mapError stays one pure function in its connector; these only build and classify.
 */
import { ConnectorError, type ConnectorErrorCode } from './connector.contract';

export const transient = (message: string, cause?: unknown) => new ConnectorError('transient', message, undefined, cause);
export const rateLimited = (message: string, retryAfterMs?: number, cause?: unknown) =>
  new ConnectorError('rate-limited', message, retryAfterMs, cause);
export const authFailed = (message: string, cause?: unknown) => new ConnectorError('auth-failed', message, undefined, cause);
export const notFound = (message: string, cause?: unknown) => new ConnectorError('not-found', message, undefined, cause);
export const cursorInvalid = (message: string, cause?: unknown) =>
  new ConnectorError('cursor-invalid', message, undefined, cause);

export const isConnectorError = (err: unknown): err is ConnectorError =>
  err instanceof ConnectorError ||
  (!!err && typeof err === 'object' && (err as { name?: unknown }).name === 'ConnectorError' && typeof (err as { code?: unknown }).code === 'string');

/** A connector's own ConnectorError passes through; anything else goes through the vendor's mapError. */
export const toConnectorError = (err: unknown, mapError: (err: unknown) => ConnectorError): ConnectorError =>
  isConnectorError(err) ? err : mapError(err);

/**
 * What the worker does with each code:
 * - retry: BullMQ retries the run with exponential backoff (transient).
 * - throttle: the account's limiter pauses for retryAfterMs (or a backoff), the run is delayed, not failed.
 * - reset-cursor: the stored cursor is dropped, the lost window recorded as a gap, the run starts afresh.
 * - unrecoverable: no retry (UnrecoverableError); an operator must fix config or credentials.
 */
export type ErrorDisposition = 'retry' | 'throttle' | 'reset-cursor' | 'unrecoverable';

export const errorDisposition = (code: ConnectorErrorCode): ErrorDisposition => {
  switch (code) {
    case 'transient':
      return 'retry';
    case 'rate-limited':
      return 'throttle';
    case 'cursor-invalid':
      return 'reset-cursor';
    case 'auth-failed':
    case 'not-found':
      return 'unrecoverable';
  }
};

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** Node socket errors (ECONNRESET, ETIMEDOUT, ...) are transient for every vendor; null when `err` is not one. */
export const networkError = (err: unknown): ConnectorError | null => {
  const code = (err as { code?: unknown } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return transient(`network error ${code}: ${messageOf(err)}`, err);
  return null;
};

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export const retryAfterMs = (header: string | null | undefined, now = Date.now()): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
};

export const messageOf = (err: unknown): string =>
  err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
