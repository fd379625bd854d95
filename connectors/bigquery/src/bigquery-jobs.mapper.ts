/**
 * INFORMATION_SCHEMA.JOBS rows -> observed lineage (pure). Rules (connectors/VENDOR-FORMATS.md 1.A, Google's
 * INFORMATION_SCHEMA.JOBS page; the connector README lists them):
 * edge referenced_tables[*] -> destination_table; anonymous tables (datasets starting "_": a query's cached
 * result table, a script's or session's temporary tables, `_SESSION.t`) are never datasets, as outputs or inputs;
 * SCRIPT parents carry no lineage of their own (their children do, with a parent facet); background jobs
 * (job_type NULL) and automatic materialized-view refreshes are BigQuery's own work and yield nothing;
 * DELETE and TRUNCATE TABLE are reported with their operation, never as writes of data (no lineage output);
 * date-sharded tables `name_YYYYMMDD` are one node, their family `name` (the same name libs/sql-lineage
 * gives `name_YYYYMMDD` and the wildcard `name_*` in SQL text), with the physical shard kept as a symlink;
 * partition and snapshot decorators (`t$20240501`, `t@<ms>`) are no part of a name; EXTRACT jobs and EXPORT DATA only
 * read; DDL that defines without data (CREATE_VIEW, ALTER_TABLE, ...) keeps its lineage but is no observed write.
 */
import { deterministicUuid, observedRunEvent, type SqlColumnLineage, statementFingerprint } from '@lineage-hub/connector-sdk';
import { canonicalDataset, datasetId, type DatasetName, inheritHints, isDataWrite, jobHints, type JobHints, type NodeId, type ObservedWrite, type WriteOperation } from '@lineage-hub/model';
import { toMillis } from './bigquery-timestamp';

export const PRODUCER = 'https://github.com/lineage-hub/lineage-hub/tree/main/connectors/bigquery';
const SCHEMA_FACET = 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const SYMLINKS_FACET = 'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json#/$defs/SymlinksDatasetFacet';
const PARENT_FACET = 'https://openlineage.io/spec/facets/1-1-0/ParentRunFacet.json#/$defs/ParentRunFacet';
/** The hub's own run facet for what INFORMATION_SCHEMA.JOBS says about the job (not a standard facet). */
const JOB_FACET = `${PRODUCER}/bigquery-job-run-facet.json`;
const LIFECYCLE_FACET =
  'https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json#/$defs/LifecycleStateChangeDatasetFacet';

export interface TableRef {
  project_id: string;
  dataset_id: string;
  table_id: string;
}

/** One JOBS row as the SDK decodes it (TIMESTAMP -> BigQueryTimestamp `{value}`, INTEGER -> number). */
export interface JobRow {
  job_id: string;
  creation_time: unknown;
  end_time: unknown;
  project_id: string;
  user_email: string | null;
  job_type: string | null;
  statement_type: string | null;
  query: string | null;
  state: string | null;
  error_result: { reason?: string | null; message?: string | null } | null;
  destination_table: TableRef | null;
  referenced_tables: TableRef[] | null;
  parent_job_id: string | null;
  total_bytes_processed: number | string | null;
  dml_statistics: { inserted_row_count?: unknown; deleted_row_count?: unknown; updated_row_count?: unknown } | null;
  labels?: Array<{ key: string; value: string }> | null;
}

export interface ColumnInfo {
  name: string;
  type: string;
}

export interface MapContext {
  connectorId: string;
  location: string;
  jobNamespace: string;
  /** "project.dataset.table" (physical) -> its columns in ordinal order. */
  columns: Map<string, ColumnInfo[]>;
  sqlLineage?: (sql: string, defaultProject: string) => SqlColumnLineage[] | null;
  /** The hints of a SCRIPT job already read (project, job id), for its children: see scriptHints. */
  scriptHints?: (projectId: string, jobId: string) => JobHints | undefined;
}

/**
 * What a SCRIPT job says about the pipeline that submitted it: its labels and the query comment at the start of its
 * text. BigQuery runs each statement of a script as a child job with its own text and no labels (dbt-bigquery's
 * insert_overwrite and Airflow's multi-statement jobs), so the children inherit these (inheritHints).
 */
