/**
 * PostgreSQL: an evaluation's whole write (findings opened and rewritten, their history, the freshness states and the
 * new mark) as one statement of data-modifying CTEs, each fed by one JSON parameter (an array of rows in its table's
 * column order). One statement is atomic on its own: one round trip where a transaction took seven (BEGIN, four
 * inserts, the mark, COMMIT), each a wait for the server; and no array literal per column built in JavaScript. (An
 * evaluation of more than PG_FRESHNESS_CHUNK datasets, a full one, writes the other states first, in a transaction
 * with it.)
 *
 * The sub-statements see one snapshot and never the same row twice: the findings opened (new ids) are not among those
 * rewritten (ids already stored), and a key is never both resolved and opened by one evaluation, so the unique index
 * on open keys judges them as the transaction did.
 */
import type { FreshnessState } from '@lineage-hub/model';
import type { SqlValue } from '../sql/sql-driver';
import { FINDING_COLUMNS, findingRow, FRESHNESS_COLUMNS, freshnessRow } from './findings-rows';
import type { FindingsChanges, FindingsMark } from './findings-store.port';

const BIGINT = new Set(['opened_at', 'resolved_at', 'updated_at', 'at', 'last_update', 'expected_by', 'usual_gap_ms', 'updates', 'escalates_at']);

/** `SELECT` of the JSON parameter's rows as the table's columns (text, or bigint for the times and counts). */
const rowsOf = (columns: readonly string[]): string =>
  `SELECT ${columns.map((c, i) => (BIGINT.has(c) ? `(r->>${i})::bigint` : `r->>${i}`)).join(', ')} FROM jsonb_array_elements(?::jsonb) AS r`;

const set = (columns: readonly string[]): string => columns.map((c) => `${c} = excluded.${c}`).join(', ');

const MUTABLE = ['status', 'resolved_at', 'updated_at', 'confidence', 'summary', 'evidence'];
const HISTORY_COLUMNS = ['finding_id', 'at', 'change', 'summary'];

const SQL = `WITH opened AS (
  INSERT INTO findings (${FINDING_COLUMNS.join(', ')}) ${rowsOf(FINDING_COLUMNS)}
), rewritten AS (
  INSERT INTO findings (${FINDING_COLUMNS.join(', ')}) ${rowsOf(FINDING_COLUMNS)} ON CONFLICT (id) DO UPDATE SET ${set(MUTABLE)}
), history AS (
  INSERT INTO finding_history (${HISTORY_COLUMNS.join(', ')}) ${rowsOf(HISTORY_COLUMNS)} ON CONFLICT (finding_id, at, change) DO NOTHING
), freshness AS (
  INSERT INTO freshness_states (${FRESHNESS_COLUMNS.join(', ')}) ${rowsOf(FRESHNESS_COLUMNS)} ON CONFLICT (dataset_id) DO UPDATE SET ${set(FRESHNESS_COLUMNS.slice(1))}
)
INSERT INTO findings_state (id, evaluated_at, event_seq, writes_at, write_seq) VALUES (1, ?, ?, 0, ?)
ON CONFLICT (id) DO UPDATE SET evaluated_at = excluded.evaluated_at, event_seq = excluded.event_seq, write_seq = excluded.write_seq`;

/**
 * Freshness states per statement at most: a full evaluation's (a state per dataset) go in statements of their own
 * before the one above, in one transaction (one JSON parameter of a hundred thousand rows parsed slower on the
 * server than the same rows in chunks).
 */
export const PG_FRESHNESS_CHUNK = 5000;

/** The freshness states alone (the chunks of a large evaluation). */
export const PG_FRESHNESS_UPSERT = `INSERT INTO freshness_states (${FRESHNESS_COLUMNS.join(', ')}) ${rowsOf(FRESHNESS_COLUMNS)} ON CONFLICT (dataset_id) DO UPDATE SET ${set(
  FRESHNESS_COLUMNS.slice(1),
)}`;

export const freshnessParam = (freshness: readonly FreshnessState[], at: number): string => JSON.stringify(freshness.map((s) => freshnessRow(s, at)));

/** The statement and its parameters (writes_at, the time mark before migration 5, is kept at 0: the mark is write_seq). */
export const pgApplyEvaluation = (changes: FindingsChanges, freshness: readonly FreshnessState[], mark: FindingsMark): { sql: string; params: SqlValue[] } => {
  const rewrite = [...changes.updated, ...changes.refreshed, ...changes.resolved];
  return {
    sql: SQL,
    params: [
      JSON.stringify(changes.opened.map(findingRow)),
      JSON.stringify(rewrite.map(findingRow)),
      JSON.stringify(changes.history.map((h) => [h.findingId, h.at, h.change, h.summary])),
      freshnessParam(freshness, mark.evaluatedAt),
      mark.evaluatedAt,
      mark.eventSeq,
      mark.writeSeq,
    ],
  };
};
