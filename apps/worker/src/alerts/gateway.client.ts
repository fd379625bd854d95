/**
 * What alerting reads from the gateway, typed: open findings (GET /api/v1/findings, federated across shards),
 * the federated upstream and downstream of a node (GET /api/v1/impact), and a dataset's tags and owners
 * (the federated Marquez dataset read: OpenLineage `tags` and `ownership` facets, and Marquez tags).
 * Failures become DomainError('unavailable'); nothing here knows an HTTP status beyond reading one. With auth on,
 * the worker reads as a service (AUTH_SERVICE_TOKEN, the credential the hub's processes share).
 */
import type { Consumer, FindingInput, UpstreamNode } from '@lineage-hub/alerts';
import { DomainError, parseNodeId } from '@lineage-hub/model';

export interface FindingsRead {
  findings: FindingInput[];
  /** False when a shard did not answer; its domains are listed. */
  complete: boolean;
  missingDomains: string[];
}

export interface ImpactRead {
  /** domains: every shard holding the node; domain: its owner (writer or namespace rule). */
  nodes: Array<{ id: string; type?: string; domains?: string[]; domain?: string; distance: number }>;
  complete: boolean;
  missingDomains: string[];
}

/** Lineage answers (impact, dataset labels) are kept this many entries at most; the oldest go first. */
const CACHE_MAX_ENTRIES = 50_000;

const IMPACT_DEPTH = 100;
const IMPACT_LIMIT = 10_000;
const PAGE = 1000;

export class GatewayClient {
  /** Lineage changes slowly next to findings: its answers are reused for `lineageCacheMs` (0: every time anew). */
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly serviceToken: string | null = null,
    private readonly lineageCacheMs = 0,
  ) {}

  /** A cached lineage read; a failed one is not kept. */
  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (this.lineageCacheMs <= 0) return read();
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.lineageCacheMs) return hit.value as Promise<T>;
    const value = read();
    this.cache.delete(key);
    this.cache.set(key, { at: now, value });
    value.catch(() => this.cache.get(key)?.value === value && this.cache.delete(key));
    while (this.cache.size > CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }

  private async get<T>(path: string, allow404 = false): Promise<T | null> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: this.serviceToken ? { authorization: `Bearer ${this.serviceToken}` } : {},
      });
    } catch (err) {
      throw new DomainError('unavailable', `the gateway at ${this.baseUrl} did not answer (${(err as Error).message}); set GATEWAY_URL`);
    }
    if (allow404 && response.status === 404) return null;
    if (!response.ok) throw new DomainError('unavailable', `the gateway answered ${response.status} to GET ${path.split('?')[0]}: ${(await response.text()).slice(0, 200)}`);
    return (await response.json()) as T;
  }

  /** Every open finding, all pages. */
  async openFindings(): Promise<FindingsRead> {
    const findings: FindingInput[] = [];
    const missing = new Set<string>();
    let complete = true;
    let cursor: string | null = null;
    do {
      const page: { findings: FindingInput[]; nextCursor?: string | null; complete?: boolean; missingDomains?: string[] } | null = await this.get(
        `/api/v1/findings?status=open&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      findings.push(...(page?.findings ?? []));
      if (page?.complete === false) complete = false;
      for (const d of page?.missingDomains ?? []) missing.add(d);
      cursor = page?.nextCursor ?? null;
    } while (cursor);
    return { findings, complete, missingDomains: [...missing] };
  }

  impact(nodeId: string, direction: 'upstream' | 'downstream'): Promise<ImpactRead> {
    const key = `impact|${direction}|${nodeId}`;
    // A partial answer (a shard did not answer) is used once, never kept.
    return this.cached(key, () => this.readImpact(nodeId, direction)).then((read) => (read.complete || this.cache.delete(key), read));
  }

  private async readImpact(nodeId: string, direction: 'upstream' | 'downstream'): Promise<ImpactRead> {
    const answer = await this.get<ImpactRead>(`/api/v1/impact?nodeId=${encodeURIComponent(nodeId)}&direction=${direction}&depth=${IMPACT_DEPTH}&limit=${IMPACT_LIMIT}`, true);
    if (!answer) return { nodes: [], complete: true, missingDomains: [] };
    return { nodes: answer.nodes ?? [], complete: answer.complete !== false, missingDomains: answer.missingDomains ?? [] };
  }

  async upstream(nodeId: string): Promise<UpstreamNode[]> {
    return (await this.impact(nodeId, 'upstream')).nodes.filter((n) => n.id !== nodeId).map((n) => ({ id: n.id, distance: n.distance }));
  }

  /** A dataset's tags (`tier:1`, from the OpenLineage tags facet as key:value, and Marquez tags) and owners. */
  datasetLabels(nodeId: string): Promise<Pick<Consumer, 'tags' | 'owners'>> {
    return this.cached(`labels|${nodeId}`, () => this.readLabels(nodeId));
  }

  private async readLabels(nodeId: string): Promise<Pick<Consumer, 'tags' | 'owners'>> {
    let parsed;
    try {
      parsed = parseNodeId(nodeId);
    } catch {
      return { tags: [], owners: [] };
    }
    if (parsed.kind !== 'dataset') return { tags: [], owners: [] };
    const ds = await this.get<{ tags?: Array<string | { name?: string }>; facets?: Record<string, any> }>(
      `/api/v1/namespaces/${encodeURIComponent(parsed.namespace)}/datasets/${encodeURIComponent(parsed.name)}`,
      true,
    );
    if (!ds) return { tags: [], owners: [] };
    const tags = new Set<string>();
    for (const t of ds.tags ?? []) {
      const name = typeof t === 'string' ? t : t?.name;
      if (name) tags.add(name);
    }
    for (const t of (ds.facets?.tags?.tags ?? []) as Array<{ key?: string; value?: string; field?: string }>) {
      if (!t?.key || t.field) continue;
      tags.add(t.value !== undefined && t.value !== '' && t.value !== 'true' ? `${t.key}:${t.value}` : t.key);
    }
    const owners = ((ds.facets?.ownership?.owners ?? []) as Array<{ name?: string }>).map((o) => o?.name).filter((n): n is string => Boolean(n));
    return { tags: [...tags], owners };
  }
}
