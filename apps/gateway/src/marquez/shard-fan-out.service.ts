import { Inject, Injectable } from '@nestjs/common';
import { type ShardMessageName, ShardRefusedError, type ShardRequest, type ShardResponse } from '@lineage-hub/federation';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';

export interface Answer<T> {
  domain: string;
  body: T;
}

/** Who answered what: values, refusals (the shard answered with an error code) and the shards that did not answer. */
export interface Fanned<T> {
  answers: Array<Answer<T>>;
  refusals: ShardRefusedError[];
  complete: boolean;
  missingDomains: string[];
}

/** A shard that answers with one of these did not answer the question: it is missing, not refusing. */
const UNANSWERED = new Set(['internal', 'unavailable', 'timeout']);

/** One typed read sent to every shard (the Marquez federation's building block). */
@Injectable()
export class ShardFanOut {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
  ) {}

  /** Sends one read to every shard, each with its own deadline; the slow ones are named, not waited for. */
  async ask<M extends ShardMessageName>(pattern: M, request: ShardRequest<M>): Promise<Fanned<ShardResponse<M>>> {
    const missing: string[] = [];
    const refusals: ShardRefusedError[] = [];
    const timeoutMs = Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
    const answers = await Promise.all(
      this.registry.list().map(async (shard): Promise<Answer<ShardResponse<M>> | null> => {
        try {
          return { domain: shard.domain, body: await this.clients.call(shard.domain, pattern, request, timeoutMs) };
        } catch (error) {
          if (error instanceof ShardRefusedError && !UNANSWERED.has(error.code)) refusals.push(error);
          else missing.push(shard.domain);
          return null;
        }
      }),
    );
    return { answers: answers.filter((a): a is Answer<ShardResponse<M>> => a !== null), refusals, complete: missing.length === 0, missingDomains: missing.sort() };
  }

  /** The answers; a shard that refused the request itself (a bad parameter, a 4xx) makes the answer that refusal. */
  ok<T>(fanned: Fanned<T>): Array<Answer<T>> {
    const refusal = fanned.refusals.find((r) => r.code !== 'not-found');
    if (refusal) throw refusal;
    return fanned.answers;
  }

  /** Complete only when every shard answered (a not-found is an answer: "not here"). */
  completeness(fanned: Fanned<unknown>) {
    return { complete: fanned.complete, missingDomains: fanned.missingDomains };
  }
}
