import { mapSalesforceError } from './salesforce-error.mapper';

/** jsforce's HttpApiError: `name` and `errorCode` are Salesforce's errorCode. */
const sfError = (errorCode: string, message = errorCode) => Object.assign(new Error(message), { name: errorCode, errorCode });

describe('mapSalesforceError', () => {
  it.each([
    [sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'rate-limited'],
    [sfError('INVALID_SESSION_ID', 'Session expired or invalid'), 'auth-failed'],
    [Object.assign(new Error('authentication failure'), { name: 'invalid_grant' }), 'auth-failed'],
    [sfError('NOT_FOUND'), 'not-found'],
    [sfError('INVALID_TYPE'), 'not-found'],
    [sfError('API_DISABLED_FOR_ORG'), 'not-found'],
    [sfError('QUERY_TIMEOUT'), 'transient'],
    [new Error('something unexpected'), 'transient'],
  ])('%s -> %s', (err, code) => {
    expect(mapSalesforceError(err).code).toBe(code);
  });

  it('waits hours for a spent daily allocation and seconds for a concurrency refusal', () => {
    expect(mapSalesforceError(sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')).retryAfterMs).toBe(3_600_000);
    expect(mapSalesforceError(sfError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentRequests (Concurrent API Requests) Limit exceeded.')).retryAfterMs).toBe(10_000);
  });

  it('self-check: the long-running concurrency refusal waits seconds; a 503 without a JSON body is transient', () => {
    const longTxn = mapSalesforceError(sfError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'));
    expect([longTxn.code, longTxn.retryAfterMs]).toEqual(['rate-limited', 10_000]);
    expect(mapSalesforceError(sfError('ERROR_HTTP_503', 'Service Unavailable')).code).toBe('transient');
  });
});
