/**
 * Reads `region-<loc>`.INFORMATION_SCHEMA.JOBS of every configured project and region by creation_time,
 * oldest first, through the unmodified @google-cloud/bigquery SDK (one query job per window, paged with
 * getQueryResults). The cursor keeps, per project/region, the exact keyset position (creation_time in µs,
 * job_id) of the last row delivered, so a pull resumes mid-window without losing or repeating a job, and a
 * throttled request (the SDK's own retries are off: the worker's limiter rides it out) loses nothing.
 */
import { BigQuery, type Job } from '@google-cloud/bigquery';
import { cursorInvalid, type Connector, type ConnectorContext, type CoverageGap, type Cursor, type PullBatch } from '@lineage-hub/connector-sdk';
import { OAuth2Client } from 'google-auth-library';
import type { BigQueryConfig } from './bigquery.config';
import { mapBigQueryError } from './bigquery-error.mapper';
import type { JobHints } from '@lineage-hub/model';
import { type ColumnInfo, jobFailed, type JobRow, mapJob, physicalName, scriptHints, undecorated } from './bigquery-jobs.mapper';
import { toMicros } from './bigquery-timestamp';

/** Keyset position in one project/region: rows after (t, after) are unread. */
interface Position {
  /** creation_time lower bound, µs since epoch (decimal string: beyond double precision). */
  t: string;
  /** job_id of the last row read at exactly `t` ('' at a window boundary). */
  after: string;
}

interface BigQueryCursor {
  v: 1;
  positions: Record<string, Position>;
}

const JOB_COLUMNS = [
  'job_id',
  'creation_time',
  'end_time',
  'project_id',
  'user_email',
  'job_type',
  'statement_type',
  'query',
  'state',
  'error_result',
  'destination_table',
  'referenced_tables',
  'parent_job_id',
  'total_bytes_processed',
  'dml_statistics',
  'labels',
].join(', ');

const quoteId = (id: string) => `\`${id.replace(/`/g, '')}\``;

export const jobsSql = (projectId: string, region: string) =>
  [
    `SELECT ${JOB_COLUMNS}`,
    `FROM ${quoteId(projectId)}.${quoteId(`region-${region}`)}.INFORMATION_SCHEMA.JOBS`,
    'WHERE creation_time >= TIMESTAMP_MICROS(@from_micros)',
    '  AND creation_time < TIMESTAMP_MICROS(@to_micros)',
    '  AND NOT (creation_time = TIMESTAMP_MICROS(@from_micros) AND job_id <= @after_job_id)',
    'ORDER BY creation_time, job_id',
  ].join('\n');

export const columnsSql = (projectId: string, region: string) =>
  [
    'SELECT table_catalog, table_schema, table_name, column_name, ordinal_position, data_type',
    `FROM ${quoteId(projectId)}.${quoteId(`region-${region}`)}.INFORMATION_SCHEMA.COLUMNS`,
    "WHERE CONCAT(table_schema, '.', table_name) IN UNNEST(@tables)",
    'ORDER BY table_schema, table_name, ordinal_position',
  ].join('\n');

const micros = (ms: number) => String(BigInt(Math.floor(ms)) * 1000n);
const microsToMs = (us: string) => Number(BigInt(us) / 1000n);

/** Exact µs of a decoded TIMESTAMP (any form bigquery-timestamp reads). */
const rowMicros = (value: unknown): string => {
  const us = toMicros(value);
  if (us === null) throw new Error(`unreadable creation_time ${JSON.stringify(value)}`);
  return String(us);
};

const parseCursor = (cursor: Cursor | null): BigQueryCursor => {
  if (!cursor) return { v: 1, positions: {} };
  const positions = (cursor as Partial<BigQueryCursor>).positions;
  if (cursor.v !== 1 || !positions || typeof positions !== 'object') throw cursorInvalid(`unreadable BigQuery cursor ${JSON.stringify(cursor)}`);
  for (const [key, p] of Object.entries(positions)) {
    if (!p || !/^\d+$/.test(String(p.t)) || typeof p.after !== 'string') throw cursorInvalid(`unreadable BigQuery cursor position for ${key}`);
  }
  return { v: 1, positions: { ...positions } };
};

/** SCRIPT jobs whose hints are kept for their children (the most recent; a script's children follow it closely). */
const SCRIPTS_KEPT = 10_000;

export class BigQueryConnector implements Connector {
  /** BigQuery datasets are named `bigquery` / `project.dataset.table` (OpenLineage naming), whatever the project. */
  readonly namespace = 'bigquery';
  private readonly clients = new Map<string, BigQuery>();
  /**
   * Hints of the SCRIPT jobs read, by `project:jobId`. Rows come by creation time and a script is created before its
   * children (and holds the cursor while it runs), so a child's parent has been read before it, in this pull or an
   * earlier one of this process.
   */
  private readonly scripts = new Map<string, JobHints | undefined>();

  constructor(private readonly config: BigQueryConfig) {}

