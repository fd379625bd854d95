/**
 * One bottleneck limiter per vendor account, kept in Redis (bottleneck clustering), so every worker process
 * sharing an account shares one budget: requests are spaced `1000 / requestsPerSecond` ms apart by Redis'
 * own clock, plus a 1% margin so network jitter never pushes a one-second window over the limit.
 * A vendor's "slow down" pauses the account for every process (a `paused-until` key checked before each request).
 */
import Bottleneck from 'bottleneck';
import IORedis from 'ioredis';
import type Redis from 'ioredis';

export interface RateLimit {
  requestsPerSecond: number;
  maxConcurrent?: number;
}

const SPACING_MARGIN = 1.01;

export const minTimeFor = (rate: RateLimit) => (1000 / rate.requestsPerSecond) * SPACING_MARGIN;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export class AccountLimiters {
  private readonly connection: Bottleneck.IORedisConnection;
  private readonly limiters = new Map<string, { limiter: Bottleneck; key: string }>();

  constructor(
    redisUrl: string,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.connection = new Bottleneck.IORedisConnection({ Redis: IORedis, client: new IORedis(redisUrl, { maxRetriesPerRequest: null }) } as Bottleneck.IORedisConnectionOptions);
    this.connection.on('error', () => undefined);
  }

  private pauseKey(account: string) {
    return `${this.prefix}:limiter:${account}:paused-until`;
  }

  /** The account's limiter, created (or its settings updated in Redis) on first use with these settings. */
  async limiter(account: string, rate: RateLimit): Promise<Bottleneck> {
    const key = `${rate.requestsPerSecond}/${rate.maxConcurrent ?? '-'}`;
    const existing = this.limiters.get(account);
    if (existing && existing.key === key) return existing.limiter;
    const settings = { minTime: minTimeFor(rate), maxConcurrent: rate.maxConcurrent ?? null };
    if (existing) {
      await existing.limiter.updateSettings(settings);
      existing.key = key;
      return existing.limiter;
    }
    const limiter = new Bottleneck({
      id: `${this.prefix}-limiter-${account}`,
      datastore: 'ioredis',
      connection: this.connection,
      clearDatastore: false,
      ...settings,
    });
    limiter.on('error', () => undefined);
    await limiter.ready();
    await limiter.updateSettings(settings);
    this.limiters.set(account, { limiter, key });
    return limiter;
  }

  /** Runs fn under the account's shared limit, after any pause the vendor asked for. Returns ms waited on a pause. */
  async schedule<T>(account: string, rate: RateLimit, fn: () => Promise<T>, options: { weight?: number; signal?: AbortSignal; onPause?: (ms: number) => void } = {}): Promise<T> {
    let first = true;
    for (;;) {
      const wait = await this.pausedFor(account);
      if (wait <= 0) break;
      if (first) options.onPause?.(wait);
      first = false;
      await sleep(Math.min(wait, 1_000), options.signal);
      if (options.signal?.aborted) throw new Error('run aborted');
    }
    const limiter = await this.limiter(account, rate);
    return limiter.schedule({ weight: options.weight ?? 1 }, fn);
  }

  /** Pauses the account for every process for at least `ms` (a longer pause already set is kept). */
  async pause(account: string, ms: number): Promise<void> {
    const until = Date.now() + ms;
    await this.redis.eval(
      `local cur = tonumber(redis.call('get', KEYS[1]) or '0') if tonumber(ARGV[1]) > cur then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) end return 1`,
      1,
      this.pauseKey(account),
      String(until),
      String(ms + 1_000),
    );
  }

  async pausedFor(account: string): Promise<number> {
    const until = Number((await this.redis.get(this.pauseKey(account))) ?? 0);
    return until - Date.now();
  }

  async close(): Promise<void> {
    for (const { limiter } of this.limiters.values()) await limiter.disconnect(false).catch(() => undefined);
    this.limiters.clear();
    await this.connection.disconnect(false).catch(() => undefined);
  }
}
