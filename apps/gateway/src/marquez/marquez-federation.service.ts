import { Inject, Injectable } from '@nestjs/common';
import {
  domainForNamespace,
  type NodesRequest,
  type ShardMessageName,
  type ShardRequest,
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
import { ShardFanOut } from './shard-fan-out.service';
import { OwnerInputVersions } from './owner-input-versions.service';
import { parseAsOf, parseNodeIdParam } from '../impact/impact-query';

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
    private readonly fan: ShardFanOut,
    private readonly inputVersions: OwnerInputVersions,
  ) {}

  async namespaces() {
    const fanned = await this.fan.ask(P.namespaces, {});
    const merged = new Map<string, any>();
    for (const answer of this.fan.ok(fanned)) {
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
    return { namespaces: [...merged.values()].sort(byName), ...this.fan.completeness(fanned) };
  }

  datasets(namespace: string, q: Query) {
    const canonical = canonicalDataset(namespace, 'x').namespace;
    return this.list(P.datasets, { namespace }, 'datasets', q, { owner: this.owner(canonical) });
  }

  jobs(namespace: string, q: Query) {
    return this.list(P.jobs, { namespace }, 'jobs', q);
  }

  async dataset(namespace: string, name: string) {
    const c = canonicalDataset(namespace, name);
    // A consumer's shard holds its inputs too (no facets of theirs): the owning domain's copy is the dataset.
    const owner = this.owner(c.namespace);
    return this.one(P.dataset, { namespace: c.namespace, name: c.name }, `dataset "${c.namespace}:${c.name}"`, owner);
  }

  async job(namespace: string, name: string) {
    return this.one(P.job, { namespace, name }, `job "${namespace}:${name}"`);
  }

  async runs(namespace: string, job: string, q: Query) {
    return this.list(P.runs, { namespace, name: job }, 'runs', q, { id: (r) => r.id });
  }

  async run(runId: string) {
    return this.one(P.run, { runId }, `run "${runId}"`);
  }

  async namespace(namespace: string) {
    return this.one(P.namespace, { namespace }, `namespace "${namespace}"`);
  }

  async datasetVersions(namespace: string, name: string, q: Query) {
    const c = canonicalDataset(namespace, name);
    // the owning domain's versions are the dataset's (a consumer's shard only knows the schemas it read)
    return this.list(P.datasetVersions, { namespace: c.namespace, name: c.name }, 'versions', q, { id: (v) => `${v.version}`, owner: this.owner(c.namespace), ownerOnly: true });
  }

  /** GET /api/v1/jobs: jobs of every namespace (by namespace, then name), optionally by their latest run's state. */
  allJobs(q: Query) {
    const raw = q.runStates;
    const values = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
    const runStates = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const request: ShardRequest<typeof P.allJobs> = runStates.length ? { runStates } : {};
    const rest = { ...q };
    delete rest.runStates;
    return this.list(P.allJobs, request, 'jobs', rest, {
      id: (j) => `${j.namespace}\u0000${j.name}`,
      order: (a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : byName(a, b)),
    });
  }

  /** GET /api/v1/jobs/runs/{id}/facets?type=run|job: from the shard holding the run. */
  async runFacets(runId: string, q: Query) {
    const type = qp.oneOf(q, 'type', ['run', 'job'] as const, 'run');
    return this.one(P.runFacets, { runId, type }, `run "${runId}"`);
  }

  /** The domain NAMESPACE_DOMAINS gives a namespace, if any. */
  private owner(namespace: string): string | undefined {
    return this.config.namespaceDomains.length ? domainForNamespace(this.config.namespaceDomains, namespace) : undefined;
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
    const fanned = await this.fan.ask(P.events, request);
    const asc = sortDirection === 'asc';
    const events = this.fan.ok(fanned)
      .flatMap((a) => (a.body.events ?? []) as Array<{ eventTime?: string }>)
      .sort((a, b) => (asc ? time(a.eventTime) - time(b.eventTime) : time(b.eventTime) - time(a.eventTime)));
    const totalCount = this.fan.ok(fanned).reduce((sum, a) => sum + (a.body.totalCount ?? 0), 0);
    return { events: events.slice(offset, offset + limit), totalCount, ...this.fan.completeness(fanned) };
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
    let fanned = await this.fan.ask(P.search, request);
    // a hit several shards hold counts once: when a shard found more than it sent, fetch all it found (up to the cap)
    const biggest = Math.max(0, ...this.fan.ok(fanned).map((a) => a.body.totalCount ?? 0));
    if (fanned.answers.length > 1 && fanned.answers.some((a) => (a.body.results ?? []).length < (a.body.totalCount ?? 0)) && biggest <= 1000) {
      fanned = await this.fan.ask(P.search, { ...request, limit: biggest });
    }
    const merged = new Map<string, any>();
    let sent = 0;
    let total = 0;
    for (const answer of this.fan.ok(fanned)) {
      sent += (answer.body.results ?? []).length;
      total += answer.body.totalCount ?? 0;
      for (const hit of (answer.body.results ?? []) as any[]) {
        const key = hit.nodeId ?? `${hit.type}:${hit.namespace}:${hit.name}`;
        const known = merged.get(key);
        // the owning domain's hit (its updatedAt is the dataset's as the gateway answers it) wins
        if (!known) merged.set(key, { ...hit, domains: [answer.domain] });
        else if (this.owner(hit.namespace) === answer.domain) merged.set(key, { ...hit, domains: [...known.domains, answer.domain] });
        else known.domains.push(answer.domain);
      }
    }
    const results = [...merged.values()]
      .sort((a, b) => (sort === 'NAME' ? byName(a, b) : time(b.updatedAt) - time(a.updatedAt) || byName(a, b)))
      .slice(0, limit);
    return { totalCount: total - (sent - merged.size), results, ...this.fan.completeness(fanned) };
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
    data.unresolved.forEach((d) => missing.add(d));
    const byEdge = (a: any, b: any) => (a.origin + a.destination < b.origin + b.destination ? -1 : 1);
    return {
      graph: [...nodes.values()]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((n) => ({
          id: n.id,
          type: n.type,
          data: this.nodeData(n.id, [...n.domains].sort(), data.nodes.get(n.id)),
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
  private async ownersData(list: Array<{ id: string; owner: string }>): Promise<{ nodes: Map<string, Record<string, unknown>>; unresolved: string[] }> {
    const byOwner = new Map<string, NodeId[]>();
    for (const n of list) {
      let ids = byOwner.get(n.owner);
      if (!ids) byOwner.set(n.owner, (ids = []));
      ids.push(n.id as NodeId);
    }
    const out = new Map<string, Record<string, unknown>>();
    const answers: Array<{ domain: string; body: unknown }> = [];
    await Promise.all(
      [...byOwner].map(async ([domain, ids]) => {
        for (let i = 0; i < ids.length; i += MAX_NODE_DATA_IDS) {
          try {
            const request: NodesRequest = { ids: ids.slice(i, i + MAX_NODE_DATA_IDS) };
            const answer = await this.clients.call(domain, P.nodes, request, this.config.shardTimeoutMs);
            for (const [id, value] of Object.entries(answer?.nodes ?? {})) if (value && typeof value === 'object') out.set(id, value as Record<string, unknown>);
            answers.push({ domain, body: answer?.nodes });
          } catch {
            return; // the graph still answers, with the minimal data for this owner's nodes
          }
        }
      }),
    );
    // the latest runs of jobs: inputs another domain owns name the owner's version
    return { nodes: out, unresolved: await this.inputVersions.resolve(answers) };
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

  private async list<M extends ListMessage>(pattern: M, request: ShardRequest<M>, key: ListKey, q: Query, options: ListOptions = {}) {
    const id = options.id ?? ((i: any) => i.name);
    const { limit, offset } = qp.page(q);
    // Each shard gives its first offset+limit items; merging them and cutting the page is exact.
    let fanned = await this.fan.ask(pattern, { ...request, limit: offset + limit, offset: 0 } as ShardRequest<M>);
    const answersOf = (f: typeof fanned) =>
      this.fan.ok(f).map((a) => ({ domain: a.domain, items: ((a.body as any)[key] ?? []) as any[], total: (a.body as { totalCount?: number }).totalCount ?? 0 }));
    // the owning domain's list is the answer when asked for (another shard may hold the same record only as what it read)
    const ownerOnly = (list: ReturnType<typeof answersOf>) =>
      options.ownerOnly && options.owner !== undefined && list.some((a) => a.domain === options.owner) ? list.filter((a) => a.domain === options.owner) : list;
    let answers = ownerOnly(answersOf(fanned));
    // The same record on several shards counts once: when a shard holds more than it sent, fetch everything it holds
    // (up to the page cap) so totalCount does not depend on limit.
    const biggest = Math.max(0, ...answers.map((a) => a.total));
    if (answers.length > 1 && answers.some((a) => a.items.length < a.total) && biggest <= 10_000) {
      fanned = await this.fan.ask(pattern, { ...request, limit: biggest, offset: 0 } as ShardRequest<M>);
      answers = ownerOnly(answersOf(fanned));
    }
    // a run's inputs that another domain owns name the owner's version (before merging: each copy's domain matters)
    const unresolved = await this.inputVersions.resolve(answers.map((a) => ({ domain: a.domain, body: a.items })));
    const merged = new Map<string, any>();
    for (const answer of answers) {
      for (const item of answer.items) {
        const known = merged.get(id(item));
        if (!known) merged.set(id(item), { ...item, domains: [answer.domain] });
        else {
          const domains = [...known.domains, answer.domain];
          const owned = options.owner !== undefined && answer.domain === options.owner;
          const keep = options.owner !== undefined && known.domains.includes(options.owner);
          const takeNew = owned || (!keep && time(item.updatedAt) > time(known.updatedAt));
          merged.set(id(item), takeNew ? { ...item, domains } : { ...known, domains });
        }
      }
    }
    const order = options.order ?? (key === 'runs' || key === 'versions' ? (a: any, b: any) => time(b.createdAt) - time(a.createdAt) : byName);
    const items = [...merged.values()].sort(order);
    const totalCount = answers.reduce((sum, a) => sum + a.total, 0) - (answers.reduce((n, a) => n + a.items.length, 0) - merged.size);
    return { totalCount, [key]: items.slice(offset, offset + limit), ...withMissing(this.fan.completeness(fanned), unresolved) };
  }

  /** The owner's answer (when known), else the most recently updated one, with every holding domain. */
  private async one<M extends ShardMessageName>(pattern: M, request: ShardRequest<M>, what: string, owner?: string) {
    const fanned = await this.fan.ask(pattern, request);
    const found = this.fan.ok(fanned).sort((a, b) => Number(b.domain === owner) - Number(a.domain === owner) || time((b.body as any)?.updatedAt) - time((a.body as any)?.updatedAt));
    if (found.length === 0) {
      const refusal = fanned.refusals.find((r) => r.code !== 'not-found');
      if (refusal) throw refusal;
      if (!fanned.complete) throw new DomainError('unavailable', `${what} not found in the shards that answered; missing: ${fanned.missingDomains.join(', ')}`);
      throw notFound(what);
    }
    const unresolved = await this.inputVersions.resolve([found[0]]);
    return { ...(found[0].body as object), domains: found.map((a) => a.domain).sort(), ...withMissing(this.fan.completeness(fanned), unresolved) };
  }
}

/** Completeness with the domains that could not resolve a run's input versions added to the missing ones. */
const withMissing = (completeness: { complete: boolean; missingDomains: string[] }, more: string[]) => {
  if (more.length === 0) return completeness;
  const missingDomains = [...new Set([...completeness.missingDomains, ...more])].sort();
  return { complete: false, missingDomains };
};

interface GraphOptions {
  depth: number;
  maxNodes: number;
  asOf?: number;
  transformations?: string[];
  upstream: boolean;
  downstream: boolean;
}

type ListMessage = typeof P.datasets | typeof P.jobs | typeof P.allJobs | typeof P.runs | typeof P.datasetVersions;

interface ListOptions {
  /** The merge key of an item (default its name). */
  id?: (item: any) => string;
  order?: (a: any, b: any) => number;
  /** The domain whose copy wins when several shards hold the same item. */
  owner?: string;
  /** When the owner answered, its list is the answer (the others' copies are left out). */
  ownerOnly?: boolean;
}
type ListKey = 'datasets' | 'jobs' | 'runs' | 'versions';
