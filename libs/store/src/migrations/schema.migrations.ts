/**
 * Versioned schema migrations, one list for both adapters (the DDL below is valid SQLite and PostgreSQL;
 * a migration may give per-dialect text). Applied in order inside a transaction, recorded in
 * schema_migrations(version, name, applied_at). Never edit a shipped migration: append a new one.
 *
 * Tables (times are epoch milliseconds as BIGINT; JSON is TEXT; booleans are INTEGER 0/1; node ids are TEXT
 * in the libs/model scheme: dataset:{ns}:{name}, datasetField:{ns}:{name}:{field}, job:{ns}:{name}):
 *
 *   events(seq PK, event_hash UNIQUE, prev_chain_hash, chain_hash, received_at, event_time TEXT,
 *          event_time_ms, payload TEXT)                 raw events, append-only, hash-chained;
 *                                                       payload = canonical (sorted-key) JSON of the raw event,
 *                                                       event_hash = sha256(payload),
 *                                                       chain_hash = sha256(prev_chain_hash || event_hash)
 *   chain_head(id=1, seq, chain_hash)                    the last link, so removing the newest event shows too
 *   namespaces(name PK, created_at, updated_at)
 *   datasets(id PK, namespace, name, created_at, source_name, description, fields JSON,
 *            facets JSON, facets_fp, current_version, lifecycle_state, lifecycle_at, deleted)
 *                                                       facets_fp = md5 per stored facet (key + value JSON), sorted,
 *                                                       ','-joined (a batch whose facets are all there skips the rewrite);
 *                                                       fields = '' when they are the schema facet's (read from facets;
 *                                                       relational/stored-fields.codec.ts), else JSON (datasets and
 *                                                       dataset_versions alike; rows written before hold JSON)
 *   dataset_times(id PK, updated_at, version_at, facets_at)
 *                                                       the often-moving times of a dataset, in a narrow table:
 *                                                       updated_at = the last event time that wrote it (an
 *                                                       output), 0 when none did (read as created_at);
 *                                                       version_at = last time any event showed its current
 *                                                       schema; both by event time alone, so the same events in
 *                                                       any order and batches give the same row; facets_at = when each stored
 *                                                       facet of the dataset was set, JSON {facet: event time},
 *                                                       sorted keys (fact-aggregates.ts mergeFacets; NULL in rows
 *                                                       written before migration 6: their facets count as set at
 *                                                       updated_at, and the next batch that sees them stores it)
 *   dataset_versions(dataset_id, version, created_at, fields JSON, run_id, facets JSON)
 *                                                       PK(dataset_id, version); a version per distinct schema
 *                                                       (field names + types); created_at = earliest event with it;
 *                                                       datasets.current_version = the schema seen last (version_at)
 *   jobs(id PK, namespace, name, type, created_at, updated_at, description, location, facets JSON, facets_fp, facets_at)
 *                                                       facets_at = when each stored facet was set, as dataset_times'
 *                                                       (migration 9; type, description and location are views of
 *                                                       the jobType, documentation, sourceCodeLocation facets);
 *                                                       updated_at = last facet change; a job's latest run and last
 *                                                       update are read from its runs (runs_owner_idx)
 *   runs(run_id PK, kind, owner, started_at, updated_at, state, state_at, ended_at, inputs JSON, outputs JSON,
 *        columns JSON, provenance, nominal_start_time, nominal_end_time, parent_run_id, facets JSON)
 *                                                       kind: 'run' | 'job-event' | 'dataset-event' (pseudo-runs
 *                                                       of JobEvents/DatasetEvents that declare lineage); owner
 *                                                       = job id (or dataset id for 'dataset-event')
 *   edges(owner, kind, from_id, to_id, provenance, valid_from, valid_to, transformations JSON,
 *         from_dataset, to_dataset)                    the derived graph, recomputed per owner:
 *                                                       kind 'reads'  : from_id = dataset, to_id = job
 *                                                       kind 'writes' : from_id = job,     to_id = dataset
 *                                                       kind 'column' : from_id/to_id = datasetField (or dataset
 *                                                                       for a dataset-wide dependency)
 *                                                       valid_to NULL = still valid; one row per interval;
 *                                                       from_dataset/to_dataset = dataset of each end (NULL for
 *                                                       jobs; not indexed: read only when a DROP arrives);
 *                                                       indexes: owner; from_id and to_id of reads/writes edges
 *                                                       only (migration 2)
 *   edge_owners(owner PK, edges_hash, checkpoint_at, checkpoint JSON)
 *                                                       hash of an owner's current edge set (skip unchanged rewrites);
 *                                                       the edges open at checkpoint_at (its latest run's start), from
 *                                                       which the next batch may resume (edge-intervals.ts)
 *   aliases(alias PK, canonical, source, at)            source 'symlink' | 'rename'
 *   lifecycle(dataset_id, state, at, renamed_to)        RENAME / DROP, PK(dataset_id, state, at)
 *   observed_writes(connector_id, query_id, dataset_id, written_at, sources JSON, user_name, query_text, row_count,
 *                   ..., bigquery_job_id,              PK(connector_id, query_id, dataset_id); bigquery_job_id = the
 *                   root_query_id,                     bare job id of a BigQuery job reference (migration 10);
 *                   bigquery_root_job_id)              root_query_id = the top-level statement that ran it, and
 *                                                       its bare BigQuery job id (migration 11)
 */
