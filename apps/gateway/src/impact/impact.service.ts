import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  domainForNamespace,
  FederatedTraversal,
  ShardRpcPatterns,
  type ExpandRequest,
  type FederatedPage,
  type FederatedQuery,
  type FederatedResult,
  type FederatedStats,
} from '@lineage-hub/federation';
import { notFound, parseNodeId, type NodeId } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { GatewayMetricsService } from '../shards/gateway-metrics.service';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';
import { ImpactCache } from './impact-cache';
import { ImpactWalks } from './impact-walks';
import { encodeCursor, parseImpactQuery } from './impact-query';
import { edgesToPage } from './page-edges';

export interface DomainSummary {
  datasets: number;
  jobs: number;
  fields: number;
  total: number;
}

/** Federated traversals with a version-checked cache; the impact API's logic. */
@Injectable()
export class ImpactService {
  private readonly logger = new Logger(ImpactService.name);
  private readonly cache: ImpactCache;
  private readonly walks = new ImpactWalks();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
    private readonly metrics: GatewayMetricsService,
  ) {
    this.cache = new ImpactCache(config.cacheMaxEntries);
  }

  /**
   * GET /api/v1/impact. A page is served as soon as its nodes' distances are final (the traversal walks in depth
   * legs, libs/federation FederatedTraversal); its cursor continues the same traversal. `totalNodes` and `summary`
   * describe the whole answer, so they are null on a page served while the traversal still runs.
   */
  async impact(params: Record<string, string | undefined>) {
    const started = Date.now();
    const q = parseImpactQuery(params);
    const query: FederatedQuery = { seeds: [q.nodeId], direction: q.direction, depth: q.depth, maxNodes: this.config.maxNodes, asOf: q.asOf, transformations: q.transformations };
    const key = cacheKey(query);
    const hit = await this.cachedResult(key, 'impact', started);
    let page: FederatedPage;
    let whole: FederatedResult | null = hit ?? null;
    let walkId: string | undefined;
    let stats: FederatedStats;
    if (hit) {
      page = pageOfResult(hit, q.offset, q.limit, q.direction);
      stats = hit.stats;
    } else {
      let walk = this.walks.get(q.walk, key);
      walkId = walk ? q.walk : undefined;
      walk ??= this.start(query, key, 'impact', q.offset + q.limit);
      walkId ??= this.walks.add(key, walk);
      await walk.ready(q.offset + q.limit);
      page = walk.page(q.offset, q.limit);
      stats = walk.stats;
      if (walk.done) whole = await walk.result();
    }
    if (whole && whole.complete && whole.nodes.length === 0) throw notFound(`node "${q.nodeId}" in any shard`);
    return {
      nodeId: q.nodeId,
      direction: q.direction,
      depth: q.depth,
      asOf: q.asOf === undefined ? null : new Date(q.asOf).toISOString(),
      nodes: page.nodes.map((n) => ({ id: n.id, type: n.type, domain: n.domain, domains: n.domains, distance: n.distance })),
      edges: page.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, ...(e.job ? { job: e.job } : {}), ...(e.transformations ? { transformations: e.transformations } : {}), provenance: e.provenance ?? 'declared', domain: e.domain })),
      complete: page.complete,
      missingDomains: page.missingDomains,
      truncated: page.truncated,
      nextCursor: page.more ? encodeCursor(q.offset + q.limit, walkId) : null,
      totalNodes: whole ? whole.nodes.length : null,
      summary: whole ? { byDomain: summaryByDomain(whole) } : null,
      stats: { roundTrips: stats.roundTrips, messages: stats.messages, legs: stats.legs, domainsQueried: stats.domainsQueried, cached: hit !== undefined, final: whole !== null, ms: Date.now() - started },
    };
  }

  /** The domain NAMESPACE_DOMAINS gives a node's namespace, if any. */
  private configuredOwner(id: NodeId): string | undefined {
    if (this.config.namespaceDomains.length === 0) return undefined;
    const parsed = parseNodeId(id);
    return parsed.kind === 'run' ? undefined : domainForNamespace(this.config.namespaceDomains, parsed.namespace);
  }

  /** One federated traversal, served from the cache when no shard's graph changed since. */
  async traverse(query: FederatedQuery, kind: string): Promise<{ result: FederatedResult; cached: boolean; ms: number }> {
    const started = Date.now();
    const key = cacheKey(query);
    const hit = await this.cachedResult(key, kind, started);
    if (hit) return { result: hit, cached: true, ms: Date.now() - started };
    const result = await this.start(query, key, kind).result();
    return { result, cached: false, ms: Date.now() - started };
  }

  /** The cached answer of `key`, when a version probe shows no shard moved on since it was computed. */
  private async cachedResult(key: string, kind: string, started: number): Promise<FederatedResult | undefined> {
    const entry = this.config.cacheMaxEntries > 0 ? this.cache.get(key) : undefined;
    if (!entry) return undefined;
    const probed = await this.registry.probeVersions(this.config.shardTimeoutMs);
    if (ImpactCache.isCurrent(entry, this.registry.generation, probed)) {
      this.metrics.cache.inc({ result: 'hit' });
      this.metrics.queryDuration.observe({ query: kind, cache: 'hit' }, (Date.now() - started) / 1000);
      return entry.result;
    }
    this.cache.delete(key);
    // Filters of shards that moved on are fetched before the answer is recomputed.
    await Promise.all(
      Object.entries(probed)
        .filter(([domain, version]) => version !== null && this.registry.get(domain)?.filterVersion !== version)
        .map(([domain]) => this.registry.ensureFresh(domain)),
    );
    return undefined;
  }

  /** Starts a traversal (paged early when `firstPage` is given); when it ends: metrics, and the cache if complete. */
  private start(query: FederatedQuery, key: string, kind: string, firstPage?: number): FederatedTraversal {
    const started = Date.now();
    this.metrics.cache.inc({ result: 'miss' });
    const generation = this.registry.generation;
    const walk = new FederatedTraversal(
      query,
      this.registry.federation(),
      {
        expand: async (domain: string, request: ExpandRequest, timeoutMs: number) => {
          const response = await this.clients.call(domain, ShardRpcPatterns.expand, request, timeoutMs);
          this.registry.sawVersion(domain, response.version);
          return response;
        },
      },
      { shardTimeoutMs: this.config.shardTimeoutMs, budgetMs: this.config.queryBudgetMs },
      { ownerOf: (id) => this.configuredOwner(id), aliases: this.registry.aliases() },
      firstPage,
    );
    walk.result().then(
      (result) => this.finished(query, key, kind, result, generation, Date.now() - started),
      (error) => this.logger.error({ msg: 'federated traversal failed', kind, seeds: query.seeds, error: String(error) }),
    );
    return walk;
  }

  private finished(query: FederatedQuery, key: string, kind: string, result: FederatedResult, generation: number, ms: number): void {
    this.metrics.queryDuration.observe({ query: kind, cache: 'miss' }, ms / 1000);
    this.metrics.fanOut.observe({ query: kind }, result.stats.messages);
    this.metrics.roundTrips.observe({ query: kind }, result.stats.roundTrips);
    this.metrics.recordFilterOutcome(result.stats.seedsRouted, result.stats.falsePositives, result.stats.filterNegatives);
    for (const domain of result.missingDomains) this.metrics.partialAnswers.inc({ domain });
    if (!result.complete) {
      this.logger.warn({ msg: 'partial answer', kind, seeds: query.seeds, missingDomains: result.missingDomains });
    } else if (this.config.cacheMaxEntries > 0) {
      const versions: Record<string, number | null> = {};
      for (const shard of this.registry.list()) versions[shard.domain] = result.stats.versions[shard.domain] ?? shard.version;
      this.cache.set(key, { result, versions, generation, computedAt: Date.now() });
    }
  }
}