export const scriptHints = (row: Pick<JobRow, 'statement_type' | 'query' | 'labels'>): JobHints | undefined =>
  row.statement_type === 'SCRIPT' ? jobHints({ sql: row.query ?? undefined, labels: row.labels ?? undefined }) : undefined;

export interface MappedJob {
  /** The lineage event; null for a DELETE/TRUNCATE (reported as a write with its operation, no lineage). */
  event: Record<string, any> | null;
  write: ObservedWrite | null;
  /** Column lineage was asked for and could not be had from the SQL. */
  columnLineageMissing: boolean;
}

const SHARD = /^(.+)_(\d{4})(\d{2})(\d{2})$/;
const DROPS = new Set(['DROP_TABLE', 'DROP_VIEW', 'DROP_MATERIALIZED_VIEW', 'DROP_SNAPSHOT_TABLE', 'DROP_EXTERNAL_TABLE']);
/** DDL that defines or alters a table or view without putting data in it: lineage (a view's inputs), no observed write. */
const DEFINITIONS = new Set(['CREATE_VIEW', 'ALTER_VIEW', 'CREATE_TABLE', 'ALTER_TABLE', 'CREATE_EXTERNAL_TABLE', 'ALTER_MATERIALIZED_VIEW']);
/** Jobs that only read tables (to Cloud Storage): an EXTRACT job, an `EXPORT DATA` statement. */
const isExport = (row: Pick<JobRow, 'job_type' | 'statement_type'>) => row.job_type === 'EXTRACT' || row.statement_type === 'EXPORT_DATA';

/**
 * A table as a job names it -> the table: a partition decorator (`t$20240501`, a load or copy into one partition) or a
 * snapshot decorator (`t@1700000000000`) is no part of the table's name (table names hold neither `$` nor `@`).
 */
export const undecorated = (t: TableRef): TableRef => {
  const at = t.table_id.search(/[$@]/);
  return at > 0 ? { ...t, table_id: t.table_id.slice(0, at) } : t;
};

/** A wildcard table (`events_*`) as a job may name it: its prefix without the trailing `_`, as libs/sql-lineage names it. */
const WILDCARD = /^(.+?)_?\*$/;

/** `events_20240301` -> `events` (a real calendar date only), wildcard `events_*` -> `events`; other names unchanged. */
export const shardFamily = (table: string): string => {
  const wildcard = WILDCARD.exec(table);
  if (wildcard) return wildcard[1];
  const m = SHARD.exec(table);
  if (!m) return table;
  const [, prefix, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const real = date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
  return real && !/^\d+$/.test(prefix) ? prefix : table;
};

export const isAnonymous = (t: TableRef): boolean => t.dataset_id.startsWith('_');

/** BigQuery's own work: background jobs (job_type NULL) and automatic materialized-view refreshes. */
export const isSystemJob = (row: Pick<JobRow, 'job_type' | 'job_id'>): boolean =>
  row.job_type === null || row.job_type === undefined || /^materialized_view_refresh_/i.test(row.job_id);

const STATEMENT_OPERATIONS: Record<string, WriteOperation> = {
  INSERT: 'INSERT',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
  MERGE: 'MERGE',
  TRUNCATE_TABLE: 'TRUNCATE',
  CREATE_TABLE_AS_SELECT: 'CTAS',
  SELECT: 'INSERT',
  LOAD_DATA: 'LOAD',
};

/** What a job did to its destination table. */
export const jobOperation = (row: Pick<JobRow, 'job_type' | 'statement_type'>): WriteOperation => {
  if (row.job_type === 'LOAD') return 'LOAD';
  if (row.job_type === 'COPY') return 'COPY';
  return STATEMENT_OPERATIONS[row.statement_type ?? ''] ?? 'OTHER';
};

export const physicalName = (t: TableRef): string => `${t.project_id}.${t.dataset_id}.${t.table_id}`;

/** The canonical dataset (libs/model) of a table: sharded tables collapse to their wildcard family. */
export const tableDataset = (t: TableRef): DatasetName =>
  canonicalDataset('bigquery', `${t.project_id}.${t.dataset_id}.${shardFamily(t.table_id)}`);

/** error_result is set only when the job failed (a cancelled job: reason `stopped`). */
export const jobFailed = (row: Pick<JobRow, 'error_result'>): boolean => !!(row.error_result && (row.error_result.reason || row.error_result.message));

const toCount = (value: unknown): number => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
};

