/**
 * A wire-level BigQuery fake: a real HTTP server on 127.0.0.1 that the unmodified @google-cloud/bigquery SDK
 * talks to through `apiEndpoint` (paths under /bigquery/v2). It answers jobs.insert, jobs.get, jobs.query and
 * jobs.getQueryResults (with maxResults/pageToken paging and jobComplete polling) for the two
 * INFORMATION_SCHEMA views the connector reads, from recorded-shape fixture rows. Tests can inject
 * BigQuery's own failure answers (403 rateLimitExceeded / quotaExceeded, 401 expired credentials, 500s).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { encodeRow, type FieldSchema, queryParameter, type Row, timestampMicros } from './bigquery-wire';

/** The fixtures beside the sources (also when this file runs compiled from dist/, as the bench does). */
const FIXTURES = ((here: string) => (existsSync(here) ? here : here.replace(/[\\/]dist[\\/]/, path.sep)))(path.resolve(__dirname, '..', '..', 'test', 'fixtures'));
const readFixture = <T>(name: string): T => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as T;

export type BigQueryFailure = 'rateLimitExceeded' | 'quotaExceeded' | 'expiredCredentials' | 'backendError' | 'notFound';

interface StoredResult {
  projectId: string;
  jobId: string;
  location: string;
  schema: { fields: FieldSchema[] };
  rows: Row[];
  query: string;
  pollsUntilComplete: number;
}

interface Injection {
  failure: BigQueryFailure;
  remaining: number;
  /** Only requests whose "METHOD route" satisfies this. */
  when?: (route: string) => boolean;
}

export interface RecordedRequest {
  route: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const FAILURES: Record<BigQueryFailure, { status: number; reason: string; message: string; status_: string }> = {
  rateLimitExceeded: {
    status: 403,
    reason: 'rateLimitExceeded',
    message: 'Exceeded rate limits: too many api requests per user per method for this user_method. For more information, see https://cloud.google.com/bigquery/docs/troubleshoot-quotas',
    status_: 'PERMISSION_DENIED',
  },
  quotaExceeded: {
    status: 403,
    reason: 'quotaExceeded',
    message: 'Quota exceeded: Your project exceeded quota for free query bytes scanned.',
    status_: 'PERMISSION_DENIED',
  },
  expiredCredentials: {
    status: 401,
    reason: 'authError',
    message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    status_: 'UNAUTHENTICATED',
  },
  backendError: { status: 500, reason: 'backendError', message: 'Backend error.', status_: 'INTERNAL' },
  notFound: { status: 404, reason: 'notFound', message: 'Not found: Project acme-analytics', status_: 'NOT_FOUND' },
};

export interface BigQueryFakeOptions {
  /** Bearer token every request must carry (default "fake-token"). */
  token?: string;
  /** How many getQueryResults polls answer jobComplete:false before the rows (default 0). */
  pollsUntilComplete?: number;
}

export class BigQueryFake {
  readonly jobsSchema = readFixture<{ fields: FieldSchema[] }>('jobs.schema.json');
  readonly columnsSchema = readFixture<{ fields: FieldSchema[] }>('columns.schema.json');
  /** "project/region" -> INFORMATION_SCHEMA.JOBS rows. */
  readonly jobs = new Map<string, Row[]>(Object.entries(readFixture<Record<string, Row[]>>('jobs.json')));
  /** "project/region" -> INFORMATION_SCHEMA.COLUMNS rows. */
  readonly columns = new Map<string, Row[]>(Object.entries(readFixture<Record<string, Row[]>>('columns.json')));
  /** "METHOD route" -> number of requests. */
  readonly counts = new Map<string, number>();
  readonly requests: RecordedRequest[] = [];
  /** Every SQL text the fake was asked to run. */
  readonly queries: string[] = [];
  private readonly results = new Map<string, StoredResult>();
  private readonly injections: Injection[] = [];
  private server?: http.Server;
  private token: string;

  constructor(private readonly options: BigQueryFakeOptions = {}) {
    this.token = options.token ?? 'fake-token';
  }

  /** Starts listening on 127.0.0.1; resolves to the `apiEndpoint` to hand the SDK. */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The next `count` requests (matching `match`, if given) get BigQuery's answer for `failure`. */
  inject(failure: BigQueryFailure, count = 1, match?: RegExp): void {
    this.injections.push({ failure, remaining: count, when: match ? (route) => match.test(route) : undefined });
  }

  /** Like inject, for requests whose route satisfies `when` (evaluated once per request). */
  injectWhen(failure: BigQueryFailure, count: number, when: (route: string) => boolean): void {
    this.injections.push({ failure, remaining: count, when });
  }

  clearInjections(): void {
    this.injections.length = 0;
  }

