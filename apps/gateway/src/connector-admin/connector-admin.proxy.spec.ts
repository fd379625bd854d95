import { DomainError } from '@lineage-hub/model';
import { confinePath } from './connector-admin.proxy';

describe('confinePath (the gateway -> worker connector proxy)', () => {
  it.each([
    ['/api/v1/connectors', '/api/v1/connectors'],
    ['/api/v1/connectors/', '/api/v1/connectors'],
    ['/api/v1/connectors/rs-1/runs', '/api/v1/connectors/rs-1/runs'],
    ['/api/v1/connectors/a%20b', '/api/v1/connectors/a%20b'],
    ['/api/v1/alerts/a1/ack', '/api/v1/alerts/a1/ack'],
    ['/api/v1/silences', '/api/v1/silences'],
  ])('%s -> %s', (path, expected) => {
    expect(confinePath(path)).toBe(expected);
  });

  it.each([
    '/api/v1/connectors/%2e%2e/%2e%2e/health',
    '/api/v1/connectors/%2E%2E/metrics',
    '/api/v1/connectors/../../metrics',
    '/api/v1/connectors/./x',
    '/api/v1/connectors/a%2f..%2f..%2fmetrics',
    '/api/v1/connectors/a%5c..',
    '/api/v1/connectors/%zz',
    '/api/v1/connectorsX',
    '/api/v1/alerts/%2e%2e/metrics',
    '/api/v1/alertsX',
    '/metrics',
  ])('refuses %s with a 400 naming path', (path) => {
    expect(() => confinePath(path)).toThrow(DomainError);
    try {
      confinePath(path);
    } catch (error) {
      expect((error as DomainError).field).toBe('path');
    }
  });

  it('never yields a URL that resolves outside the prefix', () => {
    for (const path of ['/api/v1/connectors/a/%2e%2e', '/api/v1/connectors/%2e']) {
      let out: string | null = null;
      try {
        out = confinePath(path);
      } catch {
        out = null;
      }
      if (out) expect(new URL(out, 'http://w').pathname.startsWith('/api/v1/connectors')).toBe(true);
    }
  });
});
