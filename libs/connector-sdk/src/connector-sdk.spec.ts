import { ConnectorError } from './connector.contract';
import { errorDisposition, networkError, rateLimited, retryAfterMs, toConnectorError } from './connector-errors';
import { deterministicUuid, observedRunEvent, statementFingerprint } from './observed-events';
import { timeWindows } from './time-windows';
import { FakeHttpServer, testContext } from './testing';

describe('connector error taxonomy', () => {
  it('turns each code into what the worker does', () => {
    expect(errorDisposition('transient')).toBe('retry');
    expect(errorDisposition('rate-limited')).toBe('throttle');
    expect(errorDisposition('cursor-invalid')).toBe('reset-cursor');
    expect(errorDisposition('auth-failed')).toBe('unrecoverable');
    expect(errorDisposition('not-found')).toBe('unrecoverable');
  });

  it('passes a ConnectorError through and maps anything else with the vendor function', () => {
    const own = rateLimited('slow down', 1500);
    expect(toConnectorError(own, () => new ConnectorError('transient', 'x'))).toBe(own);
    expect(toConnectorError(new Error('boom'), () => new ConnectorError('not-found', 'mapped')).code).toBe('not-found');
  });

  it('classifies socket errors as transient and nothing else', () => {
    expect(networkError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))?.code).toBe('transient');
    expect(networkError(new Error('plain'))).toBeNull();
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});

describe('observed events', () => {
  it('derives the same uuid from the same parts and a different one otherwise', () => {
    const a = deterministicUuid('redshift://c.r:5439', 42, 7);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('redshift://c.r:5439', 42, 7)).toBe(a);
    expect(deterministicUuid('redshift://c.r:5439', 42, 8)).not.toBe(a);
    expect(statementFingerprint('INSERT  INTO a\nSELECT 1')).toBe(statementFingerprint('insert into a select 1'));
  });

  it('builds a COMPLETE RunEvent with inputs, outputs, sql, row count and column lineage', () => {
    const event = observedRunEvent({
      producer: 'https://example.test/p',
      runId: deterministicUuid('x'),
      job: { namespace: 'redshift://c.r:5439', name: 'q' },
      eventTime: Date.UTC(2026, 0, 1),
      inputs: [{ namespace: 'ns', name: 'db.s.a' }],
      outputs: [{ namespace: 'ns', name: 'db.s.b', rowCount: 5, columnLineage: { id: [{ namespace: 'ns', name: 'db.s.a', field: 'id' }] } }],
      sql: 'insert into b select id from a',
      externalQueryId: '42',
      integration: 'REDSHIFT',
    });
    expect(event.eventType).toBe('COMPLETE');
    expect(event.eventTime).toBe('2026-01-01T00:00:00.000Z');
    expect(event.job.facets.sql.query).toContain('insert into b');
    expect(event.outputs[0].outputFacets.outputStatistics.rowCount).toBe(5);
    expect(event.outputs[0].facets.columnLineage.fields.id.inputFields[0]).toEqual({ namespace: 'ns', name: 'db.s.a', field: 'id' });
    expect(event.run.facets.externalQuery.externalQueryId).toBe('42');
  });
});

describe('time windows', () => {
  it('cuts [from, to) into windows of at most size, oldest first', () => {
    expect(timeWindows(0, 25, 10)).toEqual([
      { from: 0, to: 10 },
      { from: 10, to: 20 },
      { from: 20, to: 25 },
    ]);
    expect(timeWindows(5, 5, 10)).toEqual([]);
    expect(() => timeWindows(0, 1, 0)).toThrow(/positive/);
  });
});

describe('testing kit', () => {
  it('serves routes, counts per route and injects failures', async () => {
    const fake = await FakeHttpServer.start();
    try {
      fake.route('GET', '/items/:id', (_req, params) => ({ body: { id: params.id } }), 'item');
      fake.injectFailure({ status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '1' } }, 1);
      const first = await fetch(`${fake.url}/items/7`);
      expect(first.status).toBe(429);
      expect(first.headers.get('retry-after')).toBe('1');
      const second = await fetch(`${fake.url}/items/7`);
      expect(await second.json()).toEqual({ id: '7' });
      expect(fake.count('item')).toBe(1);
      expect(fake.count('injected')).toBe(1);
      expect((await fetch(`${fake.url}/nope`)).status).toBe(404);
    } finally {
      await fake.close();
    }
  });

  it('a gated test context holds requests until opened', async () => {
    const ctx = testContext({ gated: true });
    let ran = false;
    const pending = ctx.schedule(async () => (ran = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toBe(false);
    ctx.open();
    await pending;
    expect(ran).toBe(true);
    expect(ctx.scheduled).toBe(1);
  });
});
