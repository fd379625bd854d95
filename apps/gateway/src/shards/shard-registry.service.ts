import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import {
  acceptAllFilter,
  FederatedAliases,
  loadMembershipFilter,
  readShardRegistrations,
  SHARD_REGISTRY_CHANNEL,
  ShardRpcPatterns,
  type FederationShard,
  type MembershipFilter,
} from '@lineage-hub/federation';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { GatewayMetricsService } from './gateway-metrics.service';
import { ShardClientService } from './shard-client.service';

export interface ShardState {
  domain: string;
  host: string;
  port: number;
  httpUrl?: string;
  source: 'static' | 'redis';
  state: 'up' | 'down' | 'unknown';
  version: number | null;
  filterVersion: number | null;
  /** The last filter answer said its directional filters were still being built: fetch again. */
  directionalPending?: boolean;
  filter: MembershipFilter;
  /** Directional filters, when the shard publishes them. */
  downstream?: MembershipFilter;
  upstream?: MembershipFilter;
  /** The aliases the shard declared ([alias, canonical]), as its last filter answer listed them. */
  aliases?: ReadonlyArray<readonly [string, string]>;
  lastSeenAt: number | null;
  lastError: string | null;
}

/**
 * Which shards exist (static SHARDS list + Redis self-registrations), whether they answer, at which graph
 * version, and the membership filter each published. A registration that expires drops the shard.
 * `generation` changes whenever the set of shards changes, so caches keyed on it stay correct.
 */
