/**
 * A small HTTP vendor for worker tests and the connector bench: a wire-level fake server (the SDK testing kit's
 * FakeHttpServer) that serves numbered pages of writes, and a connector that reads them through
 * ctx.schedule with fetch. The server speaks the usual signals: 429 + Retry-After ("slow down"), 410 for a
 * page token it no longer honours (cursor-invalid), 401, 5xx, and it can hold answers to emulate slowness.
 */
import { z } from 'zod';
import {
  authFailed,
  type Connector,
  type ConnectorContext,
  ConnectorError,
  type ConnectorFactory,
  cursorInvalid,
  deterministicUuid,
  networkError,
  notFound,
  observedRunEvent,
  type PullBatch,
  rateLimited,
  retryAfterMs,
  transient,
} from '@lineage-hub/connector-sdk';
import { FakeHttpServer } from '@lineage-hub/connector-sdk/testing';
import { canonicalDataset, datasetId } from '@lineage-hub/model';

export const FAKE_VENDOR_KIND = 'fake-vendor';
const PAGE_MS = 60_000;

const configSchema = z.object({
  baseUrl: z.string().url(),
  account: z.string().regex(/^[a-z0-9-]+$/),
  /** Token sent as a bearer (lets tests exercise secrets by env reference). */
  token: z.string().min(1).default('fake-token'),
  /** Delay between pages inside the connector (emulates slow work between requests). */
  pageDelayMs: z.number().int().min(0).default(0),
});
type FakeVendorConfig = z.infer<typeof configSchema>;

interface PageAnswer {
  page: number;
  next: number | null;
  token: string;
  startedAt: number;
  writes: Array<{ table: string; sources: string[]; at: number; id: string; rows: number }>;
}

export const fakeVendorMapError = (err: unknown): ConnectorError => {
  if (err instanceof ConnectorError) return err;
  return networkError(err) ?? transient(err instanceof Error ? err.message : String(err), err);
};

class FakeVendorConnector implements Connector {
  readonly namespace: string;
  constructor(private readonly config: FakeVendorConfig) {
    this.namespace = canonicalDataset(`fake://${config.account}`, 'x').namespace;
  }

  async *pull(cursor: Record<string, unknown> | null, ctx: ConnectorContext): AsyncIterable<PullBatch> {
    /** Without a cursor, the vendor says where its history starts. */
    let page: number | 'first' = typeof cursor?.page === 'number' ? cursor.page : 'first';
    let token = typeof cursor?.token === 'string' ? cursor.token : '';
    for (;;) {
      if (ctx.signal?.aborted) return;
      const answer = await ctx.schedule(() => this.fetchPage(page, token));
      const events = answer.writes.map((w) =>
        observedRunEvent({
          producer: 'https://github.com/lineage-hub/lineage-hub/tree/main/apps/worker/src/testing',
          runId: deterministicUuid(this.namespace, w.id),
          job: { namespace: this.namespace, name: `job.${w.table}` },
          eventTime: w.at,
          inputs: w.sources.map((s) => canonicalDataset(this.namespace, s)),
          outputs: [{ ...canonicalDataset(this.namespace, w.table), rowCount: w.rows }],
          externalQueryId: w.id,
          integration: 'FAKE',
        }),
      );
      const observedWrites = answer.writes.map((w) => ({
        dataset: datasetId(this.namespace, canonicalDataset(this.namespace, w.table).name),
        sources: w.sources.map((s) => datasetId(this.namespace, canonicalDataset(this.namespace, s).name)),
        writtenAt: w.at,
        operation: 'INSERT' as const,
        queryId: w.id,
        rows: w.rows,
        connectorId: ctx.connectorId,
      }));
      const done = answer.next === null;
      yield {
        events,
        observedWrites,
        cursor: done ? { page: answer.page + 1, token: answer.token } : { page: answer.next!, token: answer.token },
        coverage: { windowStart: answer.startedAt, windowEnd: answer.startedAt + PAGE_MS, rowsRead: answer.writes.length, gaps: [] },
      };
      if (done) return;
      page = answer.next as number;
      token = answer.token;
      if (this.config.pageDelayMs) await new Promise((r) => setTimeout(r, this.config.pageDelayMs));
    }
  }

