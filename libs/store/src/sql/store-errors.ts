/**
 * Database errors -> domain errors, in one pure function for both drivers. A store that is away (connection
 * refused or dropped, server shutting down, SQLite file busy or failing) is DomainError('unavailable'), which the
 * app edges answer with 503; the caller may retry and the pool reconnects by itself. Everything else passes
 * through unchanged (the app edge answers a generic 500 for it).
 */
import { DomainError } from '@lineage-hub/model';

/** PostgreSQL SQLSTATEs meaning "the server is not there for you now" (class 08, shutdowns, connection limits). */
const PG_UNAVAILABLE = /^(08...|57P01|57P02|57P03|53300|53400)$/;
/** Node socket errors on the way to the server. */
const NET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres messages for a connection that died or could not be made in time. */
const PG_CLIENT_GONE = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed|Cannot use a pool after calling end/i;
/** better-sqlite3 codes for a database file the process cannot use now. */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL)/;

export const isStoreUnavailable = (error: unknown): boolean => {
  // duck-typed: errors from node's own socket code belong to another realm under test runners (instanceof fails)
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (PG_UNAVAILABLE.test(code) || NET_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.test(code))) return true;
  return typeof message === 'string' && PG_CLIENT_GONE.test(message);
};

export const toStoreError = (error: unknown): unknown => {
  if (error instanceof DomainError) return error;
  if (isStoreUnavailable(error)) {
    return new DomainError('unavailable', 'the store is unavailable (its database did not answer); retry later');
  }
  return error;
};
