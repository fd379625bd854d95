/**
 * The worker's connections and shared parts, made once: Redis, the connector store, the account limiters,
 * the shard delivery and the BullMQ queue. Without REDIS_URL the worker still starts (health, metrics)
 * with connectors disabled, and says what to install.
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

  /** The connector platform; throws DomainError('unavailable') when connectors are disabled. */
  get platform(): ConnectorPlatform {
    if (!this.platformValue) throw new DomainError('unavailable', CONNECTORS_DISABLED_REASON);
    return this.platformValue;
  }

  async onModuleInit(): Promise<void> {
    const { redisUrl, prefix } = this.config;
    if (!redisUrl) {
      this.logger.warn({ msg: CONNECTORS_DISABLED_REASON });
      return;
    }
    const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    redis.on('error', (err) => this.logger.warn({ msg: 'redis error', error: err.message }));
    await redis.connect();
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
