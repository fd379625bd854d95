/**
 * The Redshift fake: a real PostgreSQL database holding tables shaped like Redshift's system views
 * (same names, column names and character(n) types) in a schema on the connector's search_path, plus a
 * non-superuser login role for the connector so the vendor's signals can be produced for real:
 * CONNECTION LIMIT (53300), statement_timeout behind a lock (57014), NOLOGIN (28000), a missing view (42P01).
 * Owned by the connector package; used by its tests, the worker's integration tests and the bench.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const FAKE_SCHEMA = 'redshift_sys';

const DDL = `
CREATE TABLE stl_query (userid int, query int, label character(320), xid bigint, pid int, database character(32),
  querytxt character(4000), starttime timestamp, endtime timestamp, aborted int, insert_pristine int, concurrency_scaling_status int);
CREATE TABLE stl_querytext (userid int, xid bigint, pid int, query int, sequence int, text character(200));
CREATE TABLE stl_insert (userid int, query int, slice int, segment int, step int, starttime timestamp, endtime timestamp,
  tasknum int, rows bigint, tbl int, inserted_mega_value character(1));
CREATE TABLE stl_delete (userid int, query int, slice int, segment int, step int, starttime timestamp, endtime timestamp,
  tasknum int, rows bigint, tbl int);
CREATE TABLE stl_scan (userid int, query int, slice int, segment int, step int, starttime timestamp, endtime timestamp,
  tasknum int, rows bigint, bytes bigint, fetches bigint, type int, tbl int, is_rrscan character(1), is_delayed_scan character(1),
  rows_pre_filter bigint, rows_pre_user_filter bigint, perm_table_name character(136), is_rlf_scan character(1));
CREATE TABLE svl_statementtext (userid int, xid bigint, pid int, label character(320), starttime timestamp, endtime timestamp,
  sequence int, type varchar(10), text character(200));
CREATE TABLE svv_table_info (database text, schema text, table_id oid, "table" text, encoded text, diststyle text,
  sortkey1 text, size bigint, tbl_rows numeric(38,0));
CREATE TABLE sys_query_history (user_id int, query_id bigint, query_label character(320), transaction_id bigint, session_id int,
  database_name character(128), query_type character(32), status character(10), result_cache_hit boolean, start_time timestamp,
  end_time timestamp, elapsed_time bigint, queue_time bigint, execution_time bigint, error_message character(512),
  returned_rows bigint, returned_bytes bigint, query_text character(4000));
CREATE TABLE sys_query_text (user_id int, query_id bigint, transaction_id bigint, session_id int, start_time timestamp,
  sequence int, text character(4000));
CREATE TABLE sys_query_detail (user_id int, query_id bigint, child_query_sequence int, stream_id int, segment_id int, step_id int,
  step_name text, table_id int, table_name character(136), start_time timestamp, end_time timestamp, duration bigint,
  input_rows bigint, output_rows bigint);
CREATE TABLE pg_user (usename name, usesysid int);
CREATE INDEX ON stl_query (starttime);
CREATE INDEX ON stl_insert (query);
CREATE INDEX ON stl_delete (query);
CREATE INDEX ON stl_scan (query);
CREATE INDEX ON stl_querytext (query);
CREATE INDEX ON sys_query_history (start_time);
CREATE INDEX ON sys_query_detail (query_id);
CREATE INDEX ON sys_query_text (query_id);
`;

export interface FakeTable {
  id: number;
  database: string;
  schema: string;
  name: string;
}

export interface SeededStatement {
  kind: 'insert' | 'select' | 'aborted' | 'temp';
  /** The table id STL_INSERT names (null for a SELECT). */
  insertTbl: number | null;
  query: number;
  xid: number;
  start: number;
  end: number;
  /** The full SQL as it ran (what the connector should rebuild). */
  sql: string;
  target: FakeTable | null;
  sources: FakeTable[];
  rows: number;
  /** False for SELECTs and aborted statements: nothing observed. */
  writes: boolean;
  user: string;
}

export interface SeedOptions {
  /** Start time of the first statement (epoch ms). */
  start: number;
  count: number;
  spacingMs: number;
  /** First statement id (and xid = id * 10). */
  firstQuery?: number;
  /** Write the SYS_* views (serverless) instead of STL_*. */
  serverless?: boolean;
}

