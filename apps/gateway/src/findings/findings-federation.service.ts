/**
 * Findings and freshness federated across the shards: each read goes to every shard (typed findings.* messages),
 * answers are merged (newest first, one keyset cursor valid on every shard), and `complete`/`missingDomains`
 * name the shards that did not answer in time.
 */
import { Inject, Injectable } from '@nestjs/common';
import { FindingsRpcPatterns, ShardRefusedError, type ShardMessageName, type ShardRequest, type ShardResponse } from '@lineage-hub/federation';
import {
  compareFindings,
  decodeFindingCursor,
  DomainError,
  encodeFindingCursor,
  notFound,
  parseFindingQuery,
  parseFreshnessQuery,
  type Finding,
  type FreshnessState,
} from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';

interface Fanned<T> {
  answers: Array<{ domain: string; body: T }>;
  complete: boolean;
  missingDomains: string[];
}

@Injectable()
export class FindingsFederationService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
  ) {}

  async list(q: Record<string, unknown>) {
    const query = parseFindingQuery(q);
    if (query.cursor) decodeFindingCursor(query.cursor);
    const limit = query.limit ?? 100;
    const fanned = await this.fanOut(FindingsRpcPatterns.list, { ...query, limit });
    const merged: Finding[] = fanned.answers.flatMap((a) => a.body.findings).sort(compareFindings);
    const more = merged.length > limit || fanned.answers.some((a) => a.body.nextCursor !== null);
    const findings = merged.slice(0, limit);
    return { findings, nextCursor: more && findings.length ? encodeFindingCursor(findings[findings.length - 1]) : null, complete: fanned.complete, missingDomains: fanned.missingDomains };
  }

  async get(id: string) {
    const fanned = await this.fanOut(FindingsRpcPatterns.get, { id });
    const found = fanned.answers.find((a) => a.body !== null);
    if (found) return { ...found.body!, complete: fanned.complete, missingDomains: fanned.missingDomains };
    if (!fanned.complete) throw new DomainError('unavailable', `finding ${id} not found in the shards that answered; missing: ${fanned.missingDomains.join(', ')}`);
    throw notFound(`finding ${id}`);
  }

  /** The dataset's freshness in every shard that evaluated it (a dataset appears in each shard whose jobs touch it). */
  async freshness(q: Record<string, unknown>) {
    const dataset = parseFreshnessQuery(q);
    const fanned = await this.fanOut(FindingsRpcPatterns.freshness, { dataset });
    const states: Array<FreshnessState & { domain: string }> = fanned.answers.filter((a) => a.body !== null).map((a) => ({ domain: a.domain, ...a.body! }));
    if (states.length === 0 && fanned.complete) throw notFound(`freshness of ${dataset}`);
    return { dataset, states: states.sort((a, b) => (a.domain < b.domain ? -1 : 1)), complete: fanned.complete, missingDomains: fanned.missingDomains };
  }

  async fanOut<M extends ShardMessageName, T = ShardResponse<M>>(pattern: M, request: ShardRequest<M>): Promise<Fanned<T>> {
    const missing: string[] = [];
    const timeoutMs = Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
    const answers = await Promise.all(
      this.registry.list().map(async (shard) => {
        try {
          return { domain: shard.domain, body: (await this.clients.call(shard.domain, pattern, request, timeoutMs)) as T };
        } catch (error) {
          // a shard's refusal of the request itself is the client's error, not a missing shard
          if (error instanceof ShardRefusedError && error.code === 'invalid-argument') throw error;
          missing.push(shard.domain);
          return null;
        }
      }),
    );
    return { answers: answers.filter((a): a is { domain: string; body: Awaited<T> } => a !== null) as Fanned<T>['answers'], complete: missing.length === 0, missingDomains: missing.sort() };
  }
}
