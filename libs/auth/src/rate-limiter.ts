/**
 * Per-credential token bucket: `perMinute` requests a minute on average, bursts up to `burst`. In memory, per
 * process (each app limits its own edge). Returns 0 when allowed, else the seconds to wait (for Retry-After).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst = Math.max(1, perMinute),
    private readonly now: () => number = Date.now,
  ) {
    this.ratePerMs = perMinute / 60_000;
  }

  take(key: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    if (this.buckets.size > 100_000) this.prune(now);
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000));
  }

  private prune(now: number) {
    for (const [key, bucket] of this.buckets) if (bucket.tokens + (now - bucket.at) * this.ratePerMs >= this.burst) this.buckets.delete(key);
  }
}
