/** Multi-row statements (COPY, INSERT, UPDATE) cut into runs of bounded size (postgres.driver.ts). */
import type { SqlValue } from './sql-driver';

/**
 * Bytes (estimated: text lengths, 8 per number) of the rows one statement carries. A statement's parameters are
 * serialised, and a COPY's rows encoded and written to the socket, in one synchronous stretch when it is sent: a
 * batch's 1.7 MB of raw events as one COPY held the event loop for tens of milliseconds, and every read of the shard
 * waited behind it. Statements this size go out one by one, the event loop given a turn between them once a slice has
 * run (time-slice.ts).
 */
const STATEMENT_BYTES = 256 * 1024;

const valueBytes = (value: SqlValue): number => (typeof value === 'string' ? value.length : 8);

/** The rows cut into runs of at most `maxRows` rows and about STATEMENT_BYTES bytes (a longer row goes alone). */
export const statementChunks = (rows: SqlValue[][], maxRows: number, maxBytes = STATEMENT_BYTES): SqlValue[][][] => {
  const out: SqlValue[][][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    let size = 0;
    for (const value of rows[i]) size += valueBytes(value);
    if (i > start && (i - start >= maxRows || bytes + size > maxBytes)) {
      out.push(rows.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < rows.length) out.push(rows.slice(start));
  return out;
};
