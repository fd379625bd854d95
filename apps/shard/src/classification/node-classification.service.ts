import { Inject, Injectable } from '@nestjs/common';
import { classifyDataset, REDACTION_SETTINGS, type NodeFacts, type NodeFactsSource, type RedactionSettings } from '@lineage-hub/auth';
import { domainForNamespace, type ClassificationResponse } from '@lineage-hub/federation';
import { parseNodeId, type NodeId } from '@lineage-hub/model';
import type { LineageStore } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';

const MAX_IDS = 50_000;

/**
 * What this shard knows for redaction: which of some nodes it holds, which of its datasets are restricted by tags
 * (dataset and column tags, under RESTRICTED_TAGS), and the domain of each. It answers the gateway's
 * `classification.of` and is the NODE_FACTS of the shard's own HTTP reads.
 */
@Injectable()
export class NodeClassificationService implements NodeFactsSource {
  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
    @Inject(REDACTION_SETTINGS) private readonly settings: RedactionSettings,
  ) {}

  async classify(ids: string[]): Promise<ClassificationResponse> {
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
    const answer: ClassificationResponse = { domain: this.config.domain, held: [], restricted: [], restrictedColumns: {} };
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
   * The shard's own reads: a dataset's domain is the namespace map's owner (else this shard's), a job's is this
   * shard's. A dataset another domain owns is classified by its owner's shard, which this one cannot ask: it counts
   * as restricted here (hidden from viewers not cleared for that domain; the gateway knows and shows it).
   */
  async factsOf(ids: string[]): Promise<Map<string, NodeFacts>> {
    const answer = await this.classify(ids);
    const restricted = new Set(answer.restricted);
    const facts = new Map<string, NodeFacts>();
    for (const id of answer.held) {
      const parsed = parseNodeId(id);
      const owner = (parsed.kind === 'dataset' ? domainForNamespace(this.config.namespaceDomains, parsed.namespace) : undefined) ?? this.config.domain;
      facts.set(id, { domain: owner, restricted: restricted.has(id) || owner !== this.config.domain, restrictedColumns: answer.restrictedColumns[id] });
    }
    return facts;
  }
}