  /** The body of the request being answered (the latest one received). */
  lastBody(): string {
    return this.requests[this.requests.length - 1]?.body ?? '';
  }

  /** Every request served so far. */
  total(): number {
    return this.requests.length;
  }

  /** Makes the current token invalid (as an expired one is) and accepts `next` from now on. */
  rotateToken(next: string): void {
    this.token = next;
  }

  count(route: string): number {
    return this.counts.get(route) ?? 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const match = /^\/bigquery\/v2\/projects\/([^/]+)\/(jobs|queries)(?:\/([^/]+))?$/.exec(url.pathname);
    const route = match ? `${req.method} /projects/{p}/${match[2]}${match[3] ? '/{id}' : ''}` : `${req.method} ${url.pathname}`;
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
    this.requests.push({ route, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body });

    const injected = this.takeInjection(route);
    if (injected) return sendError(res, injected);
    if (req.headers.authorization !== `Bearer ${this.token}`) return sendError(res, 'expiredCredentials');
    if (!match) return sendJson(res, 404, apiError(404, 'notFound', `Not found: ${url.pathname}`, 'NOT_FOUND'));

    const [, projectId, collection, id] = match;
    try {
      if (collection === 'jobs' && req.method === 'POST' && !id) return this.insertJob(res, projectId, JSON.parse(body));
      if (collection === 'jobs' && req.method === 'GET' && id) return this.getJob(res, projectId, id, url);
      if (collection === 'queries' && req.method === 'POST' && !id) return this.runQuery(res, projectId, JSON.parse(body));
      if (collection === 'queries' && req.method === 'GET' && id) return this.getQueryResults(res, projectId, id, url);
      return sendJson(res, 404, apiError(404, 'notFound', `Not found: ${req.method} ${url.pathname}`, 'NOT_FOUND'));
    } catch (error) {
      if (error instanceof FakeQueryError) return sendJson(res, error.status, apiError(error.status, error.reason, error.message, 'INVALID_ARGUMENT'));
      throw error;
    }
  }

  private takeInjection(route: string): BigQueryFailure | null {
    const injection = this.injections.find((i) => i.remaining > 0 && (!i.when || i.when(route)));
    if (!injection) return null;
    injection.remaining--;
    return injection.failure;
  }

  /** jobs.insert: the job runs at once; its rows wait for getQueryResults. */
  private insertJob(res: http.ServerResponse, projectId: string, body: any): void {
    const query = body?.configuration?.query;
    if (!query?.query) throw new FakeQueryError(400, 'invalid', 'configuration.query.query is required');
    const location = String(body?.jobReference?.location ?? 'US');
    const jobId = String(body?.jobReference?.jobId ?? randomUUID());
    const result = this.execute(projectId, jobId, location, query.query, query.queryParameters);
    this.results.set(jobId, result);
    sendJson(res, 200, this.jobResource(result));
  }

  private getJob(res: http.ServerResponse, projectId: string, jobId: string, url: URL): void {
    const result = this.results.get(jobId);
    if (!result || result.projectId !== projectId) {
      return sendJson(res, 404, apiError(404, 'notFound', `Not found: Job ${projectId}:${url.searchParams.get('location')}.${jobId}`, 'NOT_FOUND'));
    }
    sendJson(res, 200, this.jobResource(result));
  }

  /** jobs.query (the SDK's fast path): the first page inline, a pageToken when more remain. */
  private runQuery(res: http.ServerResponse, projectId: string, body: any): void {
    const jobId = `job_${randomUUID().replace(/-/g, '')}`;
    const result = this.execute(projectId, jobId, String(body?.location ?? 'US'), String(body?.query ?? ''), body?.queryParameters);
    this.results.set(jobId, result);
    const maxResults = body?.maxResults ? Number(body.maxResults) : undefined;
    sendJson(res, 200, { kind: 'bigquery#queryResponse', ...this.page(result, maxResults, undefined) });
  }

  private getQueryResults(res: http.ServerResponse, projectId: string, jobId: string, url: URL): void {
    const result = this.results.get(jobId);
    if (!result || result.projectId !== projectId) {
      return sendJson(res, 404, apiError(404, 'notFound', `Not found: Job ${projectId}:${jobId}`, 'NOT_FOUND'));
    }
    if (url.searchParams.get('formatOptions.useInt64Timestamp') !== 'true') {
      throw new FakeQueryError(400, 'invalid', 'the fake only serves formatOptions.useInt64Timestamp=true');
    }
    if (result.pollsUntilComplete > 0) {
      result.pollsUntilComplete--;
      return void setTimeout(
        () =>
          sendJson(res, 200, {
            kind: 'bigquery#getQueryResultsResponse',
            jobReference: { projectId, jobId, location: result.location },
            jobComplete: false,
          }),
        20,
      );
    }
    const maxResults = url.searchParams.get('maxResults');
    const page = this.page(result, maxResults ? Number(maxResults) : undefined, url.searchParams.get('pageToken') ?? undefined);
    sendJson(res, 200, { kind: 'bigquery#getQueryResultsResponse', ...page });
  }

