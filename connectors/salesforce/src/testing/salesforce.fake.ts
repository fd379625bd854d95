/**
 * A wire-level Salesforce fake on 127.0.0.1 for the unmodified jsforce (pointed at it with `loginUrl` /
 * `instanceUrl`): the OAuth 2.0 username-password token endpoint, REST describeGlobal/describe, SOQL query with
 * nextRecordsUrl paging, and the Tooling query path, all from recorded-shape fixtures. Every REST answer
 * carries `Sforce-Limit-Info: api-usage=USED/LIMIT` counted from the calls served. It can inject
 * REQUEST_LIMIT_EXCEEDED (403), expire the session (401 INVALID_SESSION_ID) and retire the API version (410).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeHttpServer, type FakeReply, type FakeRequest } from '@lineage-hub/connector-sdk/testing';

/** The fixtures beside the sources (also when this file runs compiled from dist/, as the bench does). */
const FIXTURES = ((here: string) => (existsSync(here) ? here : here.replace(/[\\/]dist[\\/]/, path.sep)))(path.resolve(__dirname, '..', '..', 'test', 'fixtures'));
const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

export const ORG_ID = '00D000000000001EAA';
export const USER_ID = '005000000000009AAA';

export interface SalesforceFakeOptions {
  /** The org's rolling 24 h API allocation (Developer Edition: 15,000). */
  limit?: number;
  /** API calls already spent today by others when the fake starts. */
  used?: number;
  /** Records per SOQL page (Salesforce's default is 2,000). */
  pageSize?: number;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  /** API versions the org serves (others answer 410 GONE). */
  versions?: string[];
}

const sfError = (status: number, errorCode: string, message: string): FakeReply => ({ status, body: [{ message, errorCode }] });

export class SalesforceFake {
  used: number;
  limit: number;
  describeGlobal = fixture('describe-global.json');
  records: Record<string, Array<Record<string, string>>> = fixture('records.json');
  /** Describes served instead of the fixture files (e.g. generated for the bench), by sObject name. */
  readonly describes = new Map<string, unknown>();
  /** Tooling records by sObject type (MetadataComponentDependency ...). */
  tooling: Record<string, Array<Record<string, unknown>>> = fixture('tooling.json');
  readonly soql: string[] = [];
  private accessToken = 'sf-access-token-1';
  private generation = 1;
  private readonly cursors = new Map<string, { records: unknown[]; offset: number; tooling: boolean }>();
  private readonly options: Required<Omit<SalesforceFakeOptions, 'limit' | 'used'>>;

  private constructor(readonly server: FakeHttpServer, options: SalesforceFakeOptions) {
    this.used = options.used ?? 1200;
    this.limit = options.limit ?? 15_000;
    this.options = {
      pageSize: options.pageSize ?? 2000,
      username: options.username ?? 'integration@acme.com',
      password: options.password ?? 'fake-password',
      clientId: options.clientId ?? 'fake-client-id',
      clientSecret: options.clientSecret ?? 'fake-client-secret',
      versions: options.versions ?? ['62.0'],
    };
  }

