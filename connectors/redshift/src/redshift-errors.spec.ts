import { ConnectorError } from '@lineage-hub/connector-sdk';
import { mapRedshiftError } from './redshift-errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('mapRedshiftError', () => {
  it.each([
    ['53300', 'rate-limited'],
    ['53200', 'rate-limited'],
    ['57014', 'transient'],
    ['57P01', 'transient'],
    ['08006', 'transient'],
    ['28000', 'auth-failed'],
    ['28P01', 'auth-failed'],
    ['42501', 'auth-failed'],
    ['42P01', 'not-found'],
    ['3D000', 'not-found'],
  ])('SQLSTATE %s -> %s', (code, expected) => {
    expect(mapRedshiftError(pgError(code)).code).toBe(expected);
  });

  it('maps socket errors to transient and keeps the cause', () => {
    const err = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const mapped = mapRedshiftError(err);
    expect(mapped.code).toBe('transient');
    expect(mapped.cause).toBe(err);
  });

  it('gives a connection-limit refusal a back-off and recognises the Redshift wording without a code', () => {
    expect(mapRedshiftError(pgError('53300')).retryAfterMs).toBeGreaterThan(0);
    expect(mapRedshiftError(new Error('connection limit "500" exceeded for non-bootstrap users')).code).toBe('rate-limited');
  });

  it('passes a ConnectorError through unchanged', () => {
    const own = new ConnectorError('cursor-invalid', 'bad');
    expect(mapRedshiftError(own)).toBe(own);
  });
});
