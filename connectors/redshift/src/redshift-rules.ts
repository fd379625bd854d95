/**
 * Which Redshift work is lineage, and what it did. Derived from AWS's documentation:
 * - System users: userid 1 is `rdsdb`, Redshift's internal superuser; its statements (automatic materialized-view
 *   refresh, auto vacuum/analyze, `padb_*` housekeeping) are the system's, never a pipeline's: no observed write,
 *   no job lineage.
 * - Temporary objects: tables in `pg_temp_<n>` schemas are session temporary tables, never datasets, even while
 *   SVV_TABLE_INFO lists them. Table ids SVV_TABLE_INFO does not list (session temp tables already gone, Redshift's
 *   own `volt_tt_*` query-rewrite tables, system tables) are not datasets either, and not coverage gaps: a gap is a
 *   window the connector could not read.
 * - Materialized views: Redshift stores a materialized view's rows in an internal table named
 *   `mv_tbl__<view>__<n>`; a write to it is the view's (named by the view), an operation REFRESH unless it is the
 *   CREATE MATERIALIZED VIEW that defines it.
 * - Operations: from the statement's text (leading comments skipped), checked against what STL_INSERT/STL_DELETE
 *   say it did. DELETE and TRUNCATE are reported as such and are never writes of data.
 */
import type { WriteOperation } from '@lineage-hub/model';

/** Redshift's internal superuser `rdsdb`. */
export const RDSDB_USERID = 1;

export const isSystemUser = (userid: number, name?: string): boolean => userid <= RDSDB_USERID || name?.trim() === 'rdsdb';

export interface RedshiftTable {
  database: string;
  schema: string;
  name: string;
}

const MV_BACKING = /^mv_tbl__(.+)__\d+$/i;

/** The dataset a catalogued table stands for: null for temporary and internal tables; an MV's backing table is the MV. */
export const datasetTable = (table: RedshiftTable): (RedshiftTable & { materializedView: boolean }) | null => {
  if (/^pg_temp_\d+$/i.test(table.schema) || /^volt_tt_/i.test(table.name)) return null;
  if (/^(pg_catalog|information_schema|pg_internal|pg_automv)$/i.test(table.schema)) return null;
  const mv = MV_BACKING.exec(table.name);
  return mv ? { ...table, name: mv[1], materializedView: true } : { ...table, materializedView: false };
};

const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;

/**
 * The statement text without leading comments and blanks, upper case. Whole, not a prefix: a CTAS column list
 * (`CREATE TABLE t (a, b, ...) AS`) or a WITH clause before `SELECT ... INTO` can be longer than any fixed prefix.
 */
export const statementHead = (sql: string): string => sql.replace(LEADING_COMMENTS, '').toUpperCase();

/** The operation of a statement from its text and what STL says it did to the table. */
export const operationOf = (sql: string, did: { inserted: boolean; deleted: boolean }, materializedView = false): WriteOperation => {
  const head = statementHead(sql);
  if (materializedView) return /^CREATE\s+MATERIALIZED\s+VIEW\b/.test(head) ? 'CTAS' : 'REFRESH';
  if (did.deleted && !did.inserted) return /^TRUNCATE\b/.test(head) ? 'TRUNCATE' : 'DELETE';
  if (/^INSERT\b/.test(head)) return 'INSERT';
  if (/^COPY\b/.test(head)) return 'COPY';
  if (/^UPDATE\b/.test(head)) return 'UPDATE';
  if (/^MERGE\b/.test(head)) return 'MERGE';
  if (/^DELETE\b/.test(head)) return 'DELETE';
  if (/^TRUNCATE\b/.test(head)) return 'TRUNCATE';
  if (/^CREATE\s+(?:(?:LOCAL\s+)?(?:TEMP|TEMPORARY)\s+)?TABLE\b[\s\S]*\bAS\b/.test(head)) return 'CTAS';
  if (/^REFRESH\s+MATERIALIZED\s+VIEW\b/.test(head)) return 'REFRESH';
  if (/^(?:WITH\b[\s\S]*\b)?SELECT\b[\s\S]*\bINTO\b/.test(head)) return 'SELECT INTO';
  if (did.inserted && did.deleted) return 'UPDATE';
  return did.inserted ? 'INSERT' : 'OTHER';
};

/** The table a TRUNCATE names: `TRUNCATE [TABLE] [[db.]schema.]name`, folded to lower case; no schema means `public`. */
export const truncatedTable = (sql: string): { database?: string; schema: string; name: string } | null => {
  const m = /^TRUNCATE\s+(?:TABLE\s+)?((?:"[^"]+"|[^\s.;"]+)(?:\.(?:"[^"]+"|[^\s.;"]+)){0,2})/i.exec(sql.replace(LEADING_COMMENTS, ''));
  if (!m) return null;
  // Redshift folds identifiers to lower case, quoted ones too (unless enable_case_sensitive_identifier is on).
  const parts = m[1].match(/"[^"]+"|[^.]+/g)!.map((p) => (p.startsWith('"') ? p.slice(1, -1) : p).toLowerCase());
  if (parts.length === 1) return { schema: 'public', name: parts[0] };
  if (parts.length === 2) return { schema: parts[0], name: parts[1] };
  return { database: parts[0], schema: parts[1], name: parts[2] };
};

/**
 * The Amazon S3 object a COPY loads from (`COPY table [(columns)] FROM 's3://bucket/prefix' ...`, AWS COPY
 * reference; a MANIFEST names the manifest file): OpenLineage names it namespace `s3://{bucket}`, name `{key}`.
 * Other sources (DynamoDB, EMR, SSH) have no OpenLineage naming here: null.
 */
export const copySource = (sql: string): { namespace: string; name: string } | null => {
  const m = /^COPY\s+(?:"[^"]*"|[^\s(])+\s*(?:\([^)]*\)\s*)?FROM\s+'s3:\/\/([^/'\s]+)\/?((?:[^'\\]|''|\\.)*)'/i.exec(sql.replace(LEADING_COMMENTS, ''));
  if (!m) return null;
  return { namespace: `s3://${m[1]}`, name: m[2].replace(/''/g, "'") };
};

/**
 * Redshift's automatic materialized-view refresh: AWS documents that every AUTO REFRESH statement carries the
 * label `maintenance` (STL_UTILITYTEXT, STL_QUERY label); it is the system's, whichever user it runs as.
 */
export const isAutoRefresh = (label: string | undefined, materializedView: boolean): boolean =>
  materializedView && (label ?? '').trim().toLowerCase() === 'maintenance';
