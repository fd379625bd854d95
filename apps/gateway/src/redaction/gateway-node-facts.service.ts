import { Inject, Injectable } from '@nestjs/common';
import { mergeNodeFacts, type NodeFacts, type NodeFactsSource } from '@lineage-hub/auth';
import { ClassificationCache, ClassificationRpcPatterns, domainForNamespace } from '@lineage-hub/federation';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';

/**
 * The gateway's redaction facts: the shards are asked (`classification.of`) which of the nodes they hold and which
 * are restricted by their tags, through a cache (CLASSIFICATION_CACHE_MS, and each shard's graph version as the
 * registry last saw it: an impact answer, or the version probe every FILTER_REFRESH_MS), so repeated reads of the
 * same nodes ask nothing. The rule is libs/auth mergeNodeFacts; it fails closed when a shard does not answer.
 */
@Injectable()
export class GatewayNodeFacts implements NodeFactsSource {
  private readonly cache: ClassificationCache;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
  ) {
    this.cache = new ClassificationCache({ ttlMs: config.auth.classificationCacheMs });
  }

  async factsOf(ids: string[]): Promise<Map<string, NodeFacts>> {
    const asked = ids.filter((id) => id.startsWith('dataset:') || id.startsWith('job:'));
    const timeoutMs = Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
    const { answers, missing } = await this.cache.classify(
      this.registry.list().map((s) => s.domain),
      asked,
      (domain, unknown) => this.clients.call(domain, ClassificationRpcPatterns.of, { ids: unknown }, timeoutMs),
      (domain) => this.registry.get(domain)?.version ?? null,
    );
    return mergeNodeFacts(asked, answers, missing.length > 0, (ns) => domainForNamespace(this.config.namespaceDomains, ns));
  }
}
