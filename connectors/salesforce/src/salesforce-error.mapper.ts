/**
 * jsforce errors -> the neutral connector codes. Pure. Salesforce sends no Retry-After: a spent 24 h
 * allocation (TotalRequests) waits long, a concurrency refusal (ConcurrentRequests) briefly;
 * see connectors/VENDOR-FORMATS.md 4.C.
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

const TOTAL_REQUESTS_WAIT_MS = 60 * 60_000;
const CONCURRENT_REQUESTS_WAIT_MS = 10_000;
const AUTH = new Set(['INVALID_SESSION_ID', 'INVALID_AUTH_HEADER', 'invalid_grant', 'invalid_client', 'invalid_client_id', 'INVALID_LOGIN', 'INSUFFICIENT_ACCESS']);
const NOT_FOUND = new Set(['NOT_FOUND', 'INVALID_TYPE', 'API_DISABLED_FOR_ORG', 'ERROR_HTTP_410', 'ERROR_HTTP_404', 'UNSUPPORTED_API_VERSION']);

export const mapSalesforceError = (err: unknown): ConnectorError => {
  if (isConnectorError(err)) return err;
  const code = String((err as { errorCode?: unknown } | null)?.errorCode ?? (err as { name?: unknown } | null)?.name ?? '');
  const message = `Salesforce: ${messageOf(err)}`;
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return rateLimited(message, /Concurrent/i.test(message) ? CONCURRENT_REQUESTS_WAIT_MS : TOTAL_REQUESTS_WAIT_MS, err);
  }
  if (AUTH.has(code) || /Unable to refresh session/.test(message)) return authFailed(message, err);
  if (NOT_FOUND.has(code)) return notFound(message, err);
  const network = networkError(err);
  if (network) return network;
  return transient(message, err);
};
