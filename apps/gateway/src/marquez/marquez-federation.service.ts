import { Inject, Injectable } from '@nestjs/common';
import { ShardRpcPatterns, type NodesRequest, type NodesResponse, type ReadResponse } from '@lineage-hub/federation';
import { canonicalDataset, datasetFieldId, DomainError, invalidArgument, notFound, parseNodeId, type NodeId } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';
import { ImpactService } from '../impact/impact.service';
import { parseAsOf, parseNodeIdParam } from '../impact/impact-query';

interface Answer {
  domain: string;
  status: number;
  body: any;
}

interface Fanned {
  answers: Answer[];
  complete: boolean;
  missingDomains: string[];
}

/** As apps/shard's marquez-node-data.ts: the most ids one `marquez.nodes` request may name. */
const MAX_NODE_DATA_IDS = 10_000;

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const time = (value: string | null | undefined) => (value ? Date.parse(value) : 0);
const page = (q: Record<string, string | undefined>) => {
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  const offset = q.offset === undefined ? 0 : Number(q.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw invalidArgument('limit', 'must be an integer 1-10000');
  if (!Number.isInteger(offset) || offset < 0) throw invalidArgument('offset', 'must be a non-negative integer');
  return { limit, offset };
};

/**
 * The Marquez-compatible reads, federated: each read goes to every shard (`marquez.read`), answers are
 * merged by name, and `complete`/`missingDomains` say which shards did not answer. Lineage and column
 * lineage are stitched with the federated traversal instead.
 */
@Injectable()
export class MarquezFederationService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
    private readonly impact: ImpactService,
  ) {}

  async namespaces() {
    const fanned = await this.fanOut('/api/v1/namespaces', {});
    const merged = new Map<string, any>();
    for (const answer of this.ok(fanned)) {
      for (const ns of answer.body?.namespaces ?? []) {
        const known = merged.get(ns.name);
        if (!known) merged.set(ns.name, { ...ns, domains: [answer.domain] });
        else {
          known.domains.push(answer.domain);
          if (time(ns.updatedAt) > time(known.updatedAt)) known.updatedAt = ns.updatedAt;
          if (time(ns.createdAt) < time(known.createdAt)) known.createdAt = ns.createdAt;
        }
      }
    }
    return { namespaces: [...merged.values()].sort(byName), ...this.completeness(fanned) };
  }

  datasets(namespace: string, q: Record<string, string | undefined>) {
    return this.list(`/api/v1/namespaces/${encodeURIComponent(namespace)}/datasets`, 'datasets', q);
  }

  jobs(namespace: string, q: Record<string, string | undefined>) {
    return this.list(`/api/v1/namespaces/${encodeURIComponent(namespace)}/jobs`, 'jobs', q);
  }

  async dataset(namespace: string, name: string) {
    const c = canonicalDataset(namespace, name);
    return this.one(`/api/v1/namespaces/${encodeURIComponent(c.namespace)}/datasets/${encodeURIComponent(c.name)}`, `dataset "${c.namespace}:${c.name}"`);
  }

  async job(namespace: string, name: string) {
    return this.one(`/api/v1/namespaces/${encodeURIComponent(namespace)}/jobs/${encodeURIComponent(name)}`, `job "${namespace}:${name}"`);
  }

  async runs(namespace: string, job: string, q: Record<string, string | undefined>) {
    return this.list(`/api/v1/namespaces/${encodeURIComponent(namespace)}/jobs/${encodeURIComponent(job)}/runs`, 'runs', q, (r) => r.id);
  }

  async run(runId: string) {
    return this.one(`/api/v1/jobs/runs/${encodeURIComponent(runId)}`, `run "${runId}"`);
  }

  async namespace(namespace: string) {
    return this.one(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, `namespace "${namespace}"`);
  }

  async datasetVersions(namespace: string, name: string, q: Record<string, string | undefined>) {
    const c = canonicalDataset(namespace, name);
    return this.list(
      `/api/v1/namespaces/${encodeURIComponent(c.namespace)}/datasets/${encodeURIComponent(c.name)}/versions`,
      'versions',
      q,
      (v) => `${v.version}`,
    );
  }

  /** GET /api/v1/events/lineage: every shard's raw events, newest first (or oldest with sortDirection=asc). */
  async events(q: Record<string, string | undefined>) {
    const { limit, offset } = page(q);
    const forwarded: Record<string, string> = { limit: String(offset + limit), offset: '0' };
    for (const key of ['before', 'after', 'sortDirection']) if (q[key]) forwarded[key] = q[key]!;
    const fanned = await this.fanOut('/api/v1/events/lineage', forwarded);
    const asc = q.sortDirection === 'asc';
    const events = this.ok(fanned)
      .flatMap((a) => (a.body?.events ?? []) as Array<{ eventTime?: string }>)
      .sort((a, b) => (asc ? time(a.eventTime) - time(b.eventTime) : time(b.eventTime) - time(a.eventTime)));
    const totalCount = this.ok(fanned).reduce((sum, a) => sum + (a.body?.totalCount ?? 0), 0);
    return { events: events.slice(offset, offset + limit), totalCount, ...this.completeness(fanned) };
  }

  async search(q: Record<string, string | undefined>) {
    if (!q.q) throw invalidArgument('q', 'is required');
    const limit = q.limit === undefined ? 10 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidArgument('limit', 'must be an integer 1-1000');
    const forwarded: Record<string, string> = { q: q.q, limit: String(limit) };
    for (const key of ['filter', 'sort', 'namespace']) if (q[key]) forwarded[key] = q[key]!;
    const fanned = await this.fanOut('/api/v1/search', forwarded);
    const merged = new Map<string, any>();
    for (const answer of this.ok(fanned)) {
      for (const hit of answer.body?.results ?? []) {
        const key = hit.nodeId ?? `${hit.type}:${hit.namespace}:${hit.name}`;
        const known = merged.get(key);
        if (!known) merged.set(key, { ...hit, domains: [answer.domain] });
        else known.domains.push(answer.domain);
      }
    }
    const results = [...merged.values()]
      .sort((a, b) => (q.sort === 'NAME' ? byName(a, b) : time(b.updatedAt) - time(a.updatedAt) || byName(a, b)))
      .slice(0, limit);
    return { totalCount: results.length, results, ...this.completeness(fanned) };
  }

  /** GET /api/v1/lineage: Marquez's lineage graph (upstream and downstream), stitched across shards. */
  async lineage(q: Record<string, string | undefined>) {
    const nodeId = parseNodeIdParam(q.nodeId);
    const depth = this.depth(q.depth, 20);
    const asOf = parseAsOf(q.asOf);
    return this.graph([nodeId], depth, asOf, undefined, q.withDownstream !== 'false');
  }

  /** GET /api/v1/column-lineage: column lineage of a field (or of every field of a dataset). */
  async columnLineage(q: Record<string, string | undefined>) {
    const nodeId = parseNodeIdParam(q.nodeId);
    const depth = this.depth(q.depth, 20);
    let seeds: NodeId[];
    const parsed = parseNodeId(nodeId);
    if (parsed.kind === 'datasetField') seeds = [nodeId];
    else if (parsed.kind === 'dataset') {
      const ds: any = await this.dataset(parsed.namespace, parsed.name);
      seeds = (ds.fields ?? []).map((f: { name: string }) => datasetFieldId(parsed.namespace, parsed.name, f.name));
      if (seeds.length === 0) return { graph: [], complete: ds.complete ?? true, missingDomains: ds.missingDomains ?? [] };
    } else throw invalidArgument('nodeId', 'column lineage takes a dataset or datasetField id');
    return this.graph(seeds, depth, parseAsOf(q.asOf), undefined, q.withDownstream === 'true');
  }

  private async graph(seeds: NodeId[], depth: number, asOf: number | undefined, transformations: string[] | undefined, withDownstream: boolean) {
    const base = { seeds, depth, maxNodes: this.config.maxNodes, asOf, transformations };
    const runs = await Promise.all([
      this.impact.traverse({ ...base, direction: 'upstream' }, 'lineage'),
      ...(withDownstream ? [this.impact.traverse({ ...base, direction: 'downstream' }, 'lineage')] : []),
    ]);
    const nodes = new Map<string, { id: string; type: string; owner: string; domains: Set<string>; inEdges: Map<string, any>; outEdges: Map<string, any> }>();
    const node = (id: string, type: string, owner: string) => {
      let n = nodes.get(id);
      if (!n) nodes.set(id, (n = { id, type, owner, domains: new Set(), inEdges: new Map(), outEdges: new Map() }));
      return n;
    };
    for (const { result } of runs) {
      for (const n of result.nodes) n.domains.forEach((d) => node(n.id, n.type, n.domain).domains.add(d));
      for (const e of result.edges) {
        const edge = { origin: e.from, destination: e.to };
        const key = `${e.from}>${e.to}`;
        nodes.get(e.from)?.outEdges.set(key, edge);
        nodes.get(e.to)?.inEdges.set(key, edge);
      }
    }
    const missing = new Set(runs.flatMap((r) => r.result.missingDomains));
    const data = await this.ownersData([...nodes.values()].filter((n) => n.type === 'DATASET' || n.type === 'JOB'));
    const byEdge = (a: any, b: any) => (a.origin + a.destination < b.origin + b.destination ? -1 : 1);
    return {
      graph: [...nodes.values()]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((n) => ({
          id: n.id,
          type: n.type,
          data: this.nodeData(n.id, [...n.domains].sort(), data.get(n.id)),
          inEdges: [...n.inEdges.values()].sort(byEdge),
          outEdges: [...n.outEdges.values()].sort(byEdge),
        })),
      complete: missing.size === 0,
      missingDomains: [...missing].sort(),
      truncated: runs.some((r) => r.result.truncated),
    };
  }

  /**
   * The Marquez `data` of datasets and jobs, from each one's owning shard (one `marquez.nodes` message per owner).
   * A shard that does not answer (or predates the message) leaves its nodes with the id/namespace/name data.
   */
  private async ownersData(list: Array<{ id: string; owner: string }>): Promise<Map<string, Record<string, unknown>>> {
    const byOwner = new Map<string, NodeId[]>();
    for (const n of list) {
      let ids = byOwner.get(n.owner);
      if (!ids) byOwner.set(n.owner, (ids = []));
      ids.push(n.id as NodeId);
    }
    const out = new Map<string, Record<string, unknown>>();
    await Promise.all(
      [...byOwner].map(async ([domain, ids]) => {
        for (let i = 0; i < ids.length; i += MAX_NODE_DATA_IDS) {
          try {
            const request: NodesRequest = { ids: ids.slice(i, i + MAX_NODE_DATA_IDS) };
            const answer = await this.clients.send<NodesResponse>(domain, ShardRpcPatterns.nodes, request, this.config.shardTimeoutMs);
            for (const [id, value] of Object.entries(answer?.nodes ?? {})) if (value && typeof value === 'object') out.set(id, value as Record<string, unknown>);
          } catch {
            return; // the graph still answers, with the minimal data for this owner's nodes
          }
        }
      }),
    );
    return out;
  }

  private nodeData(id: string, domains: string[], owned?: Record<string, unknown>) {
    if (owned) return { ...owned, domains };
    const parsed = parseNodeId(id);
    if (parsed.kind === 'datasetField') {
      return { namespace: parsed.namespace, dataset: parsed.name, field: parsed.field, domains };
    }
    if (parsed.kind === 'run') return { id: parsed.runId, domains };
    return { id: { namespace: parsed.namespace, name: parsed.name }, namespace: parsed.namespace, name: parsed.name, domains };
  }

  private depth(value: string | undefined, fallback: number): number {
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 100) throw invalidArgument('depth', 'must be an integer 0-100');
    return n;
  }

  private async list(path: string, key: string, q: Record<string, string | undefined>, id: (item: any) => string = (i) => i.name) {
    const { limit, offset } = page(q);
    // Each shard gives its first offset+limit items; merging them and cutting the page is exact.
    const fanned = await this.fanOut(path, { limit: String(offset + limit), offset: '0' });
    const merged = new Map<string, any>();
    for (const answer of this.ok(fanned)) {
      for (const item of answer.body?.[key] ?? []) {
        const known = merged.get(id(item));
        if (!known) merged.set(id(item), { ...item, domains: [answer.domain] });
        else {
          const domains = [...known.domains, answer.domain];
          merged.set(id(item), time(item.updatedAt) > time(known.updatedAt) ? { ...item, domains } : { ...known, domains });
        }
      }
    }
    const items = [...merged.values()].sort((a, b) => (key === 'runs' || key === 'versions' ? time(b.createdAt) - time(a.createdAt) : byName(a, b)));
    const totalCount = this.ok(fanned).reduce((sum, a) => sum + (a.body?.totalCount ?? 0), 0) - (this.ok(fanned).reduce((n, a) => n + (a.body?.[key]?.length ?? 0), 0) - merged.size);
    return { totalCount, [key]: items.slice(offset, offset + limit), ...this.completeness(fanned) };
  }

  private async one(path: string, what: string) {
    const fanned = await this.fanOut(path, {});
    const found = this.ok(fanned).sort((a, b) => time(b.body?.updatedAt) - time(a.body?.updatedAt));
    if (found.length === 0) {
      if (!fanned.complete) throw new DomainError('unavailable', `${what} not found in the shards that answered; missing: ${fanned.missingDomains.join(', ')}`);
      throw notFound(what);
    }
    return { ...found[0].body, domains: found.map((a) => a.domain).sort(), ...this.completeness(fanned) };
  }

  private ok(fanned: Fanned): Answer[] {
    return fanned.answers.filter((a) => a.status >= 200 && a.status < 300);
  }

  private completeness(fanned: Fanned) {
    return { complete: fanned.complete, missingDomains: fanned.missingDomains };
  }

  /** Sends one read to every shard, each with its own deadline; the slow ones are named, not waited for. */
  private async fanOut(path: string, query: Record<string, string>): Promise<Fanned> {
    const missing: string[] = [];
    const timeoutMs = Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
    const answers = await Promise.all(
      this.registry.list().map(async (shard): Promise<Answer | null> => {
        try {
          const response = await this.clients.send<ReadResponse>(shard.domain, ShardRpcPatterns.read, { path, query }, timeoutMs);
          return { domain: shard.domain, status: response.status, body: response.body };
        } catch {
          missing.push(shard.domain);
          return null;
        }
      }),
    );
    return { answers: answers.filter((a): a is Answer => a !== null), complete: missing.length === 0, missingDomains: missing.sort() };
  }
}

