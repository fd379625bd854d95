/**
 * A per-receiver rate limit shared by every worker process: a fixed one-minute window counted in Redis
 * (PagerDuty allows about 120 events a minute per integration key). Returns how long to wait, 0 to go.
 */
import type Redis from 'ioredis';

export class ReceiverRateWindow {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async take(receiver: string, perMinute: number, now = Date.now()): Promise<number> {
    const window = Math.floor(now / 60_000);
    const key = `${this.prefix}:alerts:rate:${receiver}:${window}`;
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 120_000).exec()) as Array<[Error | null, number]>;
    return count <= perMinute ? 0 : (window + 1) * 60_000 - now;
  }
}
