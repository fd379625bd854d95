import { classifyResponse, parseRetryAfter } from './http-delivery';

describe('classifyResponse', () => {
  const now = Date.parse('2026-01-05T06:00:00Z');
  it.each([
    [200, null, 'delivered', undefined],
    [202, null, 'delivered', undefined],
    [204, null, 'delivered', undefined],
    [400, null, 'rejected', undefined],
    [401, null, 'rejected', undefined],
    [404, null, 'rejected', undefined],
    [408, null, 'retry', undefined],
    [429, '7', 'rate-limited', 7000],
    [429, 'Mon, 05 Jan 2026 06:00:30 GMT', 'rate-limited', 30_000],
    [429, null, 'rate-limited', undefined],
    [500, null, 'retry', undefined],
    [503, '2', 'retry', 2000],
  ])('%s (Retry-After %s) -> %s', (status, retryAfter, outcome, retryAfterMs) => {
    const result = classifyResponse(status, retryAfter, 'body', now);
    expect(result.outcome).toBe(outcome);
    expect(result.retryAfterMs).toBe(retryAfterMs);
    expect(result.status).toBe(status);
  });

  it('ignores an unreadable Retry-After', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('Mon, 05 Jan 2026 05:00:00 GMT', now)).toBe(0);
  });
});
