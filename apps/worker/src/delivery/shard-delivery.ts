/**
 * Delivers a batch to the owning domain's shard: OpenLineage events to POST /api/v1/lineage/batch (marked
 * `x-lineage-provenance: observed`), then observed writes to POST /api/v1/observed-writes. Both are
 * idempotent at the shard (same event, same write: nothing changes), so a retried batch duplicates nothing.
 * The shard's URL comes from SHARD_URLS, else from the shard's own registration in Redis.
 */
import type Redis from 'ioredis';
import { ConnectorError, type PullBatch } from '@lineage-hub/connector-sdk';
import { registryKey } from '@lineage-hub/federation';
import { redactUrl } from './redact-url';

const EVENT_CHUNK = 500;
const WRITE_CHUNK = 2_000;

export const OBSERVED_PROVENANCE_HEADER = 'x-lineage-provenance';

export interface DeliveryOutcome {
  eventsAccepted: number;
  eventsDuplicate: number;
  /** Events the shard refused (invalid); recorded as a coverage gap, never retried forever. */
  eventsRefused: Array<{ index: number; reason: string }>;
  writesInserted: number;
  writesDuplicate: number;
}

export class ShardDelivery {
  constructor(
    private readonly staticUrls: Record<string, string>,
    private readonly redis: Redis | null,
    private readonly timeoutMs: number,
    /** The service credential the shards require when authentication is on (null: none). */
    private readonly serviceToken: string | null = null,
  ) {}

  /** Whether a shard serves the domain: listed in SHARD_URLS or registered in Redis (a running shard keeps its key alive). */
  async hasShard(domain: string): Promise<boolean> {
    if (this.staticUrls[domain]) return true;
    return this.redis ? (await this.redis.exists(registryKey(domain))) === 1 : false;
  }

  /** The domains with a shard in SHARD_URLS (registered ones are looked up one by one). */
  configuredDomains(): string[] {
    return Object.keys(this.staticUrls).sort();
  }

  async shardUrl(domain: string): Promise<string> {
    const fixed = this.staticUrls[domain];
    if (fixed) return fixed;
    const registered = this.redis ? await this.redis.get(registryKey(domain)) : null;
    const httpUrl = registered ? (JSON.parse(registered) as { httpUrl?: string }).httpUrl : undefined;
    if (!httpUrl)
      throw new ConnectorError('transient', `no shard for domain "${domain}": not in SHARD_URLS and not registered in Redis (is the shard running?)`);
    return httpUrl.replace(/\/+$/, '');
  }

  async deliver(domain: string, batch: PullBatch): Promise<DeliveryOutcome> {
    const outcome: DeliveryOutcome = { eventsAccepted: 0, eventsDuplicate: 0, eventsRefused: [], writesInserted: 0, writesDuplicate: 0 };
    if (batch.events.length === 0 && batch.observedWrites.length === 0) return outcome;
    const base = await this.shardUrl(domain);
    for (let i = 0; i < batch.events.length; i += EVENT_CHUNK) {
      const { status, body } = await this.post(`${base}/api/v1/lineage/batch`, batch.events.slice(i, i + EVENT_CHUNK));
      // the OpenLineage batch answer: {status, summary: {successful, ...}, failed_events: [{index, reason}], duplicates}
      const failedEvents: Array<{ index: number; reason: string }> | undefined = body?.failed_events;
      if (status === 200 && Array.isArray(failedEvents)) {
        outcome.eventsAccepted += (body?.summary?.successful ?? 0) - (body?.duplicates ?? 0);
        outcome.eventsDuplicate += body?.duplicates ?? 0;
        for (const failure of failedEvents) outcome.eventsRefused.push({ index: i + failure.index, reason: failure.reason });
      } else {
        throw this.failure('events', status, body);
      }
    }
    for (let i = 0; i < batch.observedWrites.length; i += WRITE_CHUNK) {
      // Shards that predate `actor` read `user`: send both until every shard stores `actor`.
      const writes = batch.observedWrites.slice(i, i + WRITE_CHUNK).map((w) => (w.actor && !w.user ? { ...w, user: w.actor } : w));
      const { status, body } = await this.post(`${base}/api/v1/observed-writes`, writes);
      if (status >= 200 && status < 300) {
        outcome.writesInserted += body?.inserted ?? 0;
        outcome.writesDuplicate += body?.duplicates ?? 0;
      } else {
        throw this.failure('observed writes', status, body);
      }
    }
    return outcome;
  }

  private async post(url: string, payload: unknown): Promise<{ status: number; body: any }> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [OBSERVED_PROVENANCE_HEADER]: 'observed',
          ...(this.serviceToken ? { authorization: `Bearer ${this.serviceToken}` } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new ConnectorError('transient', `shard at ${redactUrl(url)} unreachable: ${(err as Error).message}`, undefined, err);
    }
    const text = await response.text();
    let body: any = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = { message: text.slice(0, 500) };
    }
    return { status: response.status, body };
  }

  /** 5xx and 429 are worth retrying; any other refusal is a bug or a config error that a retry will not fix. */
  private failure(what: string, status: number, body: any): Error {
    const message = `shard refused ${what}: HTTP ${status} ${body?.message ?? JSON.stringify(body ?? '').slice(0, 300)}`;
    if (status >= 500 || status === 429) return new ConnectorError('transient', message);
    return new DeliveryRefusedError(message);
  }
}

/** The shard refused a delivery for good (4xx): the run fails without retry. */
export class DeliveryRefusedError extends Error {
  override readonly name = 'DeliveryRefusedError';
}
