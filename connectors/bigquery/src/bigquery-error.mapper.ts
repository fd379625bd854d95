/**
 * BigQuery (googleapis ApiError / gaxios) errors -> the neutral connector codes. Pure.
 * Throttling is HTTP 403 with errors[].reason rateLimitExceeded / userRateLimitExceeded (seconds) or
 * quotaExceeded (a longer quota: minutes); see connectors/VENDOR-FORMATS.md 1.C.
 */
import {
  authFailed,
  type ConnectorError,
  isConnectorError,
  messageOf,
  networkError,
  notFound,
  rateLimited,
  transient,
} from '@lineage-hub/connector-sdk';

/** quotaExceeded means a longer quota (bytes, jobs per day) is spent: wait minutes, not seconds. */
const QUOTA_THROTTLE_MS = 10 * 60_000;

const reasonsOf = (err: any): string[] => {
  const errors = err?.errors ?? err?.response?.data?.error?.errors ?? [];
  return Array.isArray(errors) ? errors.map((e: any) => String(e?.reason ?? '')) : [];
};

const statusOf = (err: any): number | undefined => {
  const code = err?.code ?? err?.status ?? err?.response?.status;
  return typeof code === 'number' ? code : /^\d{3}$/.test(String(code)) ? Number(code) : undefined;
};

export const mapBigQueryError = (err: unknown): ConnectorError => {
  if (isConnectorError(err)) return err;
  const message = `BigQuery: ${messageOf(err)}`;
  const reasons = reasonsOf(err);
  const status = statusOf(err);
  if (reasons.includes('rateLimitExceeded') || reasons.includes('userRateLimitExceeded') || status === 429) {
    // No Retry-After: BigQuery asks for exponential backoff, which the worker's limiter applies.
    return rateLimited(message, undefined, err);
  }
  if (reasons.includes('quotaExceeded')) return rateLimited(message, QUOTA_THROTTLE_MS, err);
  if (status === 401 || reasons.includes('authError')) return authFailed(message, err);
  if (status === 403 && (reasons.includes('accessDenied') || reasons.includes('forbidden'))) return authFailed(message, err);
  if (status === 404 || reasons.includes('notFound')) return notFound(message, err);
  const network = networkError(err);
  if (network) return network;
  return transient(message, err);
};
