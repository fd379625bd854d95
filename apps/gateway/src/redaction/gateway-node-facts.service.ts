import { Inject, Injectable } from '@nestjs/common';
import type { NodeFacts, NodeFactsSource } from '@lineage-hub/auth';
import { ClassificationRpcPatterns, domainForNamespace, type ClassificationResponse } from '@lineage-hub/federation';
import { parseNodeId } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';

/**
 * The gateway's redaction facts: every shard is asked (`classification.of`) which of the nodes it holds and which
 * are restricted by their tags. A dataset's domain is its namespace's owner (NAMESPACE_DOMAINS), else the
 * domains that hold it; a job's is the shard that holds it. Fails closed: when a shard does not answer, a node
 * no answering shard holds counts as restricted (hidden unless the viewer is cleared for its domain).
 */
@Injectable()
export class GatewayNodeFacts implements NodeFactsSource {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
  ) {}

  async factsOf(ids: string[]): Promise<Map<string, NodeFacts>> {
    const asked = ids.filter((id) => id.startsWith('dataset:') || id.startsWith('job:'));
    const timeoutMs = Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
    let missing = false;
    const answers = await Promise.all(
      this.registry.list().map((shard) =>
        this.clients.call(shard.domain, ClassificationRpcPatterns.of, { ids: asked }, timeoutMs).catch(() => {
          missing = true;
          return null;
        }),
      ),
    );
    return mergeFacts(asked, answers.filter((a): a is ClassificationResponse => a !== null), missing, (ns) => domainForNamespace(this.config.namespaceDomains, ns));
  }
}

/** Merges the shards' classifications into one fact per node (exported for its unit test). */
export function mergeFacts(
  ids: string[],
  answers: ClassificationResponse[],
  someShardMissing: boolean,
  ownerOf: (namespace: string) => string | undefined,
): Map<string, NodeFacts> {
  const holders = new Map<string, string[]>();
  const restrictedBy = new Map<string, string[]>();
  const columns = new Map<string, Set<string>>();
  for (const answer of answers) {
    for (const id of answer.held) holders.set(id, [...(holders.get(id) ?? []), answer.domain]);
    for (const id of answer.restricted) restrictedBy.set(id, [...(restrictedBy.get(id) ?? []), answer.domain]);
    for (const [id, cols] of Object.entries(answer.restrictedColumns)) {
      const set = columns.get(id) ?? new Set<string>();
      for (const c of cols) set.add(c);
      columns.set(id, set);
    }
  }
  const facts = new Map<string, NodeFacts>();
  for (const id of ids) {
    const parsed = parseNodeId(id);
    if (parsed.kind === 'run') continue;
    const held = holders.get(id) ?? [];
    const owner = parsed.kind === 'dataset' ? ownerOf(parsed.namespace) : undefined;
    if (held.length === 0) {
      if (someShardMissing) facts.set(id, { domain: owner ?? null, restricted: true });
      else if (owner) facts.set(id, { domain: owner, restricted: false });
      continue;
    }
    const restricted = restrictedBy.get(id) ?? [];
    facts.set(id, {
      domain: owner ?? restricted[0] ?? (held.length === 1 ? held[0] : null),
      domains: owner ? [owner] : held,
      restricted: restricted.length > 0,
      restrictedColumns: columns.has(id) ? [...columns.get(id)!] : undefined,
    });
  }
  return facts;
}