  async *pull(cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<PullBatch> {
    // An explicit window reads exactly [from, to) of every project/region; the cursor it yields is not kept.
    const explicit = ctx.window;
    const state = explicit ? parseCursor(null) : parseCursor(cursor);
    const now = ctx.now();
    const readUpTo = explicit ? explicit.to : now - this.config.lagMs;
    for (const project of this.config.projects) {
      for (const region of project.regions) {
        const key = `${project.projectId}/${region}`;
        const gaps: CoverageGap[] = [];
        let pos = explicit ? { t: micros(explicit.from), after: '' } : (state.positions[key] ?? { t: micros(now - this.config.initialLookbackMs), after: '' });
        const horizon = now - this.config.retentionMs;
        if (microsToMs(pos.t) < horizon) {
          gaps.push({ kind: 'retention-horizon', from: microsToMs(pos.t), to: horizon, reason: `JOBS keeps ${this.config.retentionMs} ms; older jobs are gone` });
          pos = { t: micros(horizon), after: '' };
        }
        while (microsToMs(pos.t) < readUpTo) {
          const windowEnd = Math.min(readUpTo, microsToMs(pos.t) + this.config.maxWindowMs);
          let stopped = false;
          for await (const page of this.readWindow(project.projectId, region, pos, windowEnd, ctx)) {
            const windowStart = microsToMs(pos.t);
            const { batch, next, blocked } = await this.toBatch(page.rows, project.projectId, region, pos, windowEnd, page.last, ctx);
            state.positions[key] = next;
            batch.cursor = { v: 1, positions: { ...state.positions } };
            batch.coverage = {
              ...batch.coverage,
              windowStart,
              windowEnd: blocked ? microsToMs(next.t) : windowEnd,
              rowsRead: page.rows.length,
              gaps: [...gaps.splice(0), ...batch.coverage.gaps],
            };
            pos = next;
            yield batch;
            if (blocked) {
              stopped = true;
              break;
            }
          }
          if (stopped) break;
        }
      }
    }
  }

  async close(): Promise<void> {
    this.clients.clear();
  }

  /** One query job per window; each getQueryResults page is one limiter-scheduled request. */
  private async *readWindow(projectId: string, region: string, pos: Position, windowEnd: number, ctx: ConnectorContext) {
    const client = this.client(projectId);
    const [job] = await ctx.schedule(() =>
      client.createQueryJob({
        query: jobsSql(projectId, region),
        location: region,
        params: { from_micros: pos.t, to_micros: micros(windowEnd), after_job_id: pos.after },
        types: { from_micros: 'INT64', to_micros: 'INT64', after_job_id: 'STRING' },
        jobPrefix: 'lineage_hub_jobs_',
      }),
    );
    let pageToken: string | undefined;
    for (;;) {
      const [rows, next] = await ctx.schedule(() => getPage(job, this.config.pageSize, pageToken));
      pageToken = next?.pageToken;
      const more = !!pageToken;
      yield { rows: rows as unknown as JobRow[], last: !more };
      if (!more) return;
    }
  }

  private async toBatch(
    rows: JobRow[],
    projectId: string,
    region: string,
    pos: Position,
    windowEnd: number,
    lastPage: boolean,
    ctx: ConnectorContext,
  ): Promise<{ batch: PullBatch; next: Position; blocked: boolean }> {
    const running = rows.findIndex((r) => r.state !== 'DONE');
    const done = running < 0 ? rows : rows.slice(0, running);
    const columns = this.config.readColumns ? await this.columnsFor(done, region, ctx) : new Map<string, ColumnInfo[]>();
    const events: Record<string, any>[] = [];
    const writes: PullBatch['observedWrites'] = [];
    let missing = 0;
    let asked = 0;
    let withColumns = 0;
    const sqlLineage = ctx.sqlLineage
      ? (sql: string, defaultProject: string) => ctx.sqlLineage!({ sql, dialect: 'bigquery', defaultDatabase: defaultProject })
      : undefined;
    const fromScript = (project: string, jobId: string) => this.scripts.get(`${project}:${jobId}`);
    for (const row of done) {
      if (row.statement_type === 'SCRIPT') this.keepScript(row);
      const mapped = mapJob(row, { connectorId: ctx.connectorId, location: region, jobNamespace: this.config.jobNamespace, columns, sqlLineage, scriptHints: fromScript });
      if (!mapped) continue;
      if (mapped.write) writes.push(mapped.write);
      if (!mapped.event) continue;
      events.push(mapped.event);
      if (row.query) asked++;
      if (mapped.columnLineageMissing) missing++;
      if (mapped.event.outputs[0]?.facets?.columnLineage) withColumns++;
    }
    const lastRow = done[done.length - 1];
    const blocked = running >= 0;
    const next: Position =
      !blocked && lastPage ? { t: micros(windowEnd), after: '' } : lastRow ? { t: rowMicros(lastRow.creation_time), after: lastRow.job_id } : pos;
    const gaps: CoverageGap[] = [];
    if (blocked) {
      const r = rows[running];
      gaps.push({
        kind: 'partial',
        from: microsToMs(next.t),
        to: windowEnd,
        reason: `job ${r.job_id} is still ${r.state}; ${projectId}/${region} resumes there next run`,
      });
    }
    return {
      batch: {
        events,
        observedWrites: writes,
        cursor: {},
        coverage: {
          windowStart: 0,
          windowEnd: 0,
          rowsRead: rows.length,
          gaps,
          ...(sqlLineage
            ? {
                columnLineage: {
                  statements: asked,
                  withColumns,
                  ...(missing > 0 ? { reason: `libs/sql-lineage could not read ${missing} of ${asked} statements (table lineage kept)` } : {}),
                },
              }
            : { columnLineage: { statements: asked, withColumns: 0, reason: 'no SQL lineage lent to this run' } }),
        },
      },
      next,
      blocked,
    };
  }

  private keepScript(row: JobRow): void {
    const key = `${row.project_id}:${row.job_id}`;
    this.scripts.delete(key);
    this.scripts.set(key, scriptHints(row));
    if (this.scripts.size > SCRIPTS_KEPT) this.scripts.delete(this.scripts.keys().next().value as string);
  }

  /** INFORMATION_SCHEMA.COLUMNS of the tables written, per destination project, cached for the pull. */
  private readonly columnCache = new Map<string, ColumnInfo[]>();

  private async columnsFor(rows: JobRow[], region: string, ctx: ConnectorContext): Promise<Map<string, ColumnInfo[]>> {
    const wanted = new Map<string, Set<string>>();
    for (const row of rows) {
      const dest = row.destination_table ? undecorated(row.destination_table) : null;
      if (!dest || dest.dataset_id.startsWith('_') || row.statement_type === 'SCRIPT' || jobFailed(row)) continue;
      if (this.columnCache.has(physicalName(dest))) continue;
      const set = wanted.get(dest.project_id) ?? new Set<string>();
      set.add(`${dest.dataset_id}.${dest.table_id}`);
      wanted.set(dest.project_id, set);
    }
    for (const [projectId, tables] of wanted) {
      const found = new Map<string, ColumnInfo[]>();
      try {
        await this.readColumns(projectId, region, tables, found, ctx);
      } catch (err) {
        // Schemas are a nicety: a project the connector may not read (or a region it has no dataset in) leaves
        // the tables without a schema facet instead of failing the run. Throttling and outages still fail it.
        const code = mapBigQueryError(err).code;
        if (code !== 'auth-failed' && code !== 'not-found') throw err;
        ctx.log('warn', 'INFORMATION_SCHEMA.COLUMNS not readable; schemas left out', { projectId, region, code });
      }
      for (const t of tables) this.columnCache.set(`${projectId}.${t}`, found.get(`${projectId}.${t}`) ?? []);
    }
    return this.columnCache;
  }

  private async readColumns(projectId: string, region: string, tables: Set<string>, found: Map<string, ColumnInfo[]>, ctx: ConnectorContext) {
    const client = this.client(projectId);
    const [job] = await ctx.schedule(() =>
      client.createQueryJob({
        query: columnsSql(projectId, region),
        location: region,
        params: { tables: [...tables] },
        types: { tables: ['STRING'] },
        jobPrefix: 'lineage_hub_columns_',
      }),
    );
    let pageToken: string | undefined;
    do {
      const [rows, next] = await ctx.schedule(() => getPage(job, 10_000, pageToken));
      for (const r of rows as Array<Record<string, any>>) {
        const name = `${r.table_catalog}.${r.table_schema}.${r.table_name}`;
        const list = found.get(name) ?? [];
        list.push({ name: String(r.column_name), type: String(r.data_type) });
        found.set(name, list);
      }
      pageToken = next?.pageToken;
    } while (pageToken);
  }

  private client(projectId: string): BigQuery {
    let client = this.clients.get(projectId);
    if (!client) {
      const credentials = this.config.credentials;
      client = new BigQuery({
        projectId,
        ...(this.config.apiEndpoint ? { apiEndpoint: this.config.apiEndpoint } : {}),
        // access-token: a bearer token, no token fetch; otherwise the SDK uses Application Default Credentials.
        ...(credentials.kind === 'access-token' ? { authClient: tokenClient(credentials.token) } : {}),
        // Throttling goes to the worker's shared limiter (rate-limited -> RateLimitError), not to blind SDK retries.
        autoRetry: false,
        maxRetries: 0,
      });
      this.clients.set(projectId, client);
    }
    return client;
  }
}

const tokenClient = (token: string): OAuth2Client => {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token });
  return client;
};

type PageQuery = { pageToken?: string; jobComplete?: boolean } | null;

/** One getQueryResults page; when the job is still running the SDK answers no rows and a next query without token. */
const getPage = async (job: Job, maxResults: number, pageToken: string | undefined): Promise<[unknown[], PageQuery]> => {
  for (;;) {
    const [rows, next, response] = (await job.getQueryResults({ autoPaginate: false, maxResults, ...(pageToken ? { pageToken } : {}) })) as unknown as [
      unknown[],
      PageQuery,
      { jobComplete?: boolean } | undefined,
    ];
    if (response?.jobComplete === false) continue;
    return [rows ?? [], next];
  }
};