/** A JOBS row that wrote (or dropped) a named table: the lineage it carries, or null when it carries none. */
export const mapJob = (row: JobRow, ctx: MapContext): MappedJob | null => {
  if (row.state !== 'DONE' || jobFailed(row)) return null;
  if (row.statement_type === 'SCRIPT' || isSystemJob(row) || isExport(row)) return null;
  const dest = row.destination_table ? undecorated(row.destination_table) : null;
  if (!dest || isAnonymous(dest)) return null;

  const output = tableDataset(dest);
  const outputKey = `${output.namespace}|${output.name}`;
  const inputs = new Map<string, DatasetName>();
  for (const named of row.referenced_tables ?? []) {
    const ref = undecorated(named);
    if (isAnonymous(ref)) continue;
    const ds = tableDataset(ref);
    const key = `${ds.namespace}|${ds.name}`;
    if (key !== outputKey) inputs.set(key, ds);
  }

  const created = toMillis(row.creation_time) ?? 0;
  const ended = toMillis(row.end_time) ?? created;
  const externalId = `${row.project_id}:${ctx.location.toUpperCase()}.${row.job_id}`;
  const dropped = DROPS.has(row.statement_type ?? '');
  const operation = jobOperation(row);
  const dataWrite = isDataWrite(operation);
  const dml = row.dml_statistics;
  const rows = dml
    ? dataWrite
      ? toCount(dml.inserted_row_count) + toCount(dml.updated_row_count)
      : toCount(dml.deleted_row_count)
    : undefined;
  const script = row.parent_job_id ? ctx.scriptHints?.(row.project_id, row.parent_job_id) : undefined;
  const hints = inheritHints(script, jobHints({ sql: row.query ?? undefined, labels: row.labels ?? undefined }));
  /** What the job did to its output, read from `sources` (none for a removal). */
  const writeFrom = (sources: NodeId[]): ObservedWrite => ({
    dataset: datasetId(output.namespace, output.name),
    sources,
    writtenAt: ended,
    operation,
    ...(row.user_email ? { actor: row.user_email } : {}),
    queryId: externalId,
    // a SCRIPT's child: the script's job, which the run that submitted it declares (Airflow names the script's job id)
    ...(row.parent_job_id ? { rootQueryId: `${row.project_id}:${ctx.location.toUpperCase()}.${row.parent_job_id}` } : {}),
    ...(row.query ? { queryText: row.query } : {}),
    ...(rows !== undefined ? { rows } : {}),
    ...(hints ? { hints } : {}),
    connectorId: ctx.connectorId,
  });
  if (!dataWrite) {
    return { event: null, write: writeFrom([]), columnLineageMissing: false };
  }
  const definition = DEFINITIONS.has(row.statement_type ?? '');
  const jobName = row.query
    ? `${row.project_id}.query_${statementFingerprint(row.query)}`
    : `${row.project_id}.${String(row.job_type ?? 'job').toLowerCase()}.${dest.dataset_id}.${shardFamily(dest.table_id)}`;

  let columnLineageMissing = false;
  let columnLineage: Record<string, Array<DatasetName & { field: string; transformations?: Array<{ type: string; subtype?: string }> }>> | undefined;
  if (row.query && ctx.sqlLineage && !dropped) {
    const lineage = ctx.sqlLineage(row.query, row.project_id);
    if (!lineage) columnLineageMissing = true;
    else columnLineage = columnLineageFor(lineage, output, row.project_id);
  }

  const event = observedRunEvent({
    producer: PRODUCER,
    runId: deterministicUuid('bigquery', externalId),
    job: { namespace: ctx.jobNamespace, name: jobName },
    eventTime: ended,
    startTime: created,
    inputs: [...inputs.values()],
    outputs: [{ ...output, ...(rows !== undefined && !dropped ? { rowCount: rows } : {}), ...(columnLineage ? { columnLineage } : {}) }],
    sql: row.query ?? undefined,
    externalQueryId: externalId,
    source: 'bigquery',
    integration: 'BIGQUERY',
  });
  decorate(event, row, dest, output, ctx, dropped);

  const write = dropped || definition ? null : writeFrom([...inputs.values()].map((d) => datasetId(d.namespace, d.name)));
  return { event, write, columnLineageMissing };
};

