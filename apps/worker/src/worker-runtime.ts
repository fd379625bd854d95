/**
 * The worker's connections and shared parts, made once: Redis, the connector store, the account limiters,
 * the shard delivery and the BullMQ queue. Without REDIS_URL the worker still starts (health, metrics)
 * with connectors disabled, and says what to install. With REDIS_URL but Redis down it starts too: the
 * connector API answers 503 until Redis is reachable, and what needs Redis at start (seeding the connectors
 * file, schedulers) runs when it first is (whenReady). BullMQ's own connections reconnect by themselves.
 */
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import type Redis from 'ioredis';
import { formatShardList } from '@lineage-hub/federation';
import { DomainError } from '@lineage-hub/model';
import { CONNECTOR_REGISTRY, type ConnectorRegistry } from './connector-registry';
import { ConnectorStore } from './instances/connector-store';
import { ShardDelivery } from './delivery/shard-delivery';
import { AccountLimiters } from './limits/account-limiters';
import { QUEUES } from './queue-names';
import { redisOptionsFromUrl } from './redis-options';
import { WORKER_CONFIG, type WorkerConfig } from './worker.config';

export const CONNECTORS_DISABLED_REASON =
  'connectors are disabled: REDIS_URL is not set. Install Redis (e.g. `apt-get install redis-server`, or `brew install redis`) and start the hub with `npm start`, which starts a private redis-server when one is installed, or set REDIS_URL=redis://host:6379.';

export const REDIS_DOWN_REASON = 'Redis (REDIS_URL) is not reachable: connectors resume when it returns';

export interface ConnectorPlatform {
  redis: Redis;
  store: ConnectorStore;
  limiters: AccountLimiters;
  delivery: ShardDelivery;
  queue: Queue;
  /** BullMQ key prefix (queues and schedulers live under it). */
  bullPrefix: string;
}

@Injectable()
export class WorkerRuntime implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WorkerRuntime.name);
  private platformValue: ConnectorPlatform | null = null;

  constructor(
    @Inject(WORKER_CONFIG) readonly config: WorkerConfig,
    @Inject(CONNECTOR_REGISTRY) readonly registry: ConnectorRegistry,
  ) {}

  get enabled(): boolean {
    return this.platformValue !== null;
  }

  /** Whether Redis answers now (false without REDIS_URL). */
  get redisReady(): boolean {
    return this.platformValue?.redis.status === 'ready';
  }

  /** The connector platform for a request; DomainError('unavailable') (503) when disabled or Redis is away. */
  get platform(): ConnectorPlatform {
    const platform = this.connections;
    if (platform.redis.status !== 'ready') throw new DomainError('unavailable', REDIS_DOWN_REASON);
    return platform;
  }

  /** The platform whether or not Redis answers now: for wiring at start (BullMQ reconnects by itself). */
  get connections(): ConnectorPlatform {
    if (!this.platformValue) throw new DomainError('unavailable', CONNECTORS_DISABLED_REASON);
    return this.platformValue;
  }

  /**
   * Runs fn once Redis is reachable: now (awaited, a failure throws, as at any start) when it already is, else
   * when it first comes up (a failure then is logged).
   */
  async whenReady(what: string, fn: () => Promise<void>): Promise<void> {
    const platform = this.platformValue;
    if (!platform) return;
    if (platform.redis.status === 'ready') return fn();
    this.logger.warn({ msg: `${what} waits for Redis`, reason: REDIS_DOWN_REASON });
    platform.redis.once('ready', () => void fn().catch((err: Error) => this.logger.warn({ msg: `${what} failed`, error: err.message })));
  }

  async onModuleInit(): Promise<void> {
    const { redisUrl, prefix } = this.config;
    if (!redisUrl) {
      this.logger.warn({ msg: CONNECTORS_DISABLED_REASON });
      return;
    }
    // Not awaited: a worker whose Redis is down still starts. Without an offline queue a command fails at
    // once while Redis is away (the API's 503) instead of hanging; ioredis keeps reconnecting.
    const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => Math.min(200 * n, 2_000) });
    let lastError = '';
    redis.on('error', (err) => {
      if (err.message !== lastError) this.logger.warn({ msg: 'redis error', error: err.message });
      lastError = err.message;
    });
    redis.on('ready', () => {
      if (lastError) this.logger.log({ msg: 'redis reachable again' });
      lastError = '';
    });
    await new Promise<void>((resolve) => {
      // Wait until Redis is ready, or plainly not there (the first connection error), or 10 s: a healthy Redis is
      // seeded before the first request, a down one does not hold the start.
      const done = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(done, 10_000);
      redis.once('ready', done);
      redis.once('error', done);
    });
    const bullPrefix = `${prefix}-bull`;
    this.platformValue = {
      redis,
      store: new ConnectorStore(redis, prefix, this.config.runHistoryLimit),
      limiters: new AccountLimiters(redisUrl, redis, prefix),
      delivery: new ShardDelivery(this.config.shards, redis, this.config.deliveryTimeoutMs, this.config.auth?.serviceToken ?? null),
      queue: new Queue(QUEUES.connectorRuns, { connection: redisOptionsFromUrl(redisUrl, { maxRetriesPerRequest: null }), prefix: bullPrefix }),
      bullPrefix,
    };
    this.logger.log({ msg: 'connector platform ready', kinds: this.registry.kinds(), shards: formatShardList(this.config.shards) || '(from the Redis registry)' });
  }

  async onModuleDestroy(): Promise<void> {
    const platform = this.platformValue;
    this.platformValue = null;
    if (!platform) return;
    await platform.queue.close().catch(() => undefined);
    await platform.limiters.close().catch(() => undefined);
    platform.delivery.close();
    platform.redis.disconnect();
  }
}
