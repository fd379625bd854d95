import { Inject, Injectable } from '@nestjs/common';
import {
  domainForNamespace,
  type NodesRequest,
  type ShardMessageName,
  ShardRefusedError,
  type ShardRequest,
  type ShardResponse,
  ShardRpcPatterns as P,
} from '@lineage-hub/federation';
import {
  canonicalDataset,
  datasetFieldId,
  DomainError,
  invalidArgument,
  notFound,
  parseNodeId,
  parseTransformationFilter,
  queryParams as qp,
  type NodeId,
} from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';
import { ImpactService } from '../impact/impact.service';
import { parseAsOf, parseNodeIdParam } from '../impact/impact-query';

interface Answer<T> {
  domain: string;
  body: T;
}

/** Who answered what: values, refusals (the shard answered with an error code) and the shards that did not answer. */
interface Fanned<T> {
  answers: Array<Answer<T>>;
  refusals: ShardRefusedError[];
  complete: boolean;
  missingDomains: string[];
}

/** The raw query string as Express parsed it: a repeated parameter is an array, refused by the qp helpers. */
type Query = Record<string, unknown>;

/** As apps/shard's marquez-node-data.ts: the most ids one `marquez.nodes` request may name. */
const MAX_NODE_DATA_IDS = 10_000;

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const time = (value: string | null | undefined) => (value ? Date.parse(value) : 0);
/**
 * The Marquez-compatible reads, federated: each read goes to every shard as its typed message (libs/federation
 * shard-reads.contract.ts), answers are merged by name, and `complete`/`missingDomains` say which shards did not
 * answer. Parameters are checked with the shards' own helpers (libs/model queryParams), so what a shard refuses
 * the gateway refuses before asking. A shard that still refuses the request (a 4xx code other than not-found)
 * makes the answer that error, passed through; `complete: true` only when every shard answered the same
 * question successfully. A record no shard holds is a 404. Lineage and column lineage are stitched with the
 * federated traversal instead.
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
    const fanned = await this.fanOut(P.namespaces, {});
    const merged = new Map<string, any>();
    for (const answer of this.ok(fanned)) {
      for (const ns of (answer.body.namespaces ?? []) as any[]) {
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

  datasets(namespace: string, q: Query) {
    return this.list(P.datasets, { namespace }, 'datasets', q);
  }

  jobs(namespace: string, q: Query) {
    return this.list(P.jobs, { namespace }, 'jobs', q);
  }

  async dataset(namespace: string, name: string) {
    const c = canonicalDataset(namespace, name);
    // A consumer's shard holds its inputs too (no facets of theirs): the owning domain's copy is the dataset.
    const owner = this.config.namespaceDomains.length ? domainForNamespace(this.config.namespaceDomains, c.namespace) : undefined;
    return this.one(P.dataset, { namespace: c.namespace, name: c.name }, `dataset "${c.namespace}:${c.name}"`, owner);
  }

  async job(namespace: string, name: string) {
    return this.one(P.job, { namespace, name }, `job "${namespace}:${name}"`);
  }

  async runs(namespace: string, job: string, q: Query) {
    return this.list(P.runs, { namespace, name: job }, 'runs', q, (r) => r.id);
  }

  async run(runId: string) {
    return this.one(P.run, { runId }, `run "${runId}"`);
  }

  async namespace(namespace: string) {
    return this.one(P.namespace, { namespace }, `namespace "${namespace}"`);
  }

  async datasetVersions(namespace: string, name: string, q: Query) {
    const c = canonicalDataset(namespace, name);
    return this.list(P.datasetVersions, { namespace: c.namespace, name: c.name }, 'versions', q, (v) => `${v.version}`);
  }

  /** GET /api/v1/events/lineage: every shard's raw events, newest first (or oldest with sortDirection=asc). */
  async events(q: Query) {
    const { limit, offset } = qp.page(q);
    const before = qp.optionalString(q, 'before');
    const after = qp.optionalString(q, 'after');
    if (before !== undefined) qp.parseTime(before, 'before');
    if (after !== undefined) qp.parseTime(after, 'after');
    const sortDirection = qp.oneOf(q, 'sortDirection', ['asc', 'desc'] as const, 'desc');
    const request: ShardRequest<typeof P.events> = { limit: offset + limit, offset: 0, sortDirection };
    if (before !== undefined) request.before = before;
    if (after !== undefined) request.after = after;
    const fanned = await this.fanOut(P.events, request);
    const asc = sortDirection === 'asc';
    const events = this.ok(fanned)
      .flatMap((a) => (a.body.events ?? []) as Array<{ eventTime?: string }>)
      .sort((a, b) => (asc ? time(a.eventTime) - time(b.eventTime) : time(b.eventTime) - time(a.eventTime)));
    const totalCount = this.ok(fanned).reduce((sum, a) => sum + (a.body.totalCount ?? 0), 0);
    return { events: events.slice(offset, offset + limit), totalCount, ...this.completeness(fanned) };
  }

  async search(q: Query) {
    const text = qp.requiredString(q, 'q');
    const limit = qp.integer(q, 'limit', 10, 1, 1000);
    const filter = qp.optionalString(q, 'filter') === undefined ? undefined : qp.oneOf(q, 'filter', ['DATASET', 'JOB'] as const, 'DATASET');
    const sort = qp.oneOf(q, 'sort', ['NAME', 'UPDATE_AT', 'UPDATED_AT'] as const, 'NAME');
    const namespace = qp.optionalString(q, 'namespace');
    const request: ShardRequest<typeof P.search> = { q: text, limit, sort: sort as 'NAME' };
    if (filter) request.filter = filter;
    if (namespace !== undefined) request.namespace = namespace;
    const fanned = await this.fanOut(P.search, request);
    const merged = new Map<string, any>();
    for (const answer of this.ok(fanned)) {
      for (const hit of (answer.body.results ?? []) as any[]) {
        const key = hit.nodeId ?? `${hit.type}:${hit.namespace}:${hit.name}`;
        const known = merged.get(key);
        if (!known) merged.set(key, { ...hit, domains: [answer.domain] });
        else known.domains.push(answer.domain);
      }
    }
    const results = [...merged.values()]
      .sort((a, b) => (sort === 'NAME' ? byName(a, b) : time(b.updatedAt) - time(a.updatedAt) || byName(a, b)))
      .slice(0, limit);
    return { totalCount: results.length, results, ...this.completeness(fanned) };
  }

  /** GET /api/v1/lineage: Marquez's lineage graph (upstream and downstream), stitched across shards. */
  async lineage(q: Query) {
    const nodeId = parseNodeIdParam(qp.optionalString(q, 'nodeId'));
    const depth = qp.integer(q, 'depth', 20, 0, 100);
    const maxNodes = qp.integer(q, 'maxNodes', this.config.maxNodes, 1, this.config.maxNodes);
    const direction = qp.oneOf(q, 'direction', ['both', 'upstream', 'downstream'] as const, 'both');
    const withDownstream = qp.boolean(q, 'withDownstream', true);
    const asOf = parseAsOf(qp.optionalString(q, 'asOf'));
    return this.graph([nodeId], { depth, maxNodes, asOf, upstream: direction !== 'downstream', downstream: direction !== 'upstream' && withDownstream });
  }

  /** GET /api/v1/column-lineage: column lineage of a field (or of every field of a dataset). */
  async columnLineage(q: Query) {
    const nodeId = parseNodeIdParam(qp.optionalString(q, 'nodeId'));
    const depth = qp.integer(q, 'depth', 20, 0, 100);
    const maxNodes = qp.integer(q, 'maxNodes', this.config.maxNodes, 1, this.config.maxNodes);
    const withDownstream = qp.boolean(q, 'withDownstream', false);
    const asOf = parseAsOf(qp.optionalString(q, 'asOf'));
    const filter = qp.optionalString(q, 'transformations');
    const transformations = filter === undefined ? undefined : parseTransformationFilter(filter);
    let seeds: NodeId[];
    const parsed = parseNodeId(nodeId);
    if (parsed.kind === 'datasetField') seeds = [nodeId];
    else if (parsed.kind === 'dataset') {
      const ds: any = await this.dataset(parsed.namespace, parsed.name);
      seeds = (ds.fields ?? []).map((f: { name: string }) => datasetFieldId(parsed.namespace, parsed.name, f.name));
      if (seeds.length === 0) return { graph: [], complete: ds.complete ?? true, missingDomains: ds.missingDomains ?? [] };
    } else throw invalidArgument('nodeId', 'column lineage takes a dataset or datasetField id');
    return this.graph(seeds, { depth, maxNodes, asOf, transformations: transformations?.length ? transformations : undefined, upstream: true, downstream: withDownstream });
  }

  private async graph(seeds: NodeId[], options: GraphOptions) {
    const base = { seeds, depth: options.depth, maxNodes: options.maxNodes, asOf: options.asOf, transformations: options.transformations };
    const runs = await Promise.all([
      ...(options.upstream ? [this.impact.traverse({ ...base, direction: 'upstream' }, 'lineage')] : []),
      ...(options.downstream ? [this.impact.traverse({ ...base, direction: 'downstream' }, 'lineage')] : []),
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
            const answer = await this.clients.call(domain, P.nodes, request, this.config.shardTimeoutMs);
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

  private async list<M extends ListMessage>(pattern: M, request: ShardRequest<M>, key: ListKey, q: Query, id: (item: any) => string = (i) => i.name) {
    const { limit, offset } = qp.page(q);
    // Each shard gives its first offset+limit items; merging them and cutting the page is exact.
    const fanned = await this.fanOut(pattern, { ...request, limit: offset + limit, offset: 0 } as ShardRequest<M>);
    const answers = this.ok(fanned).map((a) => ({ domain: a.domain, items: ((a.body as any)[key] ?? []) as any[], total: (a.body as { totalCount?: number }).totalCount ?? 0 }));
    const merged = new Map<string, any>();
    for (const answer of answers) {
      for (const item of answer.items) {
        const known = merged.get(id(item));
        if (!known) merged.set(id(item), { ...item, domains: [answer.domain] });
        else {
          const domains = [...known.domains, answer.domain];
          merged.set(id(item), time(item.updatedAt) > time(known.updatedAt) ? { ...item, domains } : { ...known, domains });
        }
      }
    }
    const items = [...merged.values()].sort((a, b) => (key === 'runs' || key === 'versions' ? time(b.createdAt) - time(a.createdAt) : byName(a, b)));
    const totalCount = answers.reduce((sum, a) => sum + a.total, 0) - (answers.reduce((n, a) => n + a.items.length, 0) - merged.size);
    return { totalCount, [key]: items.slice(offset, offset + limit), ...this.completeness(fanned) };
  }

  /** The owner's answer (when known), else the most recently updated one, with every holding domain. */
  private async one<M extends ShardMessageName>(pattern: M, request: ShardRequest<M>, what: string, owner?: string) {
    const fanned = await this.fanOut(pattern, request);
    const found = this.ok(fanned).sort((a, b) => Number(b.domain === owner) - Number(a.domain === owner) || time((b.body as any)?.updatedAt) - time((a.body as any)?.updatedAt));
    if (found.length === 0) {
      const refusal = fanned.refusals.find((r) => r.code !== 'not-found');
      if (refusal) throw refusal;
      if (!fanned.complete) throw new DomainError('unavailable', `${what} not found in the shards that answered; missing: ${fanned.missingDomains.join(', ')}`);
      throw notFound(what);
    }
    return { ...(found[0].body as object), domains: found.map((a) => a.domain).sort(), ...this.completeness(fanned) };
  }

  /** The answers; a shard that refused the request itself (a bad parameter, a 4xx) makes the answer that refusal. */
  private ok<T>(fanned: Fanned<T>): Array<Answer<T>> {
    const refusal = fanned.refusals.find((r) => r.code !== 'not-found');
    if (refusal) throw refusal;
    return fanned.answers;
  }

  /** Complete only when every shard answered (a not-found is an answer: "not here"). */
  private completeness(fanned: Fanned<unknown>) {
    return { complete: fanned.complete, missingDomains: fanned.missingDomains };
  }

  /** Sends one read to every shard, each with its own deadline; the slow ones are named, not waited for. */
  private async fanOut<M extends ShardMessageName>(pattern: M, request: ShardRequest<M>): Promise<Fanned<ShardResponse<M>>> {
    const missing: string[] = [];
    const refusals: ShardRefusedError[] = [];
    const timeoutMs = Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
    const answers = await Promise.all(
      this.registry.list().map(async (shard): Promise<Answer<ShardResponse<M>> | null> => {
        try {
          return { domain: shard.domain, body: await this.clients.call(shard.domain, pattern, request, timeoutMs) };
        } catch (error) {
          if (error instanceof ShardRefusedError && !UNANSWERED.has(error.code)) refusals.push(error);
          else missing.push(shard.domain);
          return null;
        }
      }),
    );
    return { answers: answers.filter((a): a is Answer<ShardResponse<M>> => a !== null), refusals, complete: missing.length === 0, missingDomains: missing.sort() };
  }
}

/** A shard that answers with one of these did not answer the question: it is missing, not refusing. */
const UNANSWERED = new Set(['internal', 'unavailable', 'timeout']);

interface GraphOptions {
  depth: number;
  maxNodes: number;
  asOf?: number;
  transformations?: string[];
  upstream: boolean;
  downstream: boolean;
}

type ListMessage = typeof P.datasets | typeof P.jobs | typeof P.runs | typeof P.datasetVersions;
type ListKey = 'datasets' | 'jobs' | 'runs' | 'versions';
