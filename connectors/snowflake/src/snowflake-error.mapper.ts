/**
 * snowflake-sdk errors -> the neutral connector codes. Pure. Throttling and queueing surface as HTTP 429
 * (retried by the SDK itself) or as `success:false` with sqlState 57014 / code 000630 (statement or queue
 * timeout); see connectors/VENDOR-FORMATS.md 2.C.
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

const AUTH_CODES = new Set(['390100', '390101', '390102', '390103', '390104', '390113', '390114', '390144', '390318']);

export const mapSnowflakeError = (err: unknown): ConnectorError => {
  if (isConnectorError(err)) return err;
  const e = (err ?? {}) as { code?: unknown; sqlState?: unknown; response?: { status?: number }; status?: number };
  const code = e.code === undefined || e.code === null ? '' : String(e.code);
  const sqlState = e.sqlState ? String(e.sqlState) : '';
  const status = e.response?.status ?? e.status;
  const message = `Snowflake: ${messageOf(err)}`;
  // Snowflake says nothing about when to retry: the worker's limiter backs off exponentially.
  if (sqlState === '57014' || code === '000630' || code === '000625' || status === 429) return rateLimited(message, undefined, err);
  if (AUTH_CODES.has(code) || sqlState === '28000' || sqlState === '08004') return authFailed(message, err);
  if (code === '002003' || code === '002043' || sqlState === '02000' || sqlState === '42S02') return notFound(message, err);
  const network = networkError(err);
  if (network) return network;
  return transient(message, err);
};