const cacheKey = (query: FederatedQuery): string =>
  JSON.stringify([query.seeds, query.direction, query.depth, query.maxNodes, query.asOf ?? null, query.transformations ?? []]);

/** Counts of the answer's nodes (the query node left out) by owning domain. */
const summaryByDomain = (result: FederatedResult): Record<string, DomainSummary> => {
  const byDomain: Record<string, DomainSummary> = {};
  for (const node of result.nodes) {
    if (node.distance === 0) continue; // the query node itself
    const s = (byDomain[node.domain] ??= { datasets: 0, jobs: 0, fields: 0, total: 0 });
    if (node.type === 'JOB') s.jobs++;
    else if (node.type === 'DATASET_FIELD') s.fields++;
    else s.datasets++;
    s.total++;
  }
  return byDomain;
};

/** A page of a whole (cached) answer, with the same edges as a running one gives: those on the paths to its nodes. */
const pageOfResult = (result: FederatedResult, offset: number, limit: number, direction: FederatedQuery['direction']): FederatedPage => {
  const end = Math.min(result.nodes.length, offset + limit);
  const edges = edgesToPage(result.edges, new Set(result.nodes.slice(offset, end).map((n) => n.id)), direction, new Set(result.nodes.slice(0, offset).map((n) => n.id)));
  return { nodes: result.nodes.slice(offset, end), edges, complete: result.complete, missingDomains: result.missingDomains, truncated: result.truncated, totalNodes: result.nodes.length, more: end < result.nodes.length };
};
