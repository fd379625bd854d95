/**
 * Migration 3 (findings): what reconciliation needs beside the lineage tables, valid SQLite and PostgreSQL.
 *
 *   observed_writes + operation, actor, hints JSON, recorded_at (store clock when the row was accepted: what an
 *                     incremental evaluation reads since its mark); indexes on recorded_at and query_id
 *   findings(id PK, key, kind, dataset_id, job_id, domain, status open|resolved, opened_at, resolved_at,
 *            updated_at, confidence, summary, evidence JSON)     one row per episode; at most one open per key
 *   finding_history(finding_id, at, change opened|updated|resolved, summary)
 *   freshness_states(dataset_id PK, state, source, status, last_update, expected_by, usual_gap_ms, updates,
 *                    policy JSON, updated_at)                    the last evaluation's answer per dataset;
 *                                                                expected_by is the deadline-due index
 *   freshness_policies(id = 1, document JSON, updated_at)        the policy document in force
 *   coverage_records(connector_id, platform, namespace, window_from, window_to, gaps JSON, recorded_at)
 *   findings_state(id = 1, evaluated_at, event_seq, writes_at)   the incremental evaluation's marks
 *
 * Migration 5 (observed-write-seq) replaces the writes_at time mark by a sequence, see OBSERVED_WRITE_SEQ_MIGRATION_SQL.
 */
export const FINDINGS_MIGRATION_SQL = `
ALTER TABLE observed_writes ADD COLUMN operation TEXT;
ALTER TABLE observed_writes ADD COLUMN actor TEXT;
ALTER TABLE observed_writes ADD COLUMN hints TEXT;
ALTER TABLE observed_writes ADD COLUMN recorded_at BIGINT;
CREATE INDEX observed_writes_recorded_idx ON observed_writes (recorded_at);
CREATE INDEX observed_writes_query_idx ON observed_writes (query_id);
CREATE TABLE findings (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  dataset_id TEXT,
  job_id TEXT,
  domain TEXT NOT NULL,
  status TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  resolved_at BIGINT,
  updated_at BIGINT NOT NULL,
  confidence TEXT NOT NULL,
  summary TEXT NOT NULL,
  evidence TEXT NOT NULL
);
CREATE UNIQUE INDEX findings_open_key_idx ON findings (key) WHERE status = 'open';
CREATE INDEX findings_list_idx ON findings (opened_at, id);
CREATE INDEX findings_dataset_idx ON findings (dataset_id);
CREATE INDEX findings_job_idx ON findings (job_id);
CREATE TABLE finding_history (
  finding_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  change TEXT NOT NULL,
  summary TEXT NOT NULL,
  PRIMARY KEY (finding_id, at, change)
);
CREATE TABLE freshness_states (
  dataset_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  source TEXT,
  status TEXT NOT NULL,
  last_update BIGINT,
  expected_by BIGINT,
  usual_gap_ms BIGINT,
  updates BIGINT NOT NULL,
  policy TEXT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX freshness_states_due_idx ON freshness_states (expected_by);
CREATE TABLE freshness_policies (id INTEGER PRIMARY KEY, document TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE coverage_records (
  connector_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  namespace TEXT NOT NULL,
  window_from BIGINT NOT NULL,
  window_to BIGINT NOT NULL,
  gaps TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (connector_id, window_from, window_to, recorded_at)
);
CREATE TABLE findings_state (id INTEGER PRIMARY KEY, evaluated_at BIGINT NOT NULL, event_seq BIGINT NOT NULL, writes_at BIGINT NOT NULL);
`;

/**
 * Migration 5: observed_writes.write_seq (insertion sequence, handed out under a lock on observed_writes_head so it
 * grows in commit order) and findings_state.write_seq (the highest one an evaluation read). Rows not yet read by an
 * evaluation under the old time mark (recorded at or after it) get seq 1, the others 0, so the next incremental
 * evaluation reads each of them once. recorded_at stays (when the row was accepted) but nothing reads by it any more,
 * so its index goes.
 */
export const OBSERVED_WRITE_SEQ_MIGRATION_SQL = `
ALTER TABLE observed_writes ADD COLUMN write_seq BIGINT NOT NULL DEFAULT 0;
UPDATE observed_writes SET write_seq = 1 WHERE recorded_at >= COALESCE((SELECT writes_at FROM findings_state WHERE id = 1), 0);
CREATE INDEX observed_writes_seq_idx ON observed_writes (write_seq);
DROP INDEX observed_writes_recorded_idx;
CREATE TABLE observed_writes_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL);
INSERT INTO observed_writes_head (id, seq) VALUES (1, 1);
ALTER TABLE findings_state ADD COLUMN write_seq BIGINT NOT NULL DEFAULT 0;
`;

/**
 * Migration 8: freshness_states.escalates_at, when a dataset stale at a policy's warn level turns error (null
 * otherwise), indexed: the datasets due for evaluation are those whose expected_by passed (not yet stale) and those
 * whose escalates_at passed.
 */
export const FRESHNESS_ESCALATION_MIGRATION_SQL = `
ALTER TABLE freshness_states ADD COLUMN escalates_at BIGINT;
CREATE INDEX freshness_states_escalation_idx ON freshness_states (escalates_at);
`;

/**
 * Migration 10: observed_writes.bigquery_job_id, the bare job id of a BigQuery job reference (`project:LOCATION.jobId`),
 * indexed where set: a declared run naming the bare id (as Airflow's Google provider does) finds the connector's
 * statements by it. Rows written before get the text after the last '.' of an id holding a ':' and a '.', a superset
 * of the references (the same SQL in both dialects); the reader keeps only the rows whose id is a reference to the
 * asked job (libs/model bigQueryJobId), as it does for the rows written since, which get exactly that job id.
 */
export const BIGQUERY_JOB_ID_MIGRATION_SQL = `
ALTER TABLE observed_writes ADD COLUMN bigquery_job_id TEXT;
UPDATE observed_writes SET bigquery_job_id = substr(query_id, length(rtrim(query_id, replace(query_id, '.', ''))) + 1) WHERE query_id LIKE '%:%.%';
CREATE INDEX observed_writes_bigquery_job_idx ON observed_writes (bigquery_job_id) WHERE bigquery_job_id IS NOT NULL;
`;

/**
 * Migration 11: observed_writes.root_query_id, the top-level statement that ran a write's statement (a BigQuery
 * script's job reference, a Snowflake stored procedure's outermost CALL), and bigquery_root_job_id, its bare BigQuery
 * job id, each indexed where set: a declared run naming that statement (Airflow names a script's job, by its bare id)
 * finds the statements it ran. Rows written before have none (the connectors did not report it).
 */
export const ROOT_QUERY_ID_MIGRATION_SQL = `
ALTER TABLE observed_writes ADD COLUMN root_query_id TEXT;
ALTER TABLE observed_writes ADD COLUMN bigquery_root_job_id TEXT;
CREATE INDEX observed_writes_root_query_idx ON observed_writes (root_query_id) WHERE root_query_id IS NOT NULL;
CREATE INDEX observed_writes_bigquery_root_job_idx ON observed_writes (bigquery_root_job_id) WHERE bigquery_root_job_id IS NOT NULL;
`;
