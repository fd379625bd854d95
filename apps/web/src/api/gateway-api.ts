/** The UI's only way to the hub: the gateway's public HTTP API (same origin), with the signed-in token. */
const TOKEN_KEY = 'lineage-hub.token';

export const getToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export const setToken = (token: string | null): void => (token ? localStorage.setItem(TOKEN_KEY, token) : localStorage.removeItem(TOKEN_KEY));

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

const withQuery = (path: string, query: Query = {}) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
};

export const api = async <T = any>(method: string, path: string, query?: Query, body?: unknown): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(withQuery(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? safeJson(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, (json as any)?.message ?? `${res.status} ${res.statusText}`);
  return json as T;
};

const safeJson = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const get = <T = any>(path: string, query?: Query) => api<T>('GET', path, query);
export const post = <T = any>(path: string, body?: unknown) => api<T>('POST', path, undefined, body);

/** A read that may not exist on an older hub: 404/501 -> undefined. */
export const maybe = async <T = any>(path: string, query?: Query): Promise<T | undefined> => {
  try {
    return await get<T>(path, query);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 501)) return undefined;
    throw e;
  }
};

export const parseId = (id: string): { kind: string; namespace: string; name: string; field?: string } => {
  const sep = id.indexOf(':');
  const kind = id.slice(0, sep);
  const body = id.slice(sep + 1);
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(body);
  let nsEnd: number;
  if (scheme) {
    const first = body.indexOf(':', scheme[0].length);
    const port = /^:(\d+):/.exec(body.slice(first));
    nsEnd = port ? first + port[0].length - 1 : first;
  } else nsEnd = body.indexOf(':');
  const namespace = body.slice(0, nsEnd);
  let name = body.slice(nsEnd + 1);
  let field: string | undefined;
  if (kind === 'datasetField') {
    const last = name.lastIndexOf(':');
    field = name.slice(last + 1);
    name = name.slice(0, last);
  }
  return { kind, namespace, name, field };
};

export const datasetPath = (id: string) => {
  const p = parseId(id);
  return `/api/v1/namespaces/${encodeURIComponent(p.namespace)}/datasets/${encodeURIComponent(p.name)}`;
};

export const jobPath = (id: string) => {
  const p = parseId(id);
  return `/api/v1/namespaces/${encodeURIComponent(p.namespace)}/jobs/${encodeURIComponent(p.name)}`;
};

export const shortName = (id: string) => {
  const p = parseId(id);
  return p.field ? `${p.name.split('.').pop()}.${p.field}` : p.name.split(/[./]/).slice(-2).join('.');
};
