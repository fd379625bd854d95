/**
 * Job hints: what a warehouse keeps about which pipeline ran a statement, so an observed write can be
 * attributed to a declared job. One pure parser for every vendor:
 * - SQL comments: dbt's default query comment is a JSON object in a block comment
 *   (`/* {"app": "dbt", "node_id": "model.shop.orders", ...} *\/`), prepended to the statement, or appended at
 *   the end (dbt-snowflake's default, because Snowflake strips leading comments).
 * - Snowflake QUERY_TAG: free text; when it is a JSON object, `dag_id`/`task_id` (Airflow) and dbt's fields
 *   (`node_id`, `invocation_id`) are read from it.
 * - BigQuery job labels: Airflow's BigQuery operators set `airflow-dag`/`airflow-task`; dbt with
 *   `query-comment: {job-label: true}` turns every query-comment field into a label. Label values are lower
 *   case with everything outside [a-z0-9_-] replaced by `_` (dbt) and at most 63 characters: compare through
 *   `labelForm()`.
 * - Redshift STL_QUERY.label: the query group (`SET query_group TO ...`) or the file name; Redshift writes
 *   `default` when neither is set, which is no hint.
 */
export interface JobHints {
  /** Airflow DAG id (from QUERY_TAG, a query comment, or the `airflow-dag` label in label form). */
  airflowDag?: string;
  /** Airflow task id. */
  airflowTask?: string;
  /** dbt node id, e.g. `model.shop.orders` (in label form when it came from BigQuery labels). */
  dbtNode?: string;
  /** dbt invocation id. */
  dbtInvocation?: string;
  /** BigQuery job labels, as the job carries them. */
  labels?: Record<string, string>;
  /** Snowflake QUERY_TAG, as set. */
  queryTag?: string;
  /** Redshift STL_QUERY.label / SYS_QUERY_HISTORY.query_label, absent when Redshift says `default`. */
  queryLabel?: string;
  /** The JSON object of a query comment found in the statement. */
  comment?: Record<string, unknown>;
}

/** A value as BigQuery labels carry it: lower case, [a-z0-9_-] only, at most 63 characters. */
export const labelForm = (value: string): string => value.toLowerCase().replace(/[^\p{Ll}\p{Lo}\p{N}_-]/gu, '_').slice(0, 63);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined;

const jsonObject = (raw: string): Record<string, unknown> | undefined => {
  const trimmed = raw.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const LEADING = /^\s*(?:--[^\n]*\n\s*)*\/\*([\s\S]*?)\*\//;
const TRAILING = /\/\*((?:(?!\/\*)[\s\S])*?)\*\/\s*;?\s*$/;

/** The JSON object of a query comment at the start or at the end of a statement; undefined when there is none. */
export const parseQueryComment = (sql: string | undefined): Record<string, unknown> | undefined => {
  if (!sql) return undefined;
  const leading = LEADING.exec(sql);
  const fromLeading = leading ? jsonObject(leading[1]) : undefined;
  if (fromLeading) return fromLeading;
  const trailing = TRAILING.exec(sql);
  return trailing ? jsonObject(trailing[1]) : undefined;
};

/** Airflow and dbt fields of a JSON object (query comment or query tag). */
const pipelineFields = (obj: Record<string, unknown>): JobHints => {
  const out: JobHints = {};
  const dag = text(obj.dag_id) ?? text(obj['airflow-dag']) ?? text(obj.airflow_dag);
  const task = text(obj.task_id) ?? text(obj['airflow-task']) ?? text(obj.airflow_task);
  const node = text(obj.node_id) ?? text(obj.dbt_node_id);
  const invocation = text(obj.invocation_id) ?? text(obj.dbt_invocation_id);
  if (dag) out.airflowDag = dag;
  if (task) out.airflowTask = task;
  if (node) out.dbtNode = node;
  if (invocation) out.dbtInvocation = invocation;
  return out;
};

export interface JobHintSources {
  /** The statement text (its query comment is read). */
  sql?: string;
  /** BigQuery job labels, as `{key: value}` or INFORMATION_SCHEMA's `[{key, value}]`. */
  labels?: Record<string, string> | Array<{ key: string; value: string }> | null;
  /** Snowflake QUERY_TAG. */
  queryTag?: string | null;
  /** Redshift label. */
  queryLabel?: string | null;
}

/**
 * Every hint a statement carries. Precedence for the pipeline fields: a JSON query tag over the SQL comment over
 * BigQuery labels (labels are lossy: lower case, `.` turned into `_`). Undefined when the statement carries none.
 */
export const jobHints = (sources: JobHintSources): JobHints | undefined => {
  const hints: JobHints = {};
  const labels = Array.isArray(sources.labels)
    ? Object.fromEntries(sources.labels.filter((l) => l && typeof l.key === 'string').map((l) => [l.key, String(l.value ?? '')]))
    : sources.labels ?? undefined;
  if (labels && Object.keys(labels).length > 0) {
    hints.labels = labels;
    Object.assign(hints, pipelineFields(labels));
  }
  const comment = parseQueryComment(sources.sql);
  if (comment) Object.assign(hints, pipelineFields(comment), { comment });
  const tag = text(sources.queryTag);
  if (tag) {
    hints.queryTag = tag;
    const obj = jsonObject(tag);
    if (obj) Object.assign(hints, pipelineFields(obj));
  }
  const label = text(sources.queryLabel);
  if (label && label !== 'default') hints.queryLabel = label;
  return Object.keys(hints).length > 0 ? hints : undefined;
};

/**
 * A statement's hints over those of the script that ran it (a BigQuery SCRIPT's child jobs: the labels and the dbt
 * comment sit on the parent job only). The statement's own fields win; labels are merged key by key.
 */
export const inheritHints = (parent: JobHints | undefined, own: JobHints | undefined): JobHints | undefined => {
  if (!parent) return own;
  if (!own) return parent;
  const labels = parent.labels || own.labels ? { ...parent.labels, ...own.labels } : undefined;
  return { ...parent, ...own, ...(labels ? { labels } : {}) };
};