import { BIGQUERY_JOB_ID_MIGRATION_SQL, FINDINGS_MIGRATION_SQL, FRESHNESS_ESCALATION_MIGRATION_SQL, OBSERVED_WRITE_SEQ_MIGRATION_SQL, ROOT_QUERY_ID_MIGRATION_SQL } from './findings.migration';

/**
 * A column added where it is missing, so a table made by an older, unversioned shape of its store is adopted as it
 * is (PostgreSQL: ADD COLUMN IF NOT EXISTS; SQLite: when table_info lacks it).
 */
export interface ColumnAddition {
  table: string;
  column: string;
  /** An SQL type valid in both dialects (upper-case words: TEXT, BIGINT). */
  type: string;
}

export type Migration = { version: number; name: string } & ({ sql: string | { sqlite: string; postgres: string } } | { addColumn: ColumnAddition });

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE events (
  seq BIGINT PRIMARY KEY,
  event_hash TEXT NOT NULL UNIQUE,
  prev_chain_hash TEXT NOT NULL,
  chain_hash TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  event_time TEXT,
  event_time_ms BIGINT,
  payload TEXT NOT NULL
);
CREATE INDEX events_time_idx ON events (event_time_ms);
CREATE TABLE chain_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, chain_hash TEXT NOT NULL);
INSERT INTO chain_head (id, seq, chain_hash) VALUES (1, 0, '');
CREATE TABLE namespaces (name TEXT PRIMARY KEY, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE datasets (
  id TEXT PRIMARY KEY,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  source_name TEXT,
  description TEXT,
  fields TEXT NOT NULL,
  facets TEXT NOT NULL,
  facets_fp TEXT NOT NULL DEFAULT '',
  current_version TEXT,
  lifecycle_state TEXT,
  lifecycle_at BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX datasets_namespace_idx ON datasets (namespace, name);
CREATE TABLE dataset_times (id TEXT PRIMARY KEY, updated_at BIGINT NOT NULL, version_at BIGINT);
CREATE TABLE dataset_versions (
  dataset_id TEXT NOT NULL,
  version TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  fields TEXT NOT NULL,
  run_id TEXT,
  facets TEXT NOT NULL,
  PRIMARY KEY (dataset_id, version)
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  description TEXT,
  location TEXT,
  facets TEXT NOT NULL,
  facets_fp TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_namespace_idx ON jobs (namespace, name);
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  owner TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  state_at BIGINT NOT NULL,
  ended_at BIGINT,
  inputs TEXT NOT NULL,
  outputs TEXT NOT NULL,
  columns TEXT NOT NULL,
  provenance TEXT NOT NULL,
  nominal_start_time TEXT,
  nominal_end_time TEXT,
  parent_run_id TEXT,
  facets TEXT NOT NULL
);
CREATE INDEX runs_owner_idx ON runs (owner, started_at);
CREATE TABLE edges (
  owner TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_id TEXT NOT NULL,
  to_id TEXT NOT NULL,
  provenance TEXT NOT NULL,
  valid_from BIGINT NOT NULL,
  valid_to BIGINT,
  transformations TEXT,
  from_dataset TEXT,
  to_dataset TEXT
);
CREATE INDEX edges_owner_idx ON edges (owner);
CREATE INDEX edges_from_idx ON edges (from_id);
CREATE INDEX edges_to_idx ON edges (to_id);
CREATE TABLE edge_owners (owner TEXT PRIMARY KEY, edges_hash TEXT NOT NULL, checkpoint_at BIGINT, checkpoint TEXT);
CREATE INDEX runs_owner_end_idx ON runs (owner, ended_at);
CREATE TABLE aliases (alias TEXT PRIMARY KEY, canonical TEXT NOT NULL, source TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX aliases_canonical_idx ON aliases (canonical);
CREATE TABLE lifecycle (
  dataset_id TEXT NOT NULL,
  state TEXT NOT NULL,
  at BIGINT NOT NULL,
  renamed_to TEXT,
  PRIMARY KEY (dataset_id, state, at)
);
CREATE TABLE observed_writes (
  connector_id TEXT NOT NULL,
  query_id TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  written_at BIGINT NOT NULL,
  sources TEXT NOT NULL,
  user_name TEXT,
  query_text TEXT,
  row_count BIGINT,
  PRIMARY KEY (connector_id, query_id, dataset_id)
);
CREATE INDEX observed_writes_dataset_idx ON observed_writes (dataset_id, written_at);
CREATE INDEX observed_writes_time_idx ON observed_writes (written_at);
`,
  },
  {
    // No store query looks edges up by from_id/to_id (the in-memory index walks the graph); the two indexes serve
    // SQL walks over dataset lineage (bench:traverse's recursive query filters kind IN ('reads', 'writes')). Column
    // edges, most rows on column-lineage-heavy shards, are left out of them: an ingest batch dirties far fewer index
    // pages. A query can use them when its WHERE repeats the same kind IN ('reads', 'writes') term.
    version: 2,
    name: 'dataset-edge-indexes',
    sql: `
DROP INDEX edges_from_idx;
DROP INDEX edges_to_idx;
CREATE INDEX edges_from_idx ON edges (from_id) WHERE kind IN ('reads', 'writes');
CREATE INDEX edges_to_idx ON edges (to_id) WHERE kind IN ('reads', 'writes');
`,
  },
  // findings, finding history, freshness states and policies, coverage records; observed-write attribution columns
  { version: 3, name: 'findings', sql: FINDINGS_MIGRATION_SQL },
  // the open runs (no terminal event yet) every incremental findings evaluation reads: a partial index, so that
  // read costs the open runs, not a scan of every run ever recorded
  { version: 4, name: 'open-runs', sql: 'CREATE INDEX runs_open_idx ON runs (owner) WHERE ended_at IS NULL;' },
  // the incremental findings mark over observed writes: an insertion sequence, not the millisecond they were
  // accepted (a write recorded in the same millisecond as the mark was read again by the next evaluation).
  // write_seq is handed out under a lock on observed_writes_head, so it grows in commit order. Rows accepted before
  // this migration and not yet read by an evaluation (recorded at or after the old time mark) get seq 1, so the next
  // incremental evaluation reads them once; the mark moves to findings_state.write_seq (writes_at is no longer used).
  { version: 5, name: 'observed-write-seq', sql: OBSERVED_WRITE_SEQ_MIGRATION_SQL },
  // when each facet of a dataset was set, so a facet sighted earlier than the stored one, arriving later, does not
  // replace it (a dataset's facets are decided facet by facet, whatever the order and batching of the events)
  { version: 6, name: 'dataset-facet-times', addColumn: { table: 'dataset_times', column: 'facets_at', type: 'TEXT' } },
  // PostgreSQL: room left in each page of the tables most batches update in place (a dataset's times, an owner's edge
  // hash, a rewritten dataset row, none of them changing an indexed column), so the new row version fits beside the
  // old one (a HOT update: no index entry, the dead one pruned in the page). Pages written from now on only.
  {
    version: 7,
    name: 'hot-update-room',
    sql: {
      sqlite: '',
      postgres: 'ALTER TABLE dataset_times SET (fillfactor = 70); ALTER TABLE edge_owners SET (fillfactor = 70); ALTER TABLE datasets SET (fillfactor = 85);',
    },
  },
  // a stale dataset at the warn level of a warnAfter/errorAfter policy turns error at a time of its own, with nothing
  // new: due then (as expected_by is for a dataset not yet stale), so an incremental evaluation escalates it
  { version: 8, name: 'freshness-escalation', sql: FRESHNESS_ESCALATION_MIGRATION_SQL },
  // when each facet of a job was set: a job's facets are decided facet by facet as a dataset's (migration 6)
  { version: 9, name: 'job-facet-times', addColumn: { table: 'jobs', column: 'facets_at', type: 'TEXT' } },
  // a BigQuery statement (project:LOCATION.jobId) found by the bare job id a declared run names (Airflow)
  { version: 10, name: 'bigquery-job-id', sql: BIGQUERY_JOB_ID_MIGRATION_SQL },
  // the top-level statement that ran a write's (a BigQuery script, a Snowflake procedure's outermost CALL), named by a declared run
  { version: 11, name: 'root-query-id', sql: ROOT_QUERY_ID_MIGRATION_SQL },
];

export const migrationSql = (migration: Extract<Migration, { sql: unknown }>, dialect: 'sqlite' | 'postgres'): string =>
  typeof migration.sql === 'string' ? migration.sql : migration.sql[dialect];
