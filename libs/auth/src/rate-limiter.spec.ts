import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the burst, then answers how long to wait, then refills per credential', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now);
    expect([limiter.take('t1'), limiter.take('t1'), limiter.take('t1')]).toEqual([0, 0, 0]);
    expect(limiter.take('t1')).toBe(1);
    expect(limiter.take('t2')).toBe(0);
    now += 1000;
    expect(limiter.take('t1')).toBe(0);
    expect(limiter.take('t1')).toBe(1);
  });

  it('waits whole seconds at low rates and is unlimited at 0', () => {
    let now = 0;
    const slow = new RateLimiter(2, 1, () => now);
    expect(slow.take('t')).toBe(0);
    expect(slow.take('t')).toBe(30);
    now += 29_000;
    expect(slow.take('t')).toBe(1);
    const unlimited = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(unlimited.take('t')).toBe(0);
  });
});