/** Schema, shard symlink, script parent and drop facets, which the SDK's event builder leaves to vendors. */
const decorate = (event: Record<string, any>, row: JobRow, dest: TableRef, output: DatasetName, ctx: MapContext, dropped: boolean) => {
  const out = event.outputs[0];
  const facets: Record<string, unknown> = { ...(out.facets ?? {}) };
  const columns = ctx.columns.get(physicalName(dest));
  if (columns?.length && !dropped) {
    facets.schema = { _producer: PRODUCER, _schemaURL: SCHEMA_FACET, fields: columns.map((c) => ({ name: c.name, type: c.type })) };
  }
  if (output.name !== physicalName(dest)) {
    facets.symlinks = {
      _producer: PRODUCER,
      _schemaURL: SYMLINKS_FACET,
      identifiers: [{ namespace: 'bigquery', name: physicalName(dest), type: 'TABLE' }],
    };
  }
  const change = dropped ? 'DROP' : /^ALTER_/.test(row.statement_type ?? '') ? 'ALTER' : undefined;
  if (change) facets.lifecycleStateChange = { _producer: PRODUCER, _schemaURL: LIFECYCLE_FACET, lifecycleStateChange: change };
  if (Object.keys(facets).length) out.facets = facets;
  event.run.facets.bigqueryJob = {
    _producer: PRODUCER,
    _schemaURL: JOB_FACET,
    jobId: row.job_id,
    location: ctx.location.toUpperCase(),
    jobType: row.job_type,
    statementType: row.statement_type,
    user: row.user_email,
    ...(row.total_bytes_processed !== null && row.total_bytes_processed !== undefined ? { totalBytesProcessed: String(row.total_bytes_processed) } : {}),
  };
  if (row.parent_job_id) {
    event.run.facets.parent = {
      _producer: PRODUCER,
      _schemaURL: PARENT_FACET,
      run: { runId: deterministicUuid('bigquery', `${row.project_id}:${ctx.location.toUpperCase()}.${row.parent_job_id}`) },
      job: { namespace: ctx.jobNamespace, name: `${row.project_id}.script_${row.parent_job_id}` },
    };
  }
};

/** Qualifies a table as the SQL named it ("ds.t", "p.ds.t", with or without backticks) with the job's project. */
const qualify = (table: string, defaultProject: string): DatasetName | null => {
  const parts = table.replace(/`/g, '').split('.');
  if (parts.length === 2) parts.unshift(defaultProject);
  if (parts.length !== 3 || parts.some((p) => !p)) return null;
  return tableDataset({ project_id: parts[0], dataset_id: parts[1], table_id: parts[2] });
};

const columnLineageFor = (lineage: SqlColumnLineage[], output: DatasetName, defaultProject: string) => {
  const fields: Record<string, Array<DatasetName & { field: string; transformations?: Array<{ type: string; subtype?: string }> }>> = {};
  for (const statement of lineage) {
    const target = qualify(statement.target, defaultProject);
    if (!target || target.name !== output.name) continue;
    for (const column of statement.columns) {
      const sources = column.sources.flatMap((s) => {
        const ds = qualify(s.table, defaultProject);
        return ds ? [{ ...ds, field: s.column, ...(s.transformation ? { transformations: [s.transformation] } : {}) }] : [];
      });
      if (sources.length) fields[column.column] = [...(fields[column.column] ?? []), ...sources];
    }
  }
  return Object.keys(fields).length ? fields : undefined;
};
