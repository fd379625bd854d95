/**
 * A wire-level Snowflake fake on 127.0.0.1 for the unmodified snowflake-sdk (pointed at it with `accessUrl`):
 * login, telemetry, session renewal (master token) and deletion, and query requests answered with JSON
 * rowtype/rowset from the recorded ACCESS_HISTORY/QUERY_HISTORY fixture, filtered by the statement's binds (with the
 * text and tag of the row a statement's root_query_id names, as the connector's LEFT JOIN on QUERY_HISTORY gives).
 * It can expire the session token (code 390112: the SDK renews it itself), refuse a login (390100), and
 * answer Snowflake's throttling/timeout failure (`success:false`, code 000630, sqlState 57014).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeHttpServer, type FakeReply } from '@lineage-hub/connector-sdk/testing';

export type AccessHistoryRow = Record<string, any> & { QUERY_ID: string; QUERY_START_TIME: string };

/** The fixtures beside the sources (also when this file runs compiled from dist/, as the bench does). */
const FIXTURES = ((here: string) => (existsSync(here) ? here : here.replace(/[\\/]dist[\\/]/, path.sep)))(path.resolve(__dirname, '..', '..', 'test', 'fixtures'));

export const loadAccessHistory = (): AccessHistoryRow[] => JSON.parse(readFileSync(path.join(FIXTURES, 'access-history.json'), 'utf8'));

/** Nanoseconds since epoch of an ISO instant with up to 9 fraction digits, as a decimal string. */
export const isoToNanos = (iso: string): bigint => {
  const m = /^(.*?:\d\d)(?:\.(\d+))?Z$/.exec(iso);
  if (!m) throw new Error(`bad fixture instant ${iso}`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9));
};

const column = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  database: 'SNOWFLAKE',
  schema: 'ACCOUNT_USAGE',
  table: 'ACCESS_HISTORY',
  type,
  nullable: true,
  precision: type === 'fixed' ? 38 : null,
  scale: type === 'fixed' ? 0 : null,
  length: type === 'text' ? 16777216 : null,
  byteLength: type === 'text' ? 16777216 : null,
  collation: null,
  ...extra,
});

/** The columns of the connector's ACCESS_HISTORY x QUERY_HISTORY statement, in its SELECT order. */
const ROWTYPE = [
  column('QUERY_ID', 'text'),
  column('START_NS', 'text'),
  column('USER_NAME', 'text'),
  column('BASE_OBJECTS_ACCESSED', 'array'),
  column('OBJECTS_MODIFIED', 'array'),
  column('OBJECT_MODIFIED_BY_DDL', 'object'),
  column('PARENT_QUERY_ID', 'text'),
  column('ROOT_QUERY_ID', 'text'),
  column('QUERY_TEXT', 'text'),
  column('QUERY_TYPE', 'text'),
  column('DATABASE_NAME', 'text'),
  column('SCHEMA_NAME', 'text'),
  column('END_MS', 'fixed'),
  column('ROWS_WRITTEN', 'fixed'),
  column('QUERY_TAG', 'text'),
  column('ROOT_QUERY_TEXT', 'text', { table: 'QUERY_HISTORY' }),
  column('ROOT_QUERY_TAG', 'text', { table: 'QUERY_HISTORY' }),
];

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

export interface SnowflakeFakeOptions {
  user?: string;
  password?: string;
}

export class SnowflakeFake {
  rows: AccessHistoryRow[] = loadAccessHistory();
  /** Every SQL text and its statement parameters, in order. */
  readonly statements: Array<{ sqlText: string; parameters?: Record<string, unknown>; bindings?: Record<string, { type: string; value: unknown }> }> = [];
  private sessionToken = 'session-token-1';
  private masterToken = 'master-token-1';
  private generation = 1;
  private expired = false;

  private constructor(readonly server: FakeHttpServer, private readonly options: Required<SnowflakeFakeOptions>) {}

