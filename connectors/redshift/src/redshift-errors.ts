/** Redshift (pg) errors -> the neutral codes. One pure function; SQLSTATEs per VENDOR-FORMATS.md section 3C. */
import { ConnectorError, isConnectorError, networkError } from '@lineage-hub/connector-sdk';

const CONNECTION_LIMIT_BACKOFF_MS = 30_000;

export const mapRedshiftError = (err: unknown): ConnectorError => {
  if (isConnectorError(err)) return err;
  const sqlState = typeof (err as { code?: unknown })?.code === 'string' ? ((err as { code: string }).code) : '';
  const message = err instanceof Error ? err.message : String(err);
  if (sqlState === '53300' || /^53/.test(sqlState) || /connection limit .* exceeded/i.test(message))
    return new ConnectorError('rate-limited', `Redshift refused the connection or query for lack of resources (${sqlState || 'limit'}): ${message}`, CONNECTION_LIMIT_BACKOFF_MS, err);
  if (sqlState === '28000' || sqlState === '28P01')
    return new ConnectorError('auth-failed', `Redshift refused the login (${sqlState}): ${message}`, undefined, err);
  if (sqlState === '42P01' || sqlState === '3D000' || sqlState === '42703')
    return new ConnectorError('not-found', `Redshift object not found (${sqlState}): ${message}`, undefined, err);
  if (sqlState === '42501')
    return new ConnectorError('auth-failed', `Redshift denied access (${sqlState}); grant the connector's user access to the system views: ${message}`, undefined, err);
  if (sqlState === '57014' || /^57P0/.test(sqlState) || /^08/.test(sqlState))
    return new ConnectorError('transient', `Redshift query interrupted (${sqlState}): ${message}`, undefined, err);
  return networkError(err) ?? new ConnectorError('transient', `Redshift error${sqlState ? ` (${sqlState})` : ''}: ${message}`, undefined, err);
};
