/**
 * The SQL the connector sends, one adapter per flavour: STL_* (provisioned) and SYS_* (serverless).
 * Only SQL both Redshift and PostgreSQL accept (the fake is a real PostgreSQL): no GETDATE/DATEADD/LEN/
 * LISTAGG/NVL, times bound as UTC text computed in TypeScript, id lists as plain IN ($1, $2, ...).
 */
export interface StatementRow {
  query: number;
  xid: string;
  userid: number;
  database: string;
  label: string;
  starttime: Date;
  endtime: Date | null;
  querytxt: string;
}

export interface SystemViews {
  /** Statements in [from, to) that wrote a table, oldest first, at most `limit`. */
  writeStatements(from: string, to: string, limit: number): { text: string; values: unknown[] };
  /** (query, tbl, inserted, deleted) for the given statements. */
  targets(ids: number[]): { text: string; values: unknown[] };
  /** (query, tbl) of tables the statements scanned. */
  scans(ids: number[]): { text: string; values: unknown[] };
  /** (query, sequence, text) pieces of the statements' SQL. */
  texts(ids: number[]): { text: string; values: unknown[] };
  /** The oldest statement still retained. */
  oldest(): { text: string; values: unknown[] };
  /** Pieces of utility statements in [from, to) that may be TRUNCATEs: (xid, pid, userid, label, starttime, endtime, sequence, text). */
  truncates(from: string, to: string, limit: number): { text: string; values: unknown[] };
}

export interface UtilityRow {
  xid: string;
  pid: number;
  userid: number;
  label: string;
  starttime: Date;
  endtime: Date | null;
  /** Piece number of a statement longer than one text row (absent: the whole text in one row). */
  sequence?: number;
  text: string;
}

const inList = (ids: number[], offset = 0) => ids.map((_, i) => `$${i + 1 + offset}`).join(', ');

/**
 * Transactions that did not commit, from $1 on: one holding a statement that was cancelled or failed (STL_QUERY
 * aborted = 1; an error aborts the whole transaction block), or one ended by ROLLBACK/ABORT (utility text, same xid).
 * Their statements ran (aborted = 0) but their writes were undone.
 */
const rolledBackXids = `SELECT a.xid FROM stl_query a WHERE a.starttime >= $1 AND a.aborted = 1 AND a.xid IS NOT NULL
          UNION SELECT r.xid FROM svl_statementtext r WHERE r.starttime >= $1 AND TRIM(r.type) = 'UTILITY' AND r.sequence = 0
            AND r.xid IS NOT NULL AND (UPPER(LTRIM(r.text)) LIKE 'ROLLBACK%' OR UPPER(LTRIM(r.text)) LIKE 'ABORT%')`;

export const stlViews: SystemViews = {
  writeStatements: (from, to, limit) => ({
    text: `SELECT q.query, q.xid, q.userid, TRIM(q.database) AS database, TRIM(q.label) AS label, q.starttime, q.endtime, q.querytxt
      FROM stl_query q
      WHERE q.starttime >= $1 AND q.starttime < $2 AND q.aborted = 0 AND q.userid > 1
        AND (q.query IN (SELECT i.query FROM stl_insert i WHERE i.starttime >= $1)
          OR q.query IN (SELECT d.query FROM stl_delete d WHERE d.starttime >= $1))
        AND q.xid NOT IN (${rolledBackXids})
      ORDER BY q.starttime, q.query
      LIMIT $3`,
    values: [from, to, limit],
  }),
  targets: (ids) => ({
    text: `SELECT query, tbl, SUM(inserted) AS inserted, SUM(deleted) AS deleted FROM (
        SELECT query, tbl, rows AS inserted, 0 AS deleted FROM stl_insert WHERE query IN (${inList(ids)})
        UNION ALL
        SELECT query, tbl, 0 AS inserted, rows AS deleted FROM stl_delete WHERE query IN (${inList(ids)})
      ) w GROUP BY query, tbl ORDER BY query, tbl`,
    values: ids,
  }),
  scans: (ids) => ({
    text: `SELECT DISTINCT query, tbl FROM stl_scan WHERE query IN (${inList(ids)}) AND tbl > 0 ORDER BY query, tbl`,
    values: ids,
  }),
  texts: (ids) => ({
    text: `SELECT query, sequence, text FROM stl_querytext WHERE query IN (${inList(ids)}) ORDER BY query, sequence`,
    values: ids,
  }),
  oldest: () => ({ text: `SELECT MIN(starttime) AS oldest FROM stl_query`, values: [] }),
  // Every piece of each utility statement that may be a TRUNCATE: the word in its first piece, or a text too long
  // for one piece (the word may sit in a later one, after a long comment).
  truncates: (from, to, limit) => ({
    text: `SELECT t.xid, t.pid, t.userid, TRIM(t.label) AS label, t.starttime, t.endtime, t.sequence, t.text
      FROM svl_statementtext t
      JOIN (SELECT DISTINCT c.xid, c.pid, c.starttime FROM svl_statementtext c
        WHERE c.starttime >= $1 AND c.starttime < $2 AND c.userid > 1 AND TRIM(c.type) = 'UTILITY'
          AND (c.sequence > 0 OR UPPER(c.text) LIKE '%TRUNCATE%')) s
        ON s.xid = t.xid AND s.pid = t.pid AND s.starttime = t.starttime
      WHERE TRIM(t.type) = 'UTILITY'
      ORDER BY t.starttime, t.xid, t.pid, t.sequence
      LIMIT $3`,
    values: [from, to, limit],
  }),
};

