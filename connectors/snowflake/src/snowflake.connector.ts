/**
 * Reads SNOWFLAKE.ACCOUNT_USAGE.ACCESS_HISTORY joined with QUERY_HISTORY (the statement's, and the text and tag of
 * the CALL that ran it when a stored procedure did) through the unmodified snowflake-sdk,
 * oldest first, in windows that stop `latencyMs` (>= 3 h) before now so a window is never read while the view
 * may still be filling. Each page is one statement (LIMIT n, keyset on start time in ns and query_id), run
 * under the worker's limiter and the connector's own timeout; results are JSON row sets (asked for explicitly).
 */
import { type Connector, type ConnectorContext, type Cursor, cursorInvalid, type PullBatch, rateLimited } from '@lineage-hub/connector-sdk';
import { canonicalDataset } from '@lineage-hub/model';
import snowflake from 'snowflake-sdk';
import { type AccessHistoryRow, mapAccessHistoryRow } from './access-history.mapper';
import type { SnowflakeConfig } from './snowflake.config';

interface Position {
  /** query_start_time lower bound in ns since epoch (decimal string). */
  ns: string;
  /** query_id of the last row read at exactly `ns` ('' at a window boundary). */
  after: string;
}

export const ACCESS_HISTORY_SQL = `SELECT ah.query_id,
       TO_VARCHAR(DATE_PART(EPOCH_NANOSECOND, ah.query_start_time)) AS start_ns,
       ah.user_name,
       ah.base_objects_accessed,
       ah.objects_modified,
       ah.object_modified_by_ddl,
       ah.parent_query_id,
       ah.root_query_id,
       qh.query_text,
       qh.query_type,
       qh.database_name,
       qh.schema_name,
       DATE_PART(EPOCH_MILLISECOND, qh.end_time) AS end_ms,
       COALESCE(qh.rows_inserted, 0) + COALESCE(qh.rows_updated, 0) + COALESCE(qh.rows_deleted, 0) AS rows_written,
       qh.query_tag,
       rq.query_text AS root_query_text,
       rq.query_tag AS root_query_tag
FROM SNOWFLAKE.ACCOUNT_USAGE.ACCESS_HISTORY ah
JOIN SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY qh ON qh.query_id = ah.query_id
LEFT JOIN SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY rq ON rq.query_id = COALESCE(ah.root_query_id, ah.parent_query_id)
WHERE ah.query_start_time >= TO_TIMESTAMP_LTZ(:1, 3)
  AND ah.query_start_time < TO_TIMESTAMP_LTZ(:2, 3)
  AND (DATE_PART(EPOCH_NANOSECOND, ah.query_start_time) > TO_NUMBER(:3)
       OR (DATE_PART(EPOCH_NANOSECOND, ah.query_start_time) = TO_NUMBER(:3) AND ah.query_id > :4))
  AND qh.execution_status = 'SUCCESS'
  AND (ARRAY_SIZE(ah.objects_modified) > 0 OR ah.object_modified_by_ddl IS NOT NULL)
ORDER BY ah.query_start_time, ah.query_id
LIMIT :5`;

const nsOf = (ms: number) => String(BigInt(Math.floor(ms)) * 1_000_000n);
const msOf = (ns: string) => Number(BigInt(ns) / 1_000_000n);

/** TEMPORARY table objectIds remembered across pulls (a session's temp tables are touched soon after creation). */
const MAX_TEMPORARY = 2_000;

const parseCursor = (cursor: Cursor | null): (Position & { temporary: number[] }) | null => {
  if (!cursor) return null;
  const { v, ns, after, temporary } = cursor as { v?: unknown; ns?: unknown; after?: unknown; temporary?: unknown };
  if (v !== 1 || typeof ns !== 'string' || !/^\d+$/.test(ns) || typeof after !== 'string') {
    throw cursorInvalid(`unreadable Snowflake cursor ${JSON.stringify(cursor)}`);
  }
  if (temporary !== undefined && !(Array.isArray(temporary) && temporary.every((t) => typeof t === 'number')))
    throw cursorInvalid('Snowflake cursor "temporary" must be a list of object ids');
  return { ns, after, temporary: (temporary as number[] | undefined) ?? [] };
};

let sdkConfigured = false;
const configureSdk = () => {
  if (sdkConfigured) return;
  // The SDK would otherwise write snowflake.log into the working directory; failures reach the worker's log as mapped errors.
  snowflake.configure({ logLevel: 'OFF' });
  sdkConfigured = true;
};