const USERS: Array<[number, string]> = [
  [100, 'etl_user'],
  [101, 'analyst'],
  [102, 'loader'],
];

export const FAKE_TABLES: FakeTable[] = [
  { id: 100001, database: 'dev', schema: 'public', name: 'orders' },
  { id: 100002, database: 'dev', schema: 'public', name: 'customers' },
  { id: 100003, database: 'dev', schema: 'public', name: 'payments' },
  { id: 100004, database: 'dev', schema: 'analytics', name: 'daily_revenue' },
  { id: 100005, database: 'dev', schema: 'analytics', name: 'customer_ltv' },
  { id: 100006, database: 'dev', schema: 'Sales', name: 'Regions' },
];
/** Written by some statements but absent from SVV_TABLE_INFO (a temporary table). */
export const TEMP_TABLE_ID = 999001;

const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

const pieces = (text: string, size: number) => {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};

/** The statement i of a seed: deterministic SQL, target and sources. */
export const fakeStatement = (i: number, options: SeedOptions): SeededStatement => {
  const query = (options.firstQuery ?? 1000) + i;
  const start = options.start + i * options.spacingMs;
  const user = USERS[i % USERS.length][1];
  const kind: SeededStatement['kind'] = i % 10 === 4 ? 'select' : i % 10 === 7 ? 'aborted' : i % 10 === 9 ? 'temp' : 'insert';
  const target = FAKE_TABLES[3 + (i % 3)];
  const sources = [FAKE_TABLES[i % 3], FAKE_TABLES[(i + 1) % 3]];
  const filler = 'x'.repeat(40 + (i % 170));
  // The two-character sequence \n is how STL_QUERYTEXT stores a newline.
  const sql =
    kind === 'select'
      ? `SELECT count(*) FROM ${sources[0].schema}.${sources[0].name} WHERE note <> '${filler}'`
      : `INSERT INTO ${target.schema}."${target.name}" (id, amount)\nSELECT a.id, a.amount + b.amount AS amount FROM ${sources[0].schema}.${sources[0].name} a JOIN ${sources[1].schema}.${sources[1].name} b ON a.id = b.id WHERE a.note <> '${filler}'  AND b.run = ${i}`;
  return {
    kind,
    insertTbl: kind === 'select' ? null : kind === 'temp' ? TEMP_TABLE_ID : target.id,
    query,
    xid: query * 10,
    start,
    end: start + 500 + (i % 7) * 100,
    sql,
    target: kind === 'insert' || kind === 'aborted' ? target : null,
    sources,
    rows: 10 + (i % 13) * 3,
    writes: kind === 'insert',
    user,
  };
};

export interface RedshiftFakeOptions {
  /** Admin connection (superuser) to the local PostgreSQL. */
  adminUrl?: string;
  host?: string;
  port?: number;
}

export class RedshiftFake {
  private constructor(
    readonly database: string,
    readonly role: string,
    private readonly admin: Client,
    private readonly db: Client,
    private readonly options: Required<Pick<RedshiftFakeOptions, 'host' | 'port'>> & { adminUrl: string },
  ) {}