export const sysViews: SystemViews = {
  writeStatements: (from, to, limit) => ({
    text: `SELECT h.query_id AS query, h.transaction_id AS xid, h.user_id AS userid, TRIM(h.database_name) AS database,
        TRIM(h.query_label) AS label, h.start_time AS starttime, h.end_time AS endtime, h.query_text AS querytxt
      FROM sys_query_history h
      WHERE h.start_time >= $1 AND h.start_time < $2 AND LOWER(TRIM(h.status)) = 'success' AND h.user_id > 1
        AND UPPER(TRIM(h.query_type)) IN ('INSERT', 'UPDATE', 'DELETE', 'CTAS', 'COPY', 'MERGE')
      ORDER BY h.start_time, h.query_id
      LIMIT $3`,
    values: [from, to, limit],
  }),
  targets: (ids) => ({
    text: `SELECT query_id AS query, table_id AS tbl,
        SUM(CASE WHEN LOWER(TRIM(step_name)) = 'insert' THEN output_rows ELSE 0 END) AS inserted,
        SUM(CASE WHEN LOWER(TRIM(step_name)) = 'delete' THEN output_rows ELSE 0 END) AS deleted
      FROM sys_query_detail WHERE query_id IN (${inList(ids)}) AND LOWER(TRIM(step_name)) IN ('insert', 'delete') AND table_id > 0
      GROUP BY query_id, table_id ORDER BY query_id, table_id`,
    values: ids,
  }),
  scans: (ids) => ({
    text: `SELECT DISTINCT query_id AS query, table_id AS tbl FROM sys_query_detail
      WHERE query_id IN (${inList(ids)}) AND LOWER(TRIM(step_name)) = 'scan' AND table_id > 0 ORDER BY query_id, table_id`,
    values: ids,
  }),
  texts: (ids) => ({
    text: `SELECT query_id AS query, sequence, text FROM sys_query_text WHERE query_id IN (${inList(ids)}) ORDER BY query_id, sequence`,
    values: ids,
  }),
  oldest: () => ({ text: `SELECT MIN(start_time) AS oldest FROM sys_query_history`, values: [] }),
  truncates: (from, to, limit) => ({
    text: `SELECT h.transaction_id AS xid, h.query_id AS pid, h.user_id AS userid, TRIM(h.query_label) AS label,
        h.start_time AS starttime, h.end_time AS endtime, h.query_text AS text
      FROM sys_query_history h
      WHERE h.start_time >= $1 AND h.start_time < $2 AND LOWER(TRIM(h.status)) = 'success' AND h.user_id > 1
        AND UPPER(TRIM(h.query_type)) NOT IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CTAS', 'COPY', 'MERGE', 'UNLOAD')
        AND UPPER(h.query_text) LIKE '%TRUNCATE%'
      ORDER BY h.start_time, h.query_id
      LIMIT $3`,
    values: [from, to, limit],
  }),
};

/** SVV_TABLE_INFO names (both flavours); `schema` and `table` must be double-quoted. */
export const tableNames = (ids: number[]) => ({
  text: `SELECT table_id, TRIM(database) AS database, TRIM("schema") AS schema, TRIM("table") AS name
    FROM svv_table_info WHERE table_id IN (${inList(ids)})`,
  values: ids,
});

/** SVV_TABLE_INFO rows by schema and name (a TRUNCATE names its table in text only). */
export const tablesByName = (schema: string, name: string) => ({
  text: `SELECT table_id, TRIM(database) AS database, TRIM("schema") AS schema, TRIM("table") AS name
    FROM svv_table_info WHERE LOWER(TRIM("schema")) = $1 AND LOWER(TRIM("table")) = $2 ORDER BY table_id`,
  values: [schema, name],
});

/** User names (pg_user exists in Redshift and PostgreSQL alike). */
export const userNames = (ids: number[]) => ({
  text: `SELECT usesysid, usename FROM pg_user WHERE usesysid IN (${inList(ids)})`,
  values: ids,
});