  static async start(options: SalesforceFakeOptions = {}): Promise<SalesforceFake> {
    const fake = new SalesforceFake(await FakeHttpServer.start(), options);
    fake.routes();
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  get token(): string {
    return this.accessToken;
  }

  /** The access token in use stops working (as when a session times out); a new login gets a fresh one. */
  expireSession(): void {
    this.accessToken = `expired-${this.accessToken}`;
  }

  /** The next `times` REST calls answer 403 REQUEST_LIMIT_EXCEEDED (the org's 24 h allocation is spent). */
  injectRequestLimitExceeded(times = 1, kind: 'TotalRequests' | 'ConcurrentRequests' = 'TotalRequests'): void {
    this.server.injectFailure(sfError(403, 'REQUEST_LIMIT_EXCEEDED', `${kind} Limit exceeded.`), times, (req) => req.path.startsWith('/services/data/'));
  }

  /** The next `times` REST calls answer `status` with `errorCode`. */
  injectError(status: number, errorCode: string, message: string, times = 1): void {
    this.server.injectFailure(sfError(status, errorCode, message), times, (req) => req.path.startsWith('/services/data/'));
  }

  /** REST API calls served (what counts against the org's allocation). */
  apiCalls(): number {
    return this.server.requests.filter((r) => r.path.startsWith('/services/data/')).length;
  }

  count(route?: string): number {
    return this.server.count(route);
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  private routes(): void {
    this.server.commonHeaders = (req: FakeRequest) => {
      if (!req.path.startsWith('/services/data/')) return {};
      this.used += 1;
      return { 'Sforce-Limit-Info': `api-usage=${this.used}/${this.limit}` };
    };
    this.server
      .route('POST', '/services/oauth2/token', (req) => this.token_(req), 'oauth-token')
      .route('GET', /^\/services\/data\/v([\d.]+)\/sobjects$/, (req) => this.rest(req, () => ({ body: this.describeGlobal })), 'describeGlobal')
      .route('GET', /^\/services\/data\/v([\d.]+)\/sobjects\/([^/]+)\/describe$/, (req) => this.rest(req, () => this.describe(req.path)), 'describe')
      .route('GET', /^\/services\/data\/v([\d.]+)\/query$/, (req) => this.rest(req, () => this.query(req, false)), 'query')
      .route('GET', /^\/services\/data\/v([\d.]+)\/query\/([^/]+)$/, (req) => this.rest(req, () => this.more(req.path)), 'queryMore')
      .route('GET', /^\/services\/data\/v([\d.]+)\/tooling\/query$/, (req) => this.rest(req, () => this.query(req, true)), 'tooling-query')
      .route('GET', /^\/services\/data\/v([\d.]+)\/tooling\/query\/([^/]+)$/, (req) => this.rest(req, () => this.more(req.path)), 'tooling-queryMore');
  }

  private token_(req: FakeRequest): FakeReply {
    const form = new URLSearchParams(req.body);
    const ok =
      form.get('grant_type') === 'password' &&
      form.get('username') === this.options.username &&
      form.get('password') === this.options.password &&
      form.get('client_id') === this.options.clientId &&
      form.get('client_secret') === this.options.clientSecret;
    if (!ok) return { status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } };
    this.generation += 1;
    this.accessToken = `sf-access-token-${this.generation}`;
    return {
      body: {
        access_token: this.accessToken,
        instance_url: this.url,
        id: `${this.url}/id/${ORG_ID}/${USER_ID}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'ZmFrZS1zaWduYXR1cmU=',
      },
    };
  }

  /** Version and session checks every REST call passes through. */
  private rest(req: FakeRequest, answer: () => FakeReply): FakeReply {
    const version = /^\/services\/data\/v([\d.]+)\//.exec(req.path)?.[1] ?? '';
    if (!this.options.versions.includes(version)) return sfError(410, 'API_DISABLED_FOR_ORG', `API version ${version} is retired (410 GONE)`);
    if (req.headers.authorization !== `Bearer ${this.accessToken}`) return sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    return answer();
  }

  private describe(urlPath: string): FakeReply {
    const name = decodeURIComponent(urlPath.split('/')[5]);
    const known = this.describeGlobal.sobjects.find((s: { name: string }) => s.name.toLowerCase() === name.toLowerCase());
    if (!known) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (this.describes.has(known.name)) return { body: this.describes.get(known.name) };
    try {
      return { body: fixture(`describe/${known.name}.json`) };
    } catch {
      return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
  }

  private query(req: FakeRequest, tooling: boolean): FakeReply {
    const soql = req.query.get('q') ?? '';
    this.soql.push(soql);
    const from = /\bFROM\s+(\w+)/i.exec(soql)?.[1];
    if (!from) return sfError(400, 'MALFORMED_QUERY', `unexpected token in: ${soql}`);
    let records: Array<Record<string, unknown>>;
    if (tooling) {
      if (!this.tooling[from]) return sfError(400, 'INVALID_TYPE', `sObject type '${from}' is not supported.`);
      records = this.tooling[from];
    } else {
      const known = this.describeGlobal.sobjects.find((s: { name: string }) => s.name.toLowerCase() === from.toLowerCase());
      if (!known) return sfError(400, 'INVALID_TYPE', `\nFROM ${from}\n     ^\nERROR at Row:1:Column:40\nsObject type '${from}' is not supported.`);
      const lower = /LastModifiedDate\s*>=\s*(\S+)/i.exec(soql)?.[1];
      const upper = /LastModifiedDate\s*<\s*(\S+)/i.exec(soql)?.[1];
      records = (this.records[known.name] ?? [])
        .filter((r) => (!lower || sfTime(r.LastModifiedDate) >= Date.parse(lower)) && (!upper || sfTime(r.LastModifiedDate) < Date.parse(upper)))
        .sort((a, b) => sfTime(a.LastModifiedDate) - sfTime(b.LastModifiedDate) || a.Id.localeCompare(b.Id))
        .map((r) => ({ attributes: { type: known.name, url: `/services/data/v62.0/sobjects/${known.name}/${r.Id}` }, ...r }));
    }
    return this.pageOf(records, 0, tooling, from);
  }

  private more(urlPath: string): FakeReply {
    const locator = decodeURIComponent(urlPath.split('/').pop() ?? '');
    const [id] = locator.split('-');
    const cursor = this.cursors.get(id);
    if (!cursor) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.pageOf(cursor.records as Array<Record<string, unknown>>, Number(locator.split('-')[1]), cursor.tooling, '', id);
  }

  private pageOf(records: Array<Record<string, unknown>>, offset: number, tooling: boolean, entity: string, existing?: string): FakeReply {
    const page = records.slice(offset, offset + this.options.pageSize);
    const next = offset + page.length;
    let nextRecordsUrl: string | undefined;
    if (next < records.length) {
      const id = existing ?? `01g${String(this.cursors.size + 1).padStart(15, '0')}`;
      this.cursors.set(id, { records, offset: next, tooling });
      nextRecordsUrl = `/services/data/v62.0/${tooling ? 'tooling/' : ''}query/${id}-${next}`;
    }
    return {
      body: {
        ...(tooling ? { size: records.length, queryLocator: nextRecordsUrl ? nextRecordsUrl.split('/').pop() : null, entityTypeName: entity || null } : {}),
        totalSize: records.length,
        done: !nextRecordsUrl,
        ...(nextRecordsUrl ? { nextRecordsUrl } : {}),
        records: page,
      },
    };
  }
}

/** Salesforce datetimes: `2024-03-01T10:00:00.000+0000`. */
const sfTime = (text: string) => Date.parse(text.replace(/\+0000$/, 'Z'));