export class SnowflakeConnector implements Connector {
  private connection: snowflake.Connection | null = null;
  readonly namespace: string;

  constructor(private readonly config: SnowflakeConfig) {
    this.namespace = canonicalDataset(`snowflake://${config.account}`, 'X.Y.Z').namespace;
  }

  async *pull(cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<PullBatch> {
    const now = ctx.now();
    // An explicit window reads exactly [from, to); the cursor it yields is not kept by the worker.
    const explicit = ctx.window;
    const readUpTo = explicit ? explicit.to : now - this.config.latencyMs;
    const state = parseCursor(cursor);
    let pos: Position = explicit
      ? { ns: nsOf(explicit.from), after: '' }
      : state ?? { ns: nsOf(now - this.config.initialLookbackMs), after: '' };
    const temporary = new Set<number>(state?.temporary ?? []);
    const mapContext = {
      temporary,
      connectorId: ctx.connectorId,
      namespace: this.namespace,
      jobNamespace: this.config.jobNamespace ?? this.namespace,
      names: new Map(),
      columns: new Map(),
    };
    while (msOf(pos.ns) < readUpTo) {
      const windowStart = msOf(pos.ns);
      const windowEnd = Math.min(readUpTo, windowStart + this.config.maxWindowMs);
      for (;;) {
        const rows = await ctx.schedule(() => this.page(pos, windowEnd));
        const events: Record<string, any>[] = [];
        const writes: PullBatch['observedWrites'] = [];
        let statements = 0;
        let withColumns = 0;
        for (const row of rows) {
          const mapped = mapAccessHistoryRow(row, mapContext);
          if (mapped.event) events.push(mapped.event);
          writes.push(...mapped.writes);
          if (mapped.writes.length) {
            statements += 1;
            if (mapped.event?.outputs.some((o: any) => o.facets?.columnLineage)) withColumns += 1;
          }
        }
        const full = rows.length === this.config.pageSize;
        const last = rows[rows.length - 1];
        pos = full && last ? { ns: String(last.START_NS), after: last.QUERY_ID } : { ns: nsOf(windowEnd), after: '' };
        yield {
          events,
          observedWrites: writes,
          cursor: { v: 1, ...pos, ...(temporary.size ? { temporary: [...temporary].slice(-MAX_TEMPORARY) } : {}) },
          // Column lineage comes from ACCESS_HISTORY itself (directSources/baseSources), not from parsing SQL.
          coverage: { windowStart, windowEnd, rowsRead: rows.length, gaps: [], columnLineage: { statements, withColumns } },
        };
        if (!full) break;
      }
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (!connection) return;
    await new Promise<void>((resolve) => connection.destroy(() => resolve()));
  }

  private async page(pos: Position, windowEnd: number): Promise<AccessHistoryRow[]> {
    const connection = await this.connect();
    const binds = [msOf(pos.ns), Math.floor(windowEnd), pos.ns, pos.after, this.config.pageSize];
    return this.execute(connection, ACCESS_HISTORY_SQL, binds);
  }

  private async connect(): Promise<snowflake.Connection> {
    if (this.connection) return this.connection;
    configureSdk();
    const connection = snowflake.createConnection({
      account: this.config.account,
      username: this.config.username,
      password: this.config.password,
      ...(this.config.accessUrl ? { accessUrl: this.config.accessUrl } : {}),
      ...(this.config.warehouse ? { warehouse: this.config.warehouse } : {}),
      ...(this.config.role ? { role: this.config.role } : {}),
      database: 'SNOWFLAKE',
      schema: 'ACCOUNT_USAGE',
      application: 'lineage-hub',
      queryTag: 'lineage-hub connector',
    });
    await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
    this.connection = connection;
    return connection;
  }

  /** One statement, JSON results, bounded by the connector's own timeout (the SDK would retry 429s for minutes). */
  private execute(connection: snowflake.Connection, sqlText: string, binds: Array<string | number>): Promise<AccessHistoryRow[]> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        statement.cancel(() => undefined);
        reject(rateLimited(`Snowflake statement exceeded the connector timeout of ${this.config.statementTimeoutMs} ms`, this.config.statementTimeoutMs));
      }, this.config.statementTimeoutMs);
      const statement = connection.execute({
        sqlText,
        binds,
        parameters: { QUERY_RESULT_FORMAT: 'JSON' },
        complete: (err, _stmt, rows) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          if (err) reject(err);
          else resolve((rows ?? []) as AccessHistoryRow[]);
        },
      });
    });
  }
}
