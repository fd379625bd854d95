import { ConnectorError } from '@lineage-hub/connector-sdk';
import { mapBigQueryError } from './bigquery-error.mapper';

/** The shape googleapis' ApiError has: `.code` (HTTP status) and `.errors[].reason`. */
const apiError = (code: number, reason: string) => Object.assign(new Error(reason), { code, errors: [{ reason, domain: 'global', message: reason }] });

describe('mapBigQueryError', () => {
  it.each([
    [apiError(403, 'rateLimitExceeded'), 'rate-limited'],
    [apiError(403, 'userRateLimitExceeded'), 'rate-limited'],
    [apiError(429, 'tooManyRequests'), 'rate-limited'],
    [apiError(403, 'quotaExceeded'), 'rate-limited'],
    [apiError(401, 'authError'), 'auth-failed'],
    [apiError(403, 'accessDenied'), 'auth-failed'],
    [apiError(404, 'notFound'), 'not-found'],
    [apiError(500, 'backendError'), 'transient'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    [new Error('something unexpected'), 'transient'],
  ])('%s -> %s', (err, code) => {
    expect(mapBigQueryError(err).code).toBe(code);
  });

  it('waits minutes for a spent quota and leaves short throttles to the limiter backoff', () => {
    expect(mapBigQueryError(apiError(403, 'quotaExceeded')).retryAfterMs).toBe(600_000);
    expect(mapBigQueryError(apiError(403, 'rateLimitExceeded')).retryAfterMs).toBeUndefined();
  });

  it('passes a ConnectorError through', () => {
    const own = new ConnectorError('cursor-invalid', 'bad cursor');
    expect(mapBigQueryError(own)).toBe(own);
  });
});