  static async create(options: RedshiftFakeOptions = {}): Promise<RedshiftFake> {
    const adminUrl = options.adminUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const url = new URL(adminUrl);
    const host = options.host ?? url.hostname;
    const port = options.port ?? Number(url.port || 5432);
    const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
    const database = `lh_redshift_${suffix}`;
    const role = `lh_rs_${suffix}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    const dbUrl = new URL(adminUrl);
    dbUrl.pathname = `/${database}`;
    const db = new Client({ connectionString: dbUrl.toString() });
    await db.connect();
    await db.query(`CREATE SCHEMA ${FAKE_SCHEMA}; SET search_path = ${FAKE_SCHEMA};`);
    await db.query(DDL);
    await db.query(`GRANT USAGE ON SCHEMA ${FAKE_SCHEMA} TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${FAKE_SCHEMA} TO ${role};`);
    await db.query(
      `INSERT INTO ${FAKE_SCHEMA}.pg_user (usesysid, usename) SELECT * FROM unnest($1::int[], $2::text[])`,
      [USERS.map((u) => u[0]), USERS.map((u) => u[1])],
    );
    await db.query(
      `INSERT INTO svv_table_info (database, schema, table_id, "table", size, tbl_rows) SELECT d, s, i, t, 1, 100 FROM unnest($1::text[], $2::text[], $3::int[], $4::text[]) AS x(d, s, i, t)`,
      [FAKE_TABLES.map((t) => t.database), FAKE_TABLES.map((t) => t.schema), FAKE_TABLES.map((t) => t.id), FAKE_TABLES.map((t) => t.name)],
    );
    return new RedshiftFake(database, role, admin, db, { host, port, adminUrl });
  }

  /** Connector settings pointing at this fake (vendor-side names from the cluster, not the socket). */
  config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      host: this.options.host,
      port: this.options.port,
      database: this.database,
      user: this.role,
      ssl: false,
      clusterIdentifier: 'analytics-cluster',
      region: 'eu-west-1',
      namespacePort: 5439,
      searchPath: `${FAKE_SCHEMA},pg_catalog`,
      ...overrides,
    };
  }

  /** Writes `count` statements into STL_* (or SYS_*), returns what was written. */
  async seed(options: SeedOptions): Promise<SeededStatement[]> {
    const statements = Array.from({ length: options.count }, (_, i) => fakeStatement(i, options));
    for (let i = 0; i < statements.length; i += 2000) {
      await (options.serverless ? this.seedSys(statements.slice(i, i + 2000)) : this.seedStl(statements.slice(i, i + 2000)));
    }
    return statements;
  }

  private async insertJson(table: string, rows: Record<string, unknown>[]) {
    if (rows.length === 0) return;
    await this.db.query(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(null::${table}, $1::json)`, [JSON.stringify(rows)]);
  }

  private async seedStl(statements: SeededStatement[]) {
    const userId = (s: SeededStatement) => USERS.find((u) => u[1] === s.user)![0];
    await this.insertJson(
      'stl_query',
      statements.map((s, i) => ({
        userid: userId(s),
        query: s.query,
        label: i % 4 === 0 ? 'nightly_revenue' : 'default',
        xid: s.xid,
        pid: 4000 + (s.query % 50),
        database: 'dev',
        querytxt: s.sql.slice(0, 4000),
        starttime: ts(s.start),
        endtime: ts(s.end),
        aborted: s.kind === 'aborted' ? 1 : 0,
        insert_pristine: 0,
        concurrency_scaling_status: 0,
      })),
    );
    await this.insertJson(
      'stl_querytext',
      statements.flatMap((s) => pieces(s.sql.replace(/\n/g, '\\n'), 200).map((text, sequence) => ({ userid: userId(s), xid: s.xid, pid: 1, query: s.query, sequence, text }))),
    );
    const step = (s: SeededStatement, slice: number, extra: Record<string, unknown>) => ({
      userid: userId(s),
      query: s.query,
      slice,
      segment: 1,
      step: 2,
      starttime: ts(s.start + 10),
      endtime: ts(s.end - 10),
      tasknum: 1,
      ...extra,
    });
    await this.insertJson(
      'stl_insert',
      statements
        .filter((s) => s.insertTbl !== null)
        .flatMap((s) => {
          const tbl = s.insertTbl;
          const half = Math.floor(s.rows / 2);
          return [step(s, 0, { rows: half, tbl, inserted_mega_value: 'N' }), step(s, 1, { rows: s.rows - half, tbl, inserted_mega_value: 'N' })];
        }),
    );
    await this.insertJson(
      'stl_scan',
      statements.flatMap((s) =>
        s.sources.flatMap((src) =>
          [0, 1].map((slice) =>
            step(s, slice, {
              rows: 50,
              bytes: 4096,
              fetches: 0,
              type: 2,
              tbl: src.id,
              is_rrscan: 'f',
              is_delayed_scan: 'f',
              rows_pre_filter: 50,
              rows_pre_user_filter: 50,
              perm_table_name: src.name,
              is_rlf_scan: 'f',
            }),
          ),
        ),
      ),
    );
  }

  private async seedSys(statements: SeededStatement[]) {
    const userId = (s: SeededStatement) => USERS.find((u) => u[1] === s.user)![0];
    await this.insertJson(
      'sys_query_history',
      statements.map((s) => ({
        user_id: userId(s),
        query_id: s.query,
        query_label: 'default',
        transaction_id: s.xid,
        session_id: 1,
        database_name: 'dev',
        query_type: s.kind === 'select' ? 'SELECT' : 'INSERT',
        status: s.kind === 'aborted' ? 'failed' : 'success',
        result_cache_hit: false,
        start_time: ts(s.start),
        end_time: ts(s.end),
        elapsed_time: (s.end - s.start) * 1000,
        query_text: s.sql.slice(0, 4000),
      })),
    );
    await this.insertJson(
      'sys_query_text',
      statements.flatMap((s) =>
        pieces(s.sql.replace(/\n/g, '\\n'), 4000).map((text, sequence) => ({ user_id: userId(s), query_id: s.query, transaction_id: s.xid, session_id: 1, start_time: ts(s.start), sequence, text })),
      ),
    );
    await this.insertJson(
      'sys_query_detail',
      statements.flatMap((s) => [
        ...s.sources.map((src, k) => ({ user_id: userId(s), query_id: s.query, child_query_sequence: 1, stream_id: 0, segment_id: 0, step_id: k, step_name: 'scan', table_id: src.id, table_name: `${src.schema}.${src.name}`, start_time: ts(s.start), end_time: ts(s.end), input_rows: 50, output_rows: 50 })),
        ...(s.insertTbl !== null
          ? [{ user_id: userId(s), query_id: s.query, child_query_sequence: 1, stream_id: 1, segment_id: 1, step_id: 9, step_name: 'insert', table_id: s.insertTbl, table_name: '', start_time: ts(s.start), end_time: ts(s.end), input_rows: s.rows, output_rows: s.rows }]
          : []),
      ]),
    );
  }

  /** Runs SQL in the fake database as the superuser. */
  async sql(text: string, values: unknown[] = []) {
    return this.db.query(text, values);
  }

  /** Empties the system tables (keeps the catalog and users). */
  async clear(): Promise<void> {
    await this.db.query(
      'TRUNCATE stl_query, stl_querytext, stl_insert, stl_delete, stl_scan, svl_statementtext, sys_query_history, sys_query_text, sys_query_detail',
    );
  }

  /** 53300 on the next connection (Redshift's "connection limit exceeded"); -1 restores. */
  async setConnectionLimit(limit: number): Promise<void> {
    await this.admin.query(`ALTER ROLE ${this.role} CONNECTION LIMIT ${limit}`);
  }

  /** 28000 on the next connection ("role is not permitted to log in"). */
  async setLogin(allowed: boolean): Promise<void> {
    await this.admin.query(`ALTER ROLE ${this.role} ${allowed ? 'LOGIN' : 'NOLOGIN'}`);
  }

  /** 42P01: the view is gone (e.g. the connector's user cannot see it). */
  async hideTable(table: string, hidden: boolean): Promise<void> {
    await this.db.query(hidden ? `ALTER TABLE ${table} RENAME TO ${table}_hidden` : `ALTER TABLE ${table}_hidden RENAME TO ${table}`);
  }

  /** Holds an exclusive lock on a view until the returned function is called (statements wait, then time out: 57014). */
  async lockTable(table: string): Promise<() => Promise<void>> {
    const url = new URL(this.options.adminUrl);
    url.pathname = `/${this.database}`;
    const locker = new Client({ connectionString: url.toString() });
    await locker.connect();
    await locker.query(`BEGIN; SET search_path = ${FAKE_SCHEMA}; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return async () => {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end().catch(() => undefined);
    };
  }

  /** Backends the connector's role holds open right now. */
  async connections(): Promise<number> {
    const { rows } = await this.admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1`, [this.role]);
    return rows[0].n;
  }

  async drop(): Promise<void> {
    await this.db.end().catch(() => undefined);
    await this.admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [this.database]);
    await this.admin.query(`DROP DATABASE IF EXISTS ${this.database}`);
    await this.admin.query(`DROP ROLE IF EXISTS ${this.role}`);
    await this.admin.end();
  }
}

