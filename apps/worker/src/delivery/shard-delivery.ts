/**
 * Delivers what a connector run read to the owning domain's shard through the typed shard contract
 * (libs/federation ShardClient, the gateway's client too): OpenLineage events as `lineage.ingest` with provenance
 * `observed`, observed writes as `observed-writes.record`, and after the run its coverage as `coverage.record`.
 * All three are idempotent at the shard (same event, write or record again: nothing changes), so a retried
 * batch duplicates nothing.
 *
 * The shard's answer decides what the run does: a shard that did not answer (ShardUnavailableError: no address,
 * connection refused, deadline passed) or answered with a passing condition (unavailable, timeout, rate-limited,
 * internal) is a transient ConnectorError, retried by BullMQ with backoff; any other domain error code
 * (invalid-argument, permission-denied, ...) is a DeliveryRefusedError: a retry would get the same answer, so the
 * run fails for good (dead-lettered) with the shard's message.
 *
 * Shard addresses: SHARDS (`domain=host:rpcPort`, as the gateway's), else the shard's own registration in Redis.
 */
import type Redis from 'ioredis';
import { ConnectorError, type PullBatch } from '@lineage-hub/connector-sdk';
import {
  type CoverageRecordRequest,
  registryKey,
  ShardClient,
  type ShardAddress,
  type ShardMessageName,
  ShardRefusedError,
  type ShardRegistration,
  type ShardRequest,
  type ShardResponse,
  ShardUnavailableError,
} from '@lineage-hub/federation';
import type { DomainErrorCode } from '@lineage-hub/model';

const EVENT_CHUNK = 500;
const WRITE_CHUNK = 2_000;

/** Codes a later attempt may not meet again: the shard or its store was briefly unable, not the request wrong. */
const PASSING: ReadonlySet<DomainErrorCode> = new Set(['unavailable', 'timeout', 'rate-limited', 'internal']);

export interface DeliveryOutcome {
  eventsAccepted: number;
  eventsDuplicate: number;
  /** Events the shard refused (invalid); recorded as a coverage gap, never retried forever. */
  eventsRefused: Array<{ index: number; reason: string }>;
  writesInserted: number;
  writesDuplicate: number;
}

/** The worker's ShardClient: every message carries the service credential when AUTH_SERVICE_TOKEN is set. */
class WorkerShardClient extends ShardClient {
  constructor(serviceToken: string | null) {
    super();
    this.credential = serviceToken;
  }
}

export class ShardDelivery {
  private readonly client: ShardClient;
  private readonly staticShards: Map<string, ShardAddress>;

  constructor(
    shards: readonly ShardAddress[],
    private readonly redis: Redis | null,
    private readonly timeoutMs: number,
    serviceToken: string | null = null,
  ) {
    this.staticShards = new Map(shards.map((s) => [s.domain, s]));
    this.client = new WorkerShardClient(serviceToken);
  }

  /** Whether a shard serves the domain: listed in SHARDS or registered in Redis (a running shard keeps its key alive). */
  async hasShard(domain: string): Promise<boolean> {
    if (this.staticShards.has(domain)) return true;
    return this.redis ? (await this.redis.exists(registryKey(domain))) === 1 : false;
  }

  /** The domains with a shard in SHARDS (registered ones are looked up one by one). */
  configuredDomains(): string[] {
    return [...this.staticShards.keys()].sort();
  }

  async deliver(domain: string, batch: PullBatch): Promise<DeliveryOutcome> {
    const outcome: DeliveryOutcome = { eventsAccepted: 0, eventsDuplicate: 0, eventsRefused: [], writesInserted: 0, writesDuplicate: 0 };
    if (batch.events.length === 0 && batch.observedWrites.length === 0) return outcome;
    for (let i = 0; i < batch.events.length; i += EVENT_CHUNK) {
      const answer = await this.call(domain, 'lineage.ingest', { events: batch.events.slice(i, i + EVENT_CHUNK), provenance: 'observed' }, 'events');
      outcome.eventsAccepted += answer.summary.successful - answer.duplicates;
      outcome.eventsDuplicate += answer.duplicates;
      for (const failure of answer.failed_events) outcome.eventsRefused.push({ index: i + failure.index, reason: failure.reason });
    }
    for (let i = 0; i < batch.observedWrites.length; i += WRITE_CHUNK) {
      // Shards that predate `actor` read `user`: send both until every shard stores `actor`.
      const writes = batch.observedWrites.slice(i, i + WRITE_CHUNK).map((w) => (w.actor && !w.user ? { ...w, user: w.actor } : w));
      const answer = await this.call(domain, 'observed-writes.record', { writes }, 'observed writes');
      outcome.writesInserted += answer.inserted;
      outcome.writesDuplicate += answer.duplicates;
    }
    return outcome;
  }

  /** What a run covered (its window and the gaps in it), filed with the domain's shard for the reconciliation. */
  async recordCoverage(domain: string, records: CoverageRecordRequest['records']): Promise<{ inserted: number; duplicates: number }> {
    if (records.length === 0) return { inserted: 0, duplicates: 0 };
    return this.call(domain, 'coverage.record', { records }, 'coverage');
  }

  close(): void {
    this.client.close();
  }

  private async call<M extends ShardMessageName>(domain: string, pattern: M, request: ShardRequest<M>, what: string): Promise<ShardResponse<M>> {
    await this.bind(domain);
    try {
      return await this.client.call(domain, pattern, request, this.timeoutMs);
    } catch (err) {
      if (err instanceof ShardUnavailableError) throw new ConnectorError('transient', `shard of "${domain}" did not take the ${what}: ${err.message}`, undefined, err);
      if (err instanceof ShardRefusedError) {
        const message = `shard of "${domain}" refused the ${what}: ${err.code}${err.field ? ` (${err.field})` : ''}: ${err.message}`;
        if (PASSING.has(err.code)) throw new ConnectorError('transient', message, undefined, err);
        throw new DeliveryRefusedError(message, err.code);
      }
      throw err;
    }
  }

  /** Points the client at the domain's shard: SHARDS first, else its Redis registration (re-read on every call). */
  private async bind(domain: string): Promise<void> {
    const fixed = this.staticShards.get(domain);
    if (fixed) return this.client.bind(domain, fixed.host, fixed.port);
    const registered = this.redis ? await this.redis.get(registryKey(domain)) : null;
    const rpc = registered ? (JSON.parse(registered) as Partial<ShardRegistration>).rpc : undefined;
    if (!rpc?.host || !rpc.port) {
      this.client.unbind(domain);
      throw new ConnectorError('transient', `no shard for domain "${domain}": not in SHARDS and not registered in Redis (is the shard running?)`);
    }
    this.client.bind(domain, rpc.host, rpc.port);
  }
}

/** The shard refused a delivery for good (a domain error code a retry will not change): the run fails without retry. */
export class DeliveryRefusedError extends Error {
  override readonly name = 'DeliveryRefusedError';
  constructor(
    message: string,
    readonly code: DomainErrorCode,
  ) {
    super(message);
  }
}