  private page(result: StoredResult, maxResults: number | undefined, pageToken: string | undefined) {
    const start = pageToken ? Number(Buffer.from(pageToken, 'base64url').toString('utf8')) : 0;
    const size = maxResults && maxResults > 0 ? maxResults : 100_000;
    const rows = result.rows.slice(start, start + size);
    const next = start + rows.length;
    return {
      etag: `"${result.jobId}-${start}"`,
      schema: result.schema,
      jobReference: { projectId: result.projectId, jobId: result.jobId, location: result.location },
      totalRows: String(result.rows.length),
      rows: rows.map((row) => encodeRow(result.schema.fields, row)),
      ...(next < result.rows.length ? { pageToken: Buffer.from(String(next)).toString('base64url') } : {}),
      totalBytesProcessed: '10485760',
      jobComplete: true,
      cacheHit: false,
    };
  }

  private jobResource(result: StoredResult) {
    return {
      kind: 'bigquery#job',
      etag: `"${result.jobId}"`,
      id: `${result.projectId}:${result.location}.${result.jobId}`,
      selfLink: `${this.url}/bigquery/v2/projects/${result.projectId}/jobs/${result.jobId}?location=${result.location}`,
      user_email: 'connector@lineage-hub.iam.gserviceaccount.com',
      configuration: { jobType: 'QUERY', query: { query: result.query, useLegacySql: false, priority: 'INTERACTIVE' } },
      jobReference: { projectId: result.projectId, jobId: result.jobId, location: result.location },
      statistics: { creationTime: String(Date.now()), startTime: String(Date.now()), totalBytesProcessed: '10485760', query: { statementType: 'SELECT' } },
      status: { state: 'DONE' },
    };
  }

  /** Runs one of the two statements the connector sends, by recognising its FROM clause. */
  private execute(projectId: string, jobId: string, location: string, query: string, params: any[]): StoredResult {
    this.queries.push(query);
    const from = /FROM\s+`([^`]+)`\.`region-([a-z0-9-]+)`\.INFORMATION_SCHEMA\.(JOBS|JOBS_BY_PROJECT|COLUMNS)\b/i.exec(query);
    if (!from) throw new FakeQueryError(400, 'invalidQuery', `Unrecognized name in query: ${query.slice(0, 120)}`);
    const [, project, region, view] = from;
    if (region.toLowerCase() !== location.toLowerCase()) {
      throw new FakeQueryError(404, 'notFound', `Not found: Dataset ${project}:region-${region} was not found in location ${location}`);
    }
    const key = `${project}/${region.toLowerCase()}`;
    const base = { projectId, jobId, location, query, pollsUntilComplete: this.options.pollsUntilComplete ?? 0 };
    if (view.toUpperCase() === 'COLUMNS') {
      const wanted = new Set((queryParameter(params, 'tables') as string[] | undefined) ?? []);
      const rows = (this.columns.get(key) ?? []).filter((r) => wanted.has(`${r.table_schema}.${r.table_name}`));
      return { ...base, schema: this.columnsSchema, rows };
    }
    const lower = queryParameter(params, 'from_micros');
    const upper = queryParameter(params, 'to_micros');
    const after = String(queryParameter(params, 'after_job_id') ?? '');
    if (typeof lower !== 'string' || typeof upper !== 'string') {
      throw new FakeQueryError(400, 'invalidQuery', 'JOBS reads must bound creation_time with @from_micros and @to_micros');
    }
    const rows = (this.jobs.get(key) ?? [])
      .filter((r) => {
        const t = timestampMicros(r.creation_time);
        const atStartAndRead = t === BigInt(lower) && String(r.job_id) <= after;
        return t >= BigInt(lower) && t < BigInt(upper) && !atStartAndRead;
      })
      .sort((a, b) => Number(timestampMicros(a.creation_time) - timestampMicros(b.creation_time)) || String(a.job_id).localeCompare(String(b.job_id)));
    return { ...base, schema: this.jobsSchema, rows };
  }
}

class FakeQueryError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

const apiError = (code: number, reason: string, message: string, status: string) => ({
  error: { code, message, errors: [{ message, domain: code === 401 ? 'global' : 'usageLimits', reason }], status },
});

const sendError = (res: http.ServerResponse, failure: BigQueryFailure) => {
  const f = FAILURES[failure];
  const headers: Record<string, string> = f.status === 401 ? { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' } : {};
  sendJson(res, f.status, apiError(f.status, f.reason, f.message, f.status_), headers);
};

const sendJson = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
