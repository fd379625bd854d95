/**
 * The CLI's one way to the hub: the gateway's public HTTP API, with the caller's token. Every failure becomes a
 * CliError with the exit code the CLI contract gives it (2 for usage/tool errors such as an unreachable gateway).
 */
import { CliError, EXIT_USAGE } from '../cli-io';

export interface GatewayOptions {
  url: string;
  token?: string;
  timeoutMs?: number;
}

export interface GatewayAnswer<T = any> {
  status: number;
  body: T;
}

/** A gateway answer outside 2xx, with the gateway's own message. */
export class GatewayError extends CliError {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: any,
  ) {
    super(`${path}: the gateway answered ${status}${describe(body)}`, EXIT_USAGE);
    this.name = 'GatewayError';
  }
}

const describe = (body: any): string => {
  if (body && typeof body === 'object') {
    const message = body.message ?? body.error;
    const field = body.field ? ` (field ${body.field})` : '';
    if (typeof message === 'string') return `: ${message}${field}`;
  }
  return typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : '';
};

export const parseGatewayUrl = (raw: string | undefined): string => {
  if (!raw) throw new CliError('--gateway (or LINEAGE_GATEWAY) is required: the gateway URL, e.g. http://127.0.0.1:4000', EXIT_USAGE);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`--gateway: "${raw}" is not a URL`, EXIT_USAGE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--gateway: "${raw}" must be an http(s) URL`, EXIT_USAGE);
  return url.toString().replace(/\/+$/, '');
};

export class GatewayClient {
  readonly baseUrl: string;

  constructor(private readonly options: GatewayOptions) {
    this.baseUrl = parseGatewayUrl(options.url);
  }

  get<T = any>(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<GatewayAnswer<T>> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<GatewayAnswer<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  put<T = any>(path: string, body?: unknown): Promise<GatewayAnswer<T>> {
    return this.request<T>('PUT', path, body);
  }

  delete<T = any>(path: string): Promise<GatewayAnswer<T>> {
    return this.request<T>('DELETE', path);
  }

  /** Like get, but a 404 answers undefined instead of failing. */
  async find<T = any>(path: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<T | undefined> {
    try {
      return (await this.get<T>(path, query)).body;
    } catch (e) {
      if (e instanceof GatewayError && e.status === 404) return undefined;
      throw e;
    }
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, allow: (status: number) => boolean = ok): Promise<GatewayAnswer<T>> {
    const init: RequestInit = { method, headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000) };
    if (this.options.token) (init.headers as Record<string, string>).authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) {
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, init);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
      throw new CliError(`cannot reach the gateway at ${this.baseUrl} (${cause}); check --gateway / LINEAGE_GATEWAY`, EXIT_USAGE);
    }
    const text = await response.text();
    let parsed: any = text;
    if (text && (response.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep the text
      }
    }
    if (!allow(response.status)) throw new GatewayError(response.status, path, parsed);
    return { status: response.status, body: parsed as T };
  }
}

const ok = (status: number) => status >= 200 && status < 300;

export const withQuery = (path: string, query: Record<string, string | number | boolean | undefined>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
};

/** Marquez-style path of a dataset or job id (`dataset:{ns}:{name}` -> `/api/v1/namespaces/{ns}/datasets/{name}`). */
export const marquezPath = (kind: 'datasets' | 'jobs', namespace: string, name: string): string =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/${kind}/${encodeURIComponent(name)}`;
