/**
 * The derived tables as plain rows (every value a string or null, so SQLite and PostgreSQL rows compare equal), and
 * the raw events by seq: what `lineage verify --derived` (libs/store derived.verifier.ts) rebuilds and compares.
 */
import type { DerivedRow, DerivedTable, StoredEvent } from '../lineage-store.port';
import type { SqlExecutor } from '../sql/sql-driver';
import { parse, type Row } from './row-codec';
import { fieldsTextFromColumns } from './stored-fields.codec';

/**
 * Every table the write path derives from events, with the columns compared. Left out: the tables no event writes
 * (observed_writes, findings, ...) and the columns whose value depends on how the events were batched, not on which
 * events there are: edge_owners.checkpoint_at/checkpoint (a resume point), and the activity times
 * dataset_times.updated_at/version_at and jobs.updated_at (a batch that only repeats stored facets does not move
 * them, while a batch that creates or changes the row takes the newest time of every event in it).
 */
export const DERIVED_TABLES: Record<DerivedTable, string[]> = {
  namespaces: ['name', 'created_at', 'updated_at'],
  datasets: ['id', 'namespace', 'name', 'created_at', 'source_name', 'description', 'fields', 'facets', 'facets_fp', 'current_version', 'lifecycle_state', 'lifecycle_at', 'deleted'],
  dataset_times: ['id'],
  dataset_versions: ['dataset_id', 'version', 'created_at', 'fields', 'run_id', 'facets'],
  jobs: ['id', 'namespace', 'name', 'type', 'created_at', 'description', 'location', 'facets', 'facets_fp'],
  runs: ['run_id', 'kind', 'owner', 'started_at', 'updated_at', 'state', 'state_at', 'ended_at', 'inputs', 'outputs', 'columns', 'provenance', 'nominal_start_time', 'nominal_end_time', 'parent_run_id', 'facets'],
  edges: ['owner', 'kind', 'from_id', 'to_id', 'provenance', 'valid_from', 'valid_to', 'transformations', 'from_dataset', 'to_dataset'],
  edge_owners: ['owner', 'edges_hash'],
  aliases: ['alias', 'canonical', 'source', 'at'],
  lifecycle: ['dataset_id', 'state', 'at', 'renamed_to'],
};

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** All rows of one derived table (its compared columns), in no particular order. */
export async function readDerivedRows(db: SqlExecutor, table: DerivedTable): Promise<DerivedRow[]> {
  const columns = DERIVED_TABLES[table];
  if (!columns) throw new Error(`${table} is not a derived table`);
  const rows = await db.query<Row>(`SELECT ${columns.join(', ')} FROM ${table}`);
  // fields as JSON whether stored or derived from the facets (stored-fields.codec), so old and new rows compare equal
  const value = columns.includes('fields') ? (row: Row, c: string) => (c === 'fields' ? fieldsTextFromColumns(row.fields, row.facets) : row[c]) : (row: Row, c: string) => row[c];
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c, text(value(row, c))])));
}

/** Raw events with seq > afterSeq (at most `limit`), in seq order, with their stored hash. */
export async function eventsBySeq(db: SqlExecutor, afterSeq: number, limit: number): Promise<Array<StoredEvent & { hash: string }>> {
  const rows = await db.query<Row>('SELECT seq, event_hash, received_at, event_time, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit]);
  return rows.map((r) => ({ seq: Number(r.seq), hash: r.event_hash, receivedAt: Number(r.received_at), eventTime: r.event_time ?? null, event: parse(r.payload, {}) }));
}

/** The seq of the newest event (the chain head). */
export async function headSeq(db: SqlExecutor): Promise<number> {
  const [head] = await db.query<Row>('SELECT seq FROM chain_head WHERE id = 1');
  return Number(head?.seq ?? 0);
}