  static async start(options: SnowflakeFakeOptions = {}): Promise<SnowflakeFake> {
    const server = await FakeHttpServer.start();
    const fake = new SnowflakeFake(server, { user: options.user ?? 'LINEAGE_HUB', password: options.password ?? 'fake-password' });
    fake.routes();
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  /** The current session token answers 390112 from now on until the SDK renews it with the master token. */
  expireSession(): void {
    this.expired = true;
  }

  /** The next `times` query requests fail as Snowflake does when a statement is queued or runs past its timeout. */
  injectStatementTimeout(times = 1): void {
    this.server.injectFailure(
      (req) => ({
        status: 200,
        body: {
          success: false,
          code: '000630',
          message: 'Statement reached its statement or warehouse timeout of 30 second(s) and was canceled.',
          data: { queryId: `01b2-timeout-${req.at}`, sqlState: '57014', internalError: false, errorCode: '000630', age: 0 },
        },
      }),
      times,
      (req) => req.path === '/queries/v1/query-request',
    );
  }

  /** The next `times` query requests fail with `code`/`sqlState` (e.g. 002003 / 02000: object does not exist). */
  injectQueryError(code: string, sqlState: string, message: string, times = 1): void {
    this.server.injectFailure(
      { status: 200, body: { success: false, code, message, data: { queryId: '01b2-error', sqlState, errorCode: code, internalError: false, age: 0 } } },
      times,
      (req) => req.path === '/queries/v1/query-request',
    );
  }

  /** The next `times` logins are refused as with a wrong password (390100). */
  injectLoginFailure(times = 1): void {
    this.server.injectFailure(
      { status: 200, body: { success: false, code: '390100', message: 'Incorrect username or password was specified.', data: { nextAction: 'RETRY_LOGIN' } } },
      times,
      (req) => req.path === '/session/v1/login-request',
    );
  }

  /** The next `times` requests of any kind get a bare HTTP status (e.g. 503). */
  injectHttpStatus(status: number, times = 1): void {
    this.server.injectFailure({ status, body: 'Service Unavailable' }, times, (req) => req.path === '/queries/v1/query-request');
  }

  count(route?: string): number {
    return this.server.count(route);
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  private routes(): void {
    this.server
      .route('POST', '/session/v1/login-request', (req) => this.login(req.json()), 'login')
      .route('POST', '/telemetry/send', () => ({ body: { success: true, code: null, message: null, data: null } }), 'telemetry')
      .route('POST', '/session/token-request', (req) => this.renew(req.headers.authorization, req.json()), 'renew')
      .route('POST', '/session', () => ({ body: { success: true, code: null, message: null, data: null } }), 'logout')
      .route('POST', '/queries/v1/query-request', (req) => this.query(req.headers.authorization, req.json()), 'query');
  }

  private login(body: any): FakeReply {
    const data = body?.data ?? {};
    if (data.LOGIN_NAME !== this.options.user || data.PASSWORD !== this.options.password) {
      return { body: { success: false, code: '390100', message: 'Incorrect username or password was specified.', data: { nextAction: 'RETRY_LOGIN', authnMethod: 'PASSWORD' } } };
    }
    this.expired = false;
    return {
      body: {
        success: true,
        code: null,
        message: null,
        data: {
          token: this.sessionToken,
          masterToken: this.masterToken,
          validityInSeconds: 3600,
          masterValidityInSeconds: 14400,
          sessionId: 1234567890,
          displayUserName: this.options.user,
          serverVersion: '8.9.0',
          firstLogin: false,
          healthCheckInterval: 45,
          newClientForUpgrade: null,
          sessionInfo: { databaseName: 'SNOWFLAKE', schemaName: 'ACCOUNT_USAGE', warehouseName: 'LINEAGE_WH', roleName: 'LINEAGE_READER' },
          parameters: [
            { name: 'TIMEZONE', value: 'UTC' },
            { name: 'CLIENT_RESULT_CHUNK_SIZE', value: 160 },
            { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false },
          ],
        },
      },
    };
  }

  private renew(authorization: string | undefined, body: any): FakeReply {
    if (authorization !== `Snowflake Token="${this.masterToken}"` || body?.oldSessionToken !== this.sessionToken) {
      return { body: { success: false, code: '390114', message: 'Authentication token has expired.  The user must authenticate again.', data: null } };
    }
    this.generation += 1;
    this.sessionToken = `session-token-${this.generation}`;
    this.expired = false;
    return {
      body: {
        success: true,
        code: null,
        message: null,
        data: { sessionToken: this.sessionToken, validityInSecondsST: 3600, masterToken: this.masterToken, validityInSecondsMT: 14400, sessionId: 1234567890 },
      },
    };
  }

  private query(authorization: string | undefined, body: any): FakeReply {
    if (authorization !== `Snowflake Token="${this.sessionToken}"`) {
      return { body: { success: false, code: '390104', message: 'User must login again to access this resource.', data: null } };
    }
    if (this.expired) return { body: { success: false, code: '390112', message: 'Your session has expired. Please login again.', data: null } };
    const sqlText = String(body?.sqlText ?? '');
    this.statements.push({ sqlText, parameters: body?.parameters, bindings: body?.bindings });
    const normalised = sqlText.replace(/\s+/g, ' ').trim().toUpperCase();
    if (!/FROM SNOWFLAKE\.ACCOUNT_USAGE\.ACCESS_HISTORY AH JOIN SNOWFLAKE\.ACCOUNT_USAGE\.QUERY_HISTORY QH ON QH\.QUERY_ID = AH\.QUERY_ID/.test(normalised)) {
      return {
        body: {
          success: false,
          code: '002003',
          message: 'SQL compilation error:\nObject does not exist or not authorized.',
          data: { queryId: '01b2-unknown', sqlState: '02000', errorCode: '002003', internalError: false, age: 0 },
        },
      };
    }
    const bind = (i: number) => body?.bindings?.[String(i)]?.value;
    const fromMs = BigInt(String(bind(1)));
    const toMs = BigInt(String(bind(2)));
    const afterNs = BigInt(String(bind(3)));
    const afterId = String(bind(4) ?? '');
    const limit = Number(bind(5));
    // LEFT JOIN QUERY_HISTORY rq ON rq.query_id = COALESCE(root_query_id, parent_query_id): every fixture row is a
    // QUERY_HISTORY row too, also one that modified nothing (a CALL), which the WHERE below leaves out
    const byId = new Map(this.rows.map((r) => [r.QUERY_ID, r]));
    const rootColumns = (r: AccessHistoryRow) => {
      const root = byId.get(r.ROOT_QUERY_ID ?? r.PARENT_QUERY_ID ?? '');
      return [root?.QUERY_TEXT ?? null, root?.QUERY_TAG ?? null];
    };
    const rows = this.rows
      .map((r) => ({ r, ns: isoToNanos(r.QUERY_START_TIME) }))
      .filter(({ r, ns }) => ns >= fromMs * 1_000_000n && ns < toMs * 1_000_000n && (ns > afterNs || (ns === afterNs && r.QUERY_ID > afterId)))
      .filter(({ r }) => (r.OBJECTS_MODIFIED?.length ?? 0) > 0 || r.OBJECT_MODIFIED_BY_DDL)
      .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.r.QUERY_ID.localeCompare(b.r.QUERY_ID)))
      .slice(0, limit);
    const rowset = rows.map(({ r, ns }) => [
      r.QUERY_ID,
      String(ns),
      r.USER_NAME,
      json(r.BASE_OBJECTS_ACCESSED),
      json(r.OBJECTS_MODIFIED),
      json(r.OBJECT_MODIFIED_BY_DDL),
      r.PARENT_QUERY_ID,
      r.ROOT_QUERY_ID,
      r.QUERY_TEXT,
      r.QUERY_TYPE,
      r.DATABASE_NAME,
      r.SCHEMA_NAME,
      String(Date.parse(r.END_TIME)),
      String(r.ROWS_WRITTEN),
      (r as { QUERY_TAG?: string | null }).QUERY_TAG ?? null,
      ...rootColumns(r),
    ]);
    return {
      body: {
        success: true,
        code: null,
        message: null,
        data: {
          queryId: `01b2-fake-${this.statements.length}`,
          queryResultFormat: 'json',
          rowtype: ROWTYPE,
          rowset,
          total: rowset.length,
          returned: rowset.length,
          parameters: [{ name: 'TIMEZONE', value: 'UTC' }],
          statementTypeId: 4096,
          version: 1,
          sendResultTime: Date.now(),
          queryContext: { entries: [] },
        },
      },
    };
  }
}
