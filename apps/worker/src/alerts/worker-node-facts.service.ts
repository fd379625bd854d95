import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { mergeNodeFacts, type NodeFacts, type NodeFactsSource } from '@lineage-hub/auth';
import { ClassificationCache, ClassificationRpcPatterns, ShardClient } from '@lineage-hub/federation';
import { WORKER_CONFIG, type WorkerConfig } from '../worker.config';

const TIMEOUT_MS = 2000;

/** The worker's client for `classification.of`, carrying the service credential. */
class ClassificationClient extends ShardClient {
  constructor(serviceToken: string | null) {
    super();
    this.credential = serviceToken;
  }
}

/**
 * The redaction facts of the worker's own HTTP reads (alerts, silences): the shards (SHARDS) are asked which
 * of the nodes an answer names they hold and which are restricted, through a cache (CLASSIFICATION_CACHE_MS), and
 * merged by the rule the gateway and the shards use (libs/auth mergeNodeFacts). Fails closed: with no shard
 * listed, or one not answering, a node no answering shard holds counts as restricted.
 */
@Injectable()
export class WorkerNodeFacts implements NodeFactsSource, OnModuleDestroy {
  private readonly client: ClassificationClient;
  private readonly cache: ClassificationCache;

  constructor(@Inject(WORKER_CONFIG) private readonly config: WorkerConfig) {
    this.client = new ClassificationClient(config.auth.serviceToken);
    for (const shard of config.shards) this.client.bind(shard.domain, shard.host, shard.port);
    this.cache = new ClassificationCache({ ttlMs: config.auth.classificationCacheMs });
  }

  async factsOf(ids: string[]): Promise<Map<string, NodeFacts>> {
    const asked = ids.filter((id) => id.startsWith('dataset:') || id.startsWith('job:'));
    const domains = this.config.shards.map((s) => s.domain);
    const { answers, missing } = await this.cache.classify(domains, asked, (domain, unknown) => this.client.call(domain, ClassificationRpcPatterns.of, { ids: unknown }, TIMEOUT_MS));
    return mergeNodeFacts(asked, answers, missing.length > 0 || domains.length === 0, () => undefined);
  }

  onModuleDestroy(): void {
    this.client.close();
  }
}