@Injectable()
export class ShardRegistryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ShardRegistryService.name);
  private readonly shards = new Map<string, ShardState>();
  private redis: Redis | null = null;
  private subscriber: Redis | null = null;
  private timers: NodeJS.Timeout[] = [];
  private refreshing = new Map<string, Promise<void>>();
  private versionPattern = new Map<string, typeof ShardRpcPatterns.version | typeof ShardRpcPatterns.info>();
  generation = 0;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly clients: ShardClientService,
    private readonly metrics: GatewayMetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const shard of this.config.shards) this.upsert({ ...shard, source: 'static' });
    if (this.config.redisUrl) {
      this.redis = new Redis(this.config.redisUrl, { maxRetriesPerRequest: 2 });
      this.subscriber = new Redis(this.config.redisUrl, { maxRetriesPerRequest: null });
      this.redis.on('error', (error) => this.logger.warn({ msg: 'redis error', error: error.message }));
      this.subscriber.on('error', (error) => this.logger.warn({ msg: 'redis subscriber error', error: error.message }));
      // Not awaited: a gateway starts while Redis is down (static shards keep working); ioredis re-subscribes
      // when Redis returns, and each 'ready' runs a discovery.
      this.subscriber.subscribe(SHARD_REGISTRY_CHANNEL).catch((error: Error) => this.logger.warn({ msg: 'redis subscribe failed', error: error.message }));
      this.subscriber.on('message', () => void this.discover().catch(() => undefined));
      this.redis.on('ready', () => void this.discover().catch(() => undefined));
      await this.discover().catch((error: Error) => this.logger.warn({ msg: 'shard discovery waits for Redis', error: error.message }));
      this.every(this.config.discoveryIntervalMs, () => this.discover());
    }
    await this.refreshAll();
    this.every(this.config.filterRefreshMs, () => this.refreshAll());
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.subscriber?.disconnect();
    this.redis?.disconnect();
  }

  list(): ShardState[] {
    return [...this.shards.values()].sort((a, b) => (a.domain < b.domain ? -1 : 1));
  }

  get(domain: string): ShardState | undefined {
    return this.shards.get(domain);
  }

  /** Every shard's aliases united (a table one domain knows by a symlink is one node across domains); kept until a filter or the shards change. */
  aliases(): FederatedAliases {
    const key = this.list().map((s) => `${s.domain}@${s.filterVersion ?? '-'}:${s.aliases?.length ?? 0}`).join(',');
    if (this.united?.key !== key) this.united = { key, aliases: new FederatedAliases(this.list().flatMap((s) => s.aliases ?? [])) };
    return this.united.aliases;
  }

  private united: { key: string; aliases: FederatedAliases } | null = null;

  /** The shards a federated query routes over, with their current filters. */
  federation(): FederationShard[] {
    return this.list().map((s) => ({ domain: s.domain, filter: s.filter, downstream: s.downstream, upstream: s.upstream }));
  }

  /** A shard answered at this version: fetch its filter again if the graph moved on since. */
  sawVersion(domain: string, version: number): void {
    const shard = this.shards.get(domain);
    if (!shard) return;
    shard.version = version;
    if (shard.filterVersion !== version) void this.refresh(domain);
  }

  /** Probes every shard's version now (one round of tiny messages); fetches filters that are out of date. */
  async probeVersions(timeoutMs: number): Promise<Record<string, number | null>> {
    const out: Record<string, number | null> = {};
    await Promise.all(
      this.list().map(async (shard) => {
        try {
          out[shard.domain] = await this.version(shard.domain, timeoutMs);
        } catch {
          out[shard.domain] = null;
        }
      }),
    );
    return out;
  }

  /** Brings one shard's filter up to its version as of now (a refresh already running may predate a write). */
  async ensureFresh(domain: string): Promise<void> {
    await this.refreshing.get(domain);
    await this.refresh(domain);
  }

  private every(ms: number, fn: () => Promise<unknown>): void {
    const timer = setInterval(() => void fn().catch(() => undefined), ms);
    timer.unref();
    this.timers.push(timer);
  }

  private upsert(entry: { domain: string; host: string; port: number; httpUrl?: string; source: 'static' | 'redis' }): void {
    const existing = this.shards.get(entry.domain);
    if (existing && existing.host === entry.host && existing.port === entry.port) {
      if (entry.httpUrl) existing.httpUrl = entry.httpUrl;
      return;
    }
    this.clients.bind(entry.domain, entry.host, entry.port);
    this.shards.set(entry.domain, {
      ...entry,
      source: existing?.source === 'static' ? 'static' : entry.source,
      state: 'unknown',
      version: null,
      filterVersion: null,
      filter: acceptAllFilter,
      lastSeenAt: null,
      lastError: null,
    });
    this.generation++;
    this.logger.log({ msg: existing ? 'shard moved' : 'shard joined', domain: entry.domain, address: `${entry.host}:${entry.port}`, source: entry.source });
    void this.refresh(entry.domain);
  }

  private async discover(): Promise<void> {
    if (!this.redis) return;
    let registrations;
    try {
      registrations = await readShardRegistrations(this.redis);
    } catch (error) {
      this.logger.warn({ msg: 'shard discovery failed', error: (error as Error).message });
      return;
    }
    const live = new Set<string>();
    for (const r of registrations) {
      live.add(r.domain);
      this.upsert({ domain: r.domain, host: r.rpc.host, port: r.rpc.port, httpUrl: r.httpUrl, source: 'redis' });
    }
    for (const shard of this.list()) {
      if (shard.source === 'redis' && !live.has(shard.domain)) {
        this.shards.delete(shard.domain);
        this.clients.unbind(shard.domain);
        this.metrics.shardUp.remove({ domain: shard.domain });
        this.generation++;
        this.logger.warn({ msg: 'shard left (registration expired)', domain: shard.domain });
      }
    }
  }

  private async refreshAll(): Promise<void> {
    await Promise.all(this.list().map((s) => this.refresh(s.domain)));
  }

  /** Probe the version; when it differs from the filter's, fetch the filter. One refresh per shard at a time. */
  private refresh(domain: string): Promise<void> {
    const running = this.refreshing.get(domain);
    if (running) return running;
    const run = this.doRefresh(domain).finally(() => this.refreshing.delete(domain));
    this.refreshing.set(domain, run);
    return run;
  }

  private async doRefresh(domain: string): Promise<void> {
    const shard = this.shards.get(domain);
    if (!shard) return;
    try {
      const version = await this.version(domain, this.config.shardTimeoutMs);
      if (shard.filterVersion !== version || shard.directionalPending) {
        const response = await this.clients.call(domain, ShardRpcPatterns.filter, {}, Math.max(10_000, this.config.shardTimeoutMs));
        shard.filter = loadMembershipFilter(response.filter);
        shard.downstream = response.downstream ? loadMembershipFilter(response.downstream) : undefined;
        shard.upstream = response.upstream ? loadMembershipFilter(response.upstream) : undefined;
        shard.aliases = response.aliases ?? [];
        shard.filterVersion = response.version;
        shard.directionalPending = response.directionalPending === true;
        if (version !== response.version) this.logger.debug({ msg: 'filter moved on while fetched', domain });
      }
      shard.version = Math.max(version, shard.filterVersion ?? version);
      if (shard.state !== 'up') this.logger.log({ msg: 'shard up', domain, version: shard.version });
      shard.state = 'up';
      shard.lastSeenAt = Date.now();
      shard.lastError = null;
      this.metrics.shardUp.set({ domain }, 1);
    } catch (error) {
      if (shard.state !== 'down') this.logger.warn({ msg: 'shard down', domain, error: (error as Error).message });
      shard.state = 'down';
      shard.lastError = (error as Error).message;
      this.metrics.shardUp.set({ domain }, 0);
    }
  }

  /**
   * `shard.version`, falling back to `shard.info` for shards that do not answer the version probe. The answer names
   * the shard's lean expand port, if it has one: expand goes there from now on (else over the Nest pattern).
   */
  private async version(domain: string, timeoutMs: number): Promise<number> {
    const pattern = this.versionPattern.get(domain) ?? ShardRpcPatterns.version;
    try {
      const response = await this.clients.call(domain, pattern, {}, timeoutMs);
      if (this.shards.has(domain)) this.clients.bindExpand(domain, this.config.leanExpand ? response.expandPort : null);
      return response.version;
    } catch (error) {
      if (pattern === ShardRpcPatterns.version && /no matching message handler/i.test((error as Error).message)) {
        this.versionPattern.set(domain, ShardRpcPatterns.info);
        return this.version(domain, timeoutMs);
      }
      throw error;
    }
  }
}
