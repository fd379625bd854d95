import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { classifyDataset, mergeNodeFacts, REDACTION_SETTINGS, type NodeFacts, type NodeFactsSource, type RedactionSettings } from '@lineage-hub/auth';
import { ClassificationCache, ClassificationRpcPatterns, domainForNamespace, ShardClient, type ClassificationResponse } from '@lineage-hub/federation';
import { parseNodeId, type NodeId } from '@lineage-hub/model';
import type { LineageStore } from '@lineage-hub/store';
import { LineageGraphService } from '../graph/lineage-graph.service';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';

const MAX_IDS = 50_000;
const PEER_TIMEOUT_MS = 2000;

/** The shard's client to the other shards (SHARDS), carrying the service credential. */
class PeerShardClient extends ShardClient {
  constructor(serviceToken: string | null) {
    super();
    this.credential = serviceToken;
  }
}

/**
 * What this shard knows for redaction: which of some nodes it holds, which of its datasets are restricted by tags
 * (dataset and column tags, under RESTRICTED_TAGS), and the domain of each. It answers the gateway's
 * `classification.of` and is the NODE_FACTS of the shard's own HTTP reads.
 */
@Injectable()
export class NodeClassificationService implements NodeFactsSource, OnModuleDestroy {
  private readonly peers: PeerShardClient;
  private readonly cache: ClassificationCache;

  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
    @Inject(REDACTION_SETTINGS) private readonly settings: RedactionSettings,
    private readonly graph: LineageGraphService,
  ) {
    this.peers = new PeerShardClient(config.auth.serviceToken);
    for (const peer of config.peers ?? []) this.peers.bind(peer.domain, peer.host, peer.port);
    this.cache = new ClassificationCache({ ttlMs: config.auth.classificationCacheMs });
  }

  async classify(ids: string[]): Promise<ClassificationResponse> {
    const version = this.graph.version;
    const datasets: NodeId[] = [];
    const jobs: NodeId[] = [];
    for (const id of ids.slice(0, MAX_IDS)) {
      try {
        const kind = parseNodeId(id).kind;
        if (kind === 'dataset') datasets.push(id as NodeId);
        else if (kind === 'job') jobs.push(id as NodeId);
      } catch {
        // not a node id: nothing to say about it
      }
    }
    const [datasetRecords, jobRecords] = await Promise.all([
      datasets.length ? this.store.getDatasets(datasets) : [],
      jobs.length ? this.store.getJobs(jobs) : [],
    ]);
    const answer: ClassificationResponse = { domain: this.config.domain, held: [], restricted: [], restrictedColumns: {}, version };
    for (const record of datasetRecords) {
      answer.held.push(record.id);
      const found = classifyDataset(record, this.settings.restrictedTags);
      if (found.restricted) answer.restricted.push(record.id);
      if (found.restrictedColumns.length) answer.restrictedColumns[record.id] = found.restrictedColumns;
    }
    for (const record of jobRecords) answer.held.push(record.id);
    return answer;
  }

  /**
   * The shard's own reads, by the same rule as the gateway's (libs/auth mergeNodeFacts): a dataset's domain is its
   * namespace's owner (else this shard's), a job's this shard's. A dataset another domain owns is classified by its
   * owner too (tags this shard's copy never saw): the owner's shard is asked (SHARDS, through a cache). When the
   * owner has no address here or does not answer, the dataset counts as restricted (fails closed: hidden from
   * viewers not cleared for that domain).
   */
  async factsOf(ids: string[]): Promise<Map<string, NodeFacts>> {
    const own = await this.classify(ids);
    const ownerOf = (namespace: string) => domainForNamespace(this.config.namespaceDomains, namespace);
    const foreign = new Map<string, string[]>();
    for (const id of own.held) {
      const parsed = parseNodeId(id);
      const owner = parsed.kind === 'dataset' ? ownerOf(parsed.namespace) : undefined;
      if (owner && owner !== this.config.domain) foreign.set(owner, [...(foreign.get(owner) ?? []), id]);
    }
    const answers: ClassificationResponse[] = [own];
    const unknown: string[] = [];
    await Promise.all(
      [...foreign].map(async ([owner, held]) => {
        const round = await this.cache.classify([owner], held, (domain, asked) => this.peers.call(domain, ClassificationRpcPatterns.of, { ids: asked }, PEER_TIMEOUT_MS));
        answers.push(...round.answers);
        if (round.missing.length) unknown.push(...held);
      }),
    );
    const facts = mergeNodeFacts(ids, answers, false, ownerOf);
    for (const id of unknown) {
      const fact = facts.get(id);
      if (fact) fact.restricted = true;
    }
    return facts;
  }

  onModuleDestroy(): void {
    this.peers.close();
  }
}