  private async fetchPage(page: number | 'first', token: string): Promise<PageAnswer> {
    const response = await fetch(`${this.config.baseUrl}/v1/pages/${page}?token=${encodeURIComponent(token)}`, {
      // When the request left (the limiter's side); the fake's own clock says when it arrived.
      headers: { authorization: `Bearer ${this.config.token}`, 'x-sent-at': String(Date.now()) },
    });
    const body = await response.text();
    if (response.status === 429) throw rateLimited(`vendor says slow down: ${body}`, retryAfterMs(response.headers.get('retry-after')));
    if (response.status === 410) throw cursorInvalid(`vendor no longer honours page token "${token}": ${body}`);
    if (response.status === 401) throw authFailed(`vendor refused the token: ${body}`);
    if (response.status === 404) throw notFound(`vendor has no page ${page}`);
    if (!response.ok) throw transient(`vendor answered HTTP ${response.status}: ${body}`);
    return JSON.parse(body) as PageAnswer;
  }
}

export const fakeVendorConnectorFactory: ConnectorFactory<FakeVendorConfig> = {
  kind: FAKE_VENDOR_KIND,
  configSchema,
  accountKey: (config) => `fake:${config.account}`,
  mapError: fakeVendorMapError,
  create: (config) => new FakeVendorConnector(config),
};

export interface FakeVendorOptions {
  /** Pages the vendor holds now (publish() adds more); page n has `writesPerPage` writes. */
  pages: number;
  writesPerPage?: number;
  /** Start time of page 0. */
  start?: number;
  /** Hold every answer this long. */
  delayMs?: number;
  /** Pages that, the first time they are asked for, answer this instead (e.g. 429 + Retry-After). */
  port?: number;
}

/** The vendor's side: pages of writes on 127.0.0.1, counted per request. */
export class FakeVendor {
  /** Tokens the vendor honours; `expireTokens()` forgets them all (a stale cursor then gets 410). */
  private tokens = new Set<string>(['']);
  private generation = 0;
  /** The oldest page the vendor still holds (older ones were purged). */
  private firstPage = 0;

  private constructor(
    readonly server: FakeHttpServer,
    readonly options: Required<Omit<FakeVendorOptions, 'port'>>,
  ) {}

  static async start(options: FakeVendorOptions): Promise<FakeVendor> {
    const server = await FakeHttpServer.start(options.port ?? 0);
    const vendor = new FakeVendor(server, { writesPerPage: 3, start: Date.UTC(2026, 10, 1), delayMs: 0, ...options });
    server.route(
      'GET',
      '/v1/pages/:page',
      (req, params) => vendor.page(params.page === 'first' ? vendor.firstPage : Number(params.page), req.query.get('token') ?? ''),
      'page',
    );
    return vendor;
  }

  get url(): string {
    return this.server.url;
  }

  /** The writes page n holds (what a complete read must deliver). */
  writesOf(page: number) {
    const { start, writesPerPage } = this.options;
    return Array.from({ length: writesPerPage }, (_, k) => ({
      id: `q-${page}-${k}`,
      table: `warehouse.mart.table_${(page + k) % 7}`,
      sources: [`warehouse.raw.source_${k % 3}`],
      at: start + page * PAGE_MS + k * 1000,
      rows: 10 + k,
    }));
  }

  /** Forgets every page token it handed out (a resumed cursor then gets 410), and purges pages before `firstPage`. */
  expireTokens(firstPage = this.firstPage): void {
    this.tokens = new Set(['']);
    this.generation += 1;
    this.firstPage = firstPage;
  }

  /** The vendor now holds `pages` pages. */
  publish(pages: number): void {
    this.options.pages = pages;
  }

  /** Requests for page n so far. */
  requestsFor(page: number): number {
    return this.server.requests.filter((r) => r.route === 'page' && r.path === `/v1/pages/${page}`).length;
  }

  private page(page: number, token: string) {
    if (!this.tokens.has(token) || page < this.firstPage) return { status: 410, body: { error: 'page token expired' } };
    if (page >= this.options.pages) return { status: 200, body: { page, next: null, token, startedAt: this.options.start + page * PAGE_MS, writes: [] }, delayMs: this.options.delayMs };
    const next = page + 1 < this.options.pages ? page + 1 : null;
    const nextToken = `g${this.generation}-p${page + 1}`;
    this.tokens.add(nextToken);
    return {
      status: 200,
      delayMs: this.options.delayMs,
      body: { page, next, token: nextToken, startedAt: this.options.start + page * PAGE_MS, writes: this.writesOf(page) } satisfies PageAnswer,
    };
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}
