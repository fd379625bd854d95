import { DomainError } from '@lineage-hub/model';
import { ConnectorRegistry } from '../connector-registry';
import { minTimeFor, slidingWindowFor } from '../limits/account-limiters';
import { parseDuration, resolveSecrets, validateConnectorInstance } from './connector-instance';
import { redshiftConnectorFactory } from '@lineage-hub/connector-redshift';

const registry = new ConnectorRegistry([redshiftConnectorFactory]);
const base = {
  id: 'rs',
  kind: 'redshift',
  domain: 'finance',
  schedule: { every: '15m' },
  rateLimit: { requestsPerSecond: 5 },
  settings: { host: 'h', database: 'dev', user: 'u', password: { env: 'PW' }, clusterIdentifier: 'c', region: 'us-east-1' },
};
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as DomainError).field;
  }
  return undefined;
};

describe('connector instance validation', () => {
  it('accepts a valid instance and applies the vendor defaults', () => {
    const { settings } = validateConnectorInstance(base, registry, () => 'pw');
    expect(settings).toMatchObject({ port: 5439, ssl: true, mode: 'provisioned', password: 'pw' });
  });

  it('names the field at fault', () => {
    expect(fieldOf(() => validateConnectorInstance({ ...base, kind: 'nope' }, registry, () => 'pw'))).toBe('kind');
    expect(fieldOf(() => validateConnectorInstance({ ...base, rateLimit: { requestsPerSecond: -1 } }, registry, () => 'pw'))).toBe('rateLimit.requestsPerSecond');
    expect(fieldOf(() => validateConnectorInstance({ ...base, settings: { ...base.settings, port: 0 } }, registry, () => 'pw'))).toBe('settings.port');
    expect(fieldOf(() => validateConnectorInstance(base, registry, () => undefined))).toBe('settings.password');
  });

  it('resolves secret references at any depth and leaves other values alone', () => {
    expect(resolveSecrets({ a: { env: 'X' }, b: [{ env: 'Y' }], c: { d: 1 } }, (n) => `v-${n}`)).toEqual({ a: 'v-X', b: ['v-Y'], c: { d: 1 } });
  });

  it('parses durations', () => {
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('soon')).toBeNull();
  });
});

describe('limiter arithmetic', () => {
  it('paces at the limit and caps any window at the limit, with the send allowance', () => {
    expect(minTimeFor({ requestsPerSecond: 20 })).toBe(50);
    const w = slidingWindowFor({ requestsPerSecond: 12 });
    expect(w.sends).toBe(12);
    expect(w.windowMs).toBeGreaterThan(1000);
    const slow = slidingWindowFor({ requestsPerSecond: 0.5 });
    expect(slow.sends).toBe(1);
    expect(slow.windowMs).toBeGreaterThan(2000);
  });
});