/** One hand-written statement for rule tests: what STL would log for it. */
export interface CustomStatement {
  query: number;
  xid?: number;
  userid: number;
  sql: string;
  start: number;
  end?: number;
  label?: string;
  /** STL_QUERY.aborted = 1: cancelled or failed. */
  aborted?: boolean;
  /** Database the statement ran in (STL_QUERY.database, char(32)); default `dev`. */
  database?: string;
  inserts?: Array<{ tbl: number; rows: number; slice?: number }>;
  deletes?: Array<{ tbl: number; rows: number }>;
  scans?: number[];
}

const stepRow = (s: CustomStatement, extra: Record<string, unknown>) => ({
  userid: s.userid,
  query: s.query,
  slice: 0,
  segment: 1,
  step: 2,
  starttime: ts(s.start + 10),
  endtime: ts((s.end ?? s.start + 500) - 10),
  tasknum: 1,
  ...extra,
});

/** Writes hand-made statements, tables, users and utility text (TRUNCATE) into the fake's STL views. */
export const writeCustom = async (
  fake: RedshiftFake,
  parts: {
    tables?: FakeTable[];
    users?: Array<[number, string]>;
    statements?: CustomStatement[];
    utility?: Array<{ xid: number; pid: number; userid: number; sql: string; start: number; label?: string }>;
  },
): Promise<void> => {
  const json = async (table: string, rows: Record<string, unknown>[]) => {
    if (rows.length > 0) await fake.sql(`INSERT INTO ${FAKE_SCHEMA}.${table} SELECT * FROM json_populate_recordset(null::${FAKE_SCHEMA}.${table}, $1::json)`, [JSON.stringify(rows)]);
  };
  await json('svv_table_info', (parts.tables ?? []).map((t) => ({ database: t.database, schema: t.schema, table_id: t.id, table: t.name, size: 1, tbl_rows: 1 })));
  await json('pg_user', (parts.users ?? []).map(([usesysid, usename]) => ({ usesysid, usename })));
  const statements = parts.statements ?? [];
  await json(
    'stl_query',
    statements.map((s) => ({
      userid: s.userid,
      query: s.query,
      label: s.label ?? 'default',
      xid: s.xid ?? s.query * 10,
      pid: 4000,
      database: s.database ?? 'dev',
      querytxt: s.sql.replace(/\n/g, '\\n').slice(0, 4000),
      starttime: ts(s.start),
      endtime: ts(s.end ?? s.start + 500),
      aborted: s.aborted ? 1 : 0,
      insert_pristine: 0,
      concurrency_scaling_status: 0,
    })),
  );
  await json(
    'stl_querytext',
    statements.flatMap((s) =>
      pieces(s.sql.replace(/\n/g, '\\n'), 200).map((text, sequence) => ({ userid: s.userid, xid: s.xid ?? s.query * 10, pid: 4000, query: s.query, sequence, text })),
    ),
  );
  await json('stl_insert', statements.flatMap((s) => (s.inserts ?? []).map((i) => stepRow(s, { rows: i.rows, tbl: i.tbl, slice: i.slice ?? 0, inserted_mega_value: 'N' }))));
  await json('stl_delete', statements.flatMap((s) => (s.deletes ?? []).map((d) => stepRow(s, { rows: d.rows, tbl: d.tbl }))));
  await json(
    'stl_scan',
    statements.flatMap((s) => (s.scans ?? []).map((tbl) => stepRow(s, { rows: 5, bytes: 1, fetches: 0, type: 2, tbl, is_rrscan: 'f', is_delayed_scan: 'f', rows_pre_filter: 5, rows_pre_user_filter: 5, perm_table_name: '', is_rlf_scan: 'f' }))),
  );
  await json(
    'svl_statementtext',
    // Like STL_UTILITYTEXT: newlines written as `\n`, then 200-character rows numbered by `sequence`.
    (parts.utility ?? []).flatMap((u) =>
      pieces(u.sql.replace(/\n/g, '\\n'), 200).map((text, sequence) => ({ userid: u.userid, xid: u.xid, pid: u.pid, label: u.label ?? '', starttime: ts(u.start), endtime: ts(u.start + 50), sequence, type: 'UTILITY', text })),
    ),
  );
};
