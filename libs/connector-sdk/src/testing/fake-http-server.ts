/**
 * A wire-level fake vendor server on 127.0.0.1: the unmodified vendor SDK talks HTTP to it. Routes answer
 * recorded vendor shapes; every request is logged and counted per route; failures can be injected so tests
 * can assert how the SDK retried and how the connector mapped the error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The route name that answered (or 'injected' / 'unmatched'). */
  route: string;
  /** When the request arrived (before its body was read). */
  at: number;
}

export interface FakeReply {
  status?: number;
  /** Undefined values are left out. */
  headers?: Record<string, string | undefined>;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
  /** Hold the answer this long (e.g. to emulate long polling or a slow vendor). */
  delayMs?: number;
}

export type FakeHandler = (req: FakeRequest & { json<T = any>(): T }, params: Record<string, string>) => FakeReply | Promise<FakeReply>;

interface Route {
  name: string;
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: FakeHandler;
}

interface Injection {
  remaining: number;
  reply: FakeReply | ((req: FakeRequest) => FakeReply);
  when: (req: FakeRequest) => boolean;
}

/** "/projects/:project/jobs/:id" -> a RegExp with named keys; a RegExp is taken as is. */
const compile = (pattern: string | RegExp): { pattern: RegExp; keys: string[] } => {
  if (pattern instanceof RegExp) return { pattern, keys: [] };
  const keys: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        keys.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), keys };
};

export class FakeHttpServer {
  readonly requests: FakeRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly injections: Injection[] = [];
  /** Headers added to every answer (e.g. Salesforce's Sforce-Limit-Info). */
  commonHeaders: Record<string, string | undefined> | ((req: FakeRequest) => Record<string, string | undefined>) = {};

  private constructor(private readonly server: http.Server) {}

  static async start(port = 0): Promise<FakeHttpServer> {
    const server = http.createServer();
    const fake = new FakeHttpServer(server);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Adds a route; `name` defaults to "METHOD pattern" and is what count() takes. */
  route(method: string, pattern: string | RegExp, handler: FakeHandler, name?: string): this {
    const compiled = compile(pattern);
    this.routes.push({ name: name ?? `${method.toUpperCase()} ${String(pattern)}`, method: method.toUpperCase(), handler, ...compiled });
    return this;
  }

  /** The next `times` requests matching `when` (default: all) get `reply` instead of their route's answer. */
  injectFailure(reply: FakeReply | ((req: FakeRequest) => FakeReply), times = 1, when: (req: FakeRequest) => boolean = () => true): this {
    this.injections.push({ remaining: times, reply, when });
    return this;
  }

  clearInjections(): void {
    this.injections.length = 0;
  }

  /** Requests served, all or by route name ('injected' counts injected failures). */
  count(route?: string): number {
    return route === undefined ? this.requests.length : this.requests.filter((r) => r.route === route).length;
  }

  reset(): void {
    this.requests.length = 0;
    this.injections.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: FakeRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      route: 'unmatched',
      at,
    };
    this.requests.push(request);
    let reply: FakeReply;
    try {
      const injection = this.injections.find((i) => i.remaining > 0 && i.when(request));
      if (injection) {
        injection.remaining -= 1;
        request.route = 'injected';
        reply = typeof injection.reply === 'function' ? injection.reply(request) : injection.reply;
      } else {
        reply = await this.dispatch(request);
      }
    } catch (err) {
      reply = { status: 500, body: { error: `fake server handler failed: ${(err as Error).message}` } };
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    const common = typeof this.commonHeaders === 'function' ? this.commonHeaders(request) : this.commonHeaders;
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries({ ...common, ...(reply.headers ?? {}) }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    let body: string | Buffer = '';
    if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') body = reply.body;
    else if (reply.body !== undefined) {
      body = JSON.stringify(reply.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    if (!res.writableEnded && !res.destroyed) {
      res.writeHead(reply.status ?? 200, headers);
      res.end(body);
    }
  }

  private async dispatch(request: FakeRequest): Promise<FakeReply> {
    for (const route of this.routes) {
      if (route.method !== request.method && route.method !== '*') continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      request.route = route.name;
      const params = Object.fromEntries(route.keys.map((k, i) => [k, decodeURIComponent(match[i + 1])]));
      const withJson = Object.assign(request, { json: () => (request.body ? JSON.parse(request.body) : undefined) });
      return route.handler(withJson, params);
    }
    return { status: 404, body: { error: `fake server: no route for ${request.method} ${request.path}` } };
  }
}
