import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  domainForNamespace,
  federatedTraversal,
  ShardRpcPatterns,
  type ExpandRequest,
  type FederatedQuery,
  type FederatedResult,
} from '@lineage-hub/federation';
import { notFound, parseNodeId, type NodeId } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { GatewayMetricsService } from '../shards/gateway-metrics.service';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';
import { ImpactCache } from './impact-cache';
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

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
    private readonly metrics: GatewayMetricsService,
  ) {
    this.cache = new ImpactCache(config.cacheMaxEntries);
  }

  /** GET /api/v1/impact */
  async impact(params: Record<string, string | undefined>) {
    const q = parseImpactQuery(params);
    const { result, cached, ms } = await this.traverse(
      { seeds: [q.nodeId], direction: q.direction, depth: q.depth, maxNodes: this.config.maxNodes, asOf: q.asOf, transformations: q.transformations },
      'impact',
    );
    if (result.complete && result.nodes.length === 0) throw notFound(`node "${q.nodeId}" in any shard`);
    const page = result.nodes.slice(q.offset, q.offset + q.limit);
    const onPage = new Set<string>(page.map((n) => n.id));
    const byDomain: Record<string, DomainSummary> = {};
    for (const node of result.nodes) {
      if (node.distance === 0) continue; // the query node itself
      const s = (byDomain[node.domain] ??= { datasets: 0, jobs: 0, fields: 0, total: 0 });
      if (node.type === 'JOB') s.jobs++;
      else if (node.type === 'DATASET_FIELD') s.fields++;
      else s.datasets++;
      s.total++;
    }
    const next = q.offset + q.limit;
    return {
      nodeId: q.nodeId,
      direction: q.direction,
      depth: q.depth,
      asOf: q.asOf === undefined ? null : new Date(q.asOf).toISOString(),
      nodes: page.map((n) => ({ id: n.id, type: n.type, domain: n.domain, domains: n.domains, distance: n.distance })),
      edges: edgesToPage(result.edges, onPage, q.direction)
        .map((e) => ({ from: e.from, to: e.to, kind: e.kind, ...(e.job ? { job: e.job } : {}), ...(e.transformations ? { transformations: e.transformations } : {}), domain: e.domain })),
      complete: result.complete,
      missingDomains: result.missingDomains,
      truncated: result.truncated,
      nextCursor: next < result.nodes.length ? encodeCursor(next) : null,
      totalNodes: result.nodes.length,
      summary: { byDomain },
      stats: { roundTrips: result.stats.roundTrips, messages: result.stats.messages, domainsQueried: result.stats.domainsQueried, cached, ms },
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
    const key = JSON.stringify([query.seeds, query.direction, query.depth, query.maxNodes, query.asOf ?? null, query.transformations ?? []]);
    const entry = this.config.cacheMaxEntries > 0 ? this.cache.get(key) : undefined;
    if (entry) {
      const probed = await this.registry.probeVersions(this.config.shardTimeoutMs);
      if (ImpactCache.isCurrent(entry, this.registry.generation, probed)) {
        this.metrics.cache.inc({ result: 'hit' });
        const ms = Date.now() - started;
        this.metrics.queryDuration.observe({ query: kind, cache: 'hit' }, ms / 1000);
        return { result: entry.result, cached: true, ms };
      }
      this.cache.delete(key);
      // Filters of shards that moved on are fetched before the answer is recomputed.
      await Promise.all(
        Object.entries(probed)
          .filter(([domain, version]) => version !== null && this.registry.get(domain)?.filterVersion !== version)
          .map(([domain]) => this.registry.ensureFresh(domain)),
      );
    }
    this.metrics.cache.inc({ result: 'miss' });
    const generation = this.registry.generation;
    const shards = this.registry.federation();
    const result = await federatedTraversal(
      query,
      shards,
      {
        expand: async (domain: string, request: ExpandRequest, timeoutMs: number) => {
          const response = await this.clients.call(domain, ShardRpcPatterns.expand, request, timeoutMs);
          this.registry.sawVersion(domain, response.version);
          return response;
        },
      },
      { shardTimeoutMs: this.config.shardTimeoutMs, budgetMs: this.config.queryBudgetMs },
      { ownerOf: (id) => this.configuredOwner(id) },
    );
    const ms = Date.now() - started;
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
    return { result, cached: false, ms };
  }
}
