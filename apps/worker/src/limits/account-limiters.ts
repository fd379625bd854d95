/**
 * One bottleneck limiter per vendor account, kept in Redis (bottleneck clustering), so every worker process
 * sharing an account shares one budget: requests are spaced about `1000 / requestsPerSecond` ms apart by
 * Redis' own clock (see JITTER_ALLOWANCE_MS), so no one-second window ever holds more than the limit.
 * A vendor's "slow down" pauses the account for every process (a `paused-until` key checked before each request).
 */
import { randomUUID } from 'node:crypto';
import Bottleneck from 'bottleneck';
import IORedis from 'ioredis';
import type Redis from 'ioredis';

export interface RateLimit {
  requestsPerSecond: number;
  maxConcurrent?: number;
}

/**
 * Bottleneck paces requests `1000 / requestsPerSecond` ms apart by Redis' clock, but each process starts its
 * request on a local timer after Redis granted the slot, so a busy event loop can bunch two requests from
 * two processes. A sliding-window log in Redis, checked atomically right before each request is sent, is the
 * hard guarantee: at most `requestsPerSecond` sends in any window of 1000 ms plus this allowance (for the
 * time between the check and the request reaching the vendor). Costs about 4% of the limit; 25 ms still let
 * one request too many reach the vendor in a second on a quiet machine (bench/RESULTS.md, Connectors).
 */
export const SEND_ALLOWANCE_MS = 40;

export const minTimeFor = (rate: RateLimit) => 1000 / rate.requestsPerSecond;

/** At most `sends` in any `windowMs`: for 12/s, 12 in 1010 ms; for 0.5/s, 1 in 2010 ms. */
export const slidingWindowFor = (rate: RateLimit) => {
  const sends = Math.max(1, Math.floor(rate.requestsPerSecond));
  return { sends, windowMs: Math.ceil((sends * 1000) / rate.requestsPerSecond) + SEND_ALLOWANCE_MS };
};

/** Admits a send when fewer than ARGV[1] sends happened in the last ARGV[2] ms (Redis time); else how long to wait. */
const SLIDING_WINDOW_LUA = `
local t = redis.call('time')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('zremrangebyscore', KEYS[1], '-inf', now - window)
if redis.call('zcard', KEYS[1]) < limit then
  redis.call('zadd', KEYS[1], now, ARGV[3])
  redis.call('pexpire', KEYS[1], window * 2)
  return 0
end
local oldest = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

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

  private sends = 0;
  /** Unique per limiter set, so sends from two processes (or two workers in one) never share a member. */
  private readonly instance = randomUUID();

  private windowKey(account: string) {
    return `${this.prefix}:limiter:${account}:sends`;
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
    return limiter.schedule({ weight: options.weight ?? 1 }, async () => {
      await this.admit(account, rate, options.weight ?? 1);
      return fn();
    });
  }

  /** Waits until the account's sliding window has room for `weight` sends, and records them. */
  private async admit(account: string, rate: RateLimit, weight: number): Promise<void> {
    const { sends, windowMs } = slidingWindowFor(rate);
    for (let i = 0; i < weight; i++) {
      for (;;) {
        const member = `${this.instance}-${++this.sends}`;
        const wait = Number(await this.redis.eval(SLIDING_WINDOW_LUA, 1, this.windowKey(account), String(sends), String(windowMs), member));
        if (wait <= 0) break;
        await sleep(wait);
      }
    }
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
    for (const { limiter } of this.limiters.values()) await Promise.resolve(limiter.disconnect(false)).catch(() => undefined);
    this.limiters.clear();
    await Promise.resolve(this.connection.disconnect(false)).catch(() => undefined);
  }
}
