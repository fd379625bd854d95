import { Inject, Injectable } from '@nestjs/common';
import { domainForNamespace, type ShardRequest, ShardRpcPatterns as P } from '@lineage-hub/federation';
import { canonicalDataset, datasetFieldId, invalidArgument, parseNodeId, parseTransformationFilter, queryParams as qp, type NodeId } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardFanOut } from './shard-fan-out.service';
import { MarquezMergedReads, type Query } from './marquez-merged-reads.service';
import { MarquezLineageGraph } from './marquez-lineage-graph.service';
import { byName, timeOf } from './marquez-record-order';
import { parseAsOf, parseNodeIdParam } from '../impact/impact-query';

/**
 * The Marquez-compatible reads, federated: each read goes to every shard as its typed message (libs/federation
 * shard-reads.contract.ts), answers are merged by name, and `complete`/`missingDomains` say which shards did not
 * answer. Parameters are checked with the shards' own helpers (libs/model queryParams), so what a shard refuses
 * the gateway refuses before asking. A shard that still refuses the request (a 4xx code other than not-found)
 * makes the answer that error, passed through; `complete: true` only when every shard answered the same
 * question successfully. A record no shard holds is a 404. Lineage and column lineage are stitched with the
 * federated traversal instead (marquez-lineage-graph.service.ts); lists and single records are merged by
 * marquez-merged-reads.service.ts.
 */
@Injectable()
export class MarquezFederationService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly fan: ShardFanOut,
    private readonly reads: MarquezMergedReads,
    private readonly lineageGraph: MarquezLineageGraph,
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
          if (timeOf(ns.updatedAt) > timeOf(known.updatedAt)) known.updatedAt = ns.updatedAt;
          if (timeOf(ns.createdAt) < timeOf(known.createdAt)) known.createdAt = ns.createdAt;
        }
      }
    }
    return { namespaces: [...merged.values()].sort(byName), ...this.fan.completeness(fanned) };
  }

  datasets(namespace: string, q: Query) {
    const canonical = canonicalDataset(namespace, 'x').namespace;
    return this.reads.list(P.datasets, { namespace }, 'datasets', q, { owner: this.owner(canonical) });
  }

  jobs(namespace: string, q: Query) {
    return this.reads.list(P.jobs, { namespace }, 'jobs', q);
  }

  async dataset(namespace: string, name: string) {
    const c = canonicalDataset(namespace, name);
    // A consumer's shard holds its inputs too (no facets of theirs): the owning domain's copy is the dataset.
    const owner = this.owner(c.namespace);
    return this.reads.one(P.dataset, { namespace: c.namespace, name: c.name }, `dataset "${c.namespace}:${c.name}"`, owner);
  }

  async job(namespace: string, name: string) {
    return this.reads.one(P.job, { namespace, name }, `job "${namespace}:${name}"`);
  }

  async runs(namespace: string, job: string, q: Query) {
    return this.reads.list(P.runs, { namespace, name: job }, 'runs', q, { id: (r) => r.id });
  }

  async run(runId: string) {
    return this.reads.one(P.run, { runId }, `run "${runId}"`);
  }

  async namespace(namespace: string) {
    return this.reads.one(P.namespace, { namespace }, `namespace "${namespace}"`);
  }

  async datasetVersions(namespace: string, name: string, q: Query) {
    const c = canonicalDataset(namespace, name);
    // the owning domain's versions are the dataset's (a consumer's shard only knows the schemas it read)
    return this.reads.list(P.datasetVersions, { namespace: c.namespace, name: c.name }, 'versions', q, { id: (v) => `${v.version}`, owner: this.owner(c.namespace), ownerOnly: true });
  }

  /** GET /api/v1/jobs: jobs of every namespace (by namespace, then name), optionally by their latest run's state. */
  allJobs(q: Query) {
    const raw = q.runStates;
    const values = raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
    const runStates = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const request: ShardRequest<typeof P.allJobs> = runStates.length ? { runStates } : {};
    const rest = { ...q };
    delete rest.runStates;
    return this.reads.list(P.allJobs, request, 'jobs', rest, {
      id: (j) => `${j.namespace}\u0000${j.name}`,
      order: (a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : byName(a, b)),
    });
  }

  /** GET /api/v1/jobs/runs/{id}/facets?type=run|job: from the shard holding the run. */
  async runFacets(runId: string, q: Query) {
    const type = qp.oneOf(q, 'type', ['run', 'job'] as const, 'run');
    return this.reads.one(P.runFacets, { runId, type }, `run "${runId}"`);
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
      .sort((a, b) => (asc ? timeOf(a.eventTime) - timeOf(b.eventTime) : timeOf(b.eventTime) - timeOf(a.eventTime)));
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
      .sort((a, b) => (sort === 'NAME' ? byName(a, b) : timeOf(b.updatedAt) - timeOf(a.updatedAt) || byName(a, b)))
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
    return this.lineageGraph.graph([nodeId], { depth, maxNodes, asOf, upstream: direction !== 'downstream', downstream: direction !== 'upstream' && withDownstream });
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
    return this.lineageGraph.graph(seeds, { depth, maxNodes, asOf, transformations: transformations?.length ? transformations : undefined, upstream: true, downstream: withDownstream });
  }
}
