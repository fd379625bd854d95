/**
 * Windows and cursors through the admin API (issue 16): a backfill / re-run of an explicit window reads exactly
 * [from, to), is recorded with that window, and leaves the cursor alone; two runs over adjacent windows give
 * exactly what one run over both gives; the cursor is read and set through GET|PUT .../cursor. Real Redis,
 * real PostgreSQL (the Redshift fake), a real shard.
 */
import * as redshiftTesting from '@lineage-hub/connector-redshift/testing';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { loadShardConfig } from '../../apps/shard/src/shard.config';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(90_000);

const { RedshiftFake } = redshiftTesting;
const MIN = 60_000;

describe('worker: windows and cursors through the admin API', () => {
  let shard: RunningShard;
  let worker: RunningWorker;
  let fake: Awaited<ReturnType<typeof RedshiftFake.create>>;
  const prefix = uniquePrefix('win');
  const T0 = Math.floor((Date.now() - 5 * 60 * MIN) / 60_000) * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    shard = await startShard(loadShardConfig({ PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'sales', STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn' }));
    fake = await RedshiftFake.create();
    // One statement a minute from T0: statement 15 starts exactly on the border T0 + 15 min.
    await fake.seed({ start: T0, count: 30, spacingMs: MIN });
    worker = await startWorker(workerTestConfig({ REDIS_PREFIX: prefix, SHARDS: `sales=127.0.0.1:${shard.rpcPort}`, LH_TEST_RS_PASSWORD: 'x' }));
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'rs-windows',
      kind: 'redshift',
      domain: 'sales',
      schedule: { every: '1h' },
      enabled: false,
      rateLimit: { requestsPerSecond: 50 },
      settings: { ...fake.config({ windowMinutes: 60, lagMinutes: 0 }), password: { env: 'LH_TEST_RS_PASSWORD' } },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await worker?.close();
    await shard?.close();
    await fake?.drop();
    await dropPrefix(prefix);
  });

  const runWindow = async (from: number, to: number) => {
    const queued = await http('POST', `${worker.url}/api/v1/connectors/rs-windows/runs`, { from: iso(from), to: iso(to) });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ trigger: 'backfill', window: { from: iso(from), to: iso(to) } });
    return waitFor(
      async () => {
        const { body } = await http('GET', `${worker.url}/api/v1/connectors/rs-windows/runs`);
        const run = body.runs.find((r: any) => r.runId === queued.body.runId);
        return run && (run.state === 'succeeded' || run.state === 'failed') ? run : undefined;
      },
      60_000,
      `the backfill of ${iso(from)}..${iso(to)}`,
    );
  };

  it('sets and reads the cursor: by watermark (the connector builds it) or raw', async () => {
    const set = await http('PUT', `${worker.url}/api/v1/connectors/rs-windows/cursor`, { watermark: iso(T0 + 45 * MIN) });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ connectorId: 'rs-windows', watermark: iso(T0 + 45 * MIN), cursor: { watermark: T0 + 45 * MIN, seen: [] } });
    const read = await http('GET', `${worker.url}/api/v1/connectors/rs-windows/cursor`);
    expect(read.body).toEqual(set.body);
    const raw = await http('PUT', `${worker.url}/api/v1/connectors/rs-windows/cursor`, { cursor: { watermark: T0 + 40 * MIN, seen: [] } });
    expect(raw.body).toMatchObject({ cursor: { watermark: T0 + 40 * MIN, seen: [] }, watermark: null });
  });

  it.each([
    [{ from: 'yesterday', to: new Date().toISOString() }, 'from'],
    [{ from: new Date(T0).toISOString() }, 'to'],
    [{ from: new Date(T0 + MIN).toISOString(), to: new Date(T0).toISOString() }, 'to'],
    [{ from: new Date(T0).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() }, 'to'],
    [{ since: new Date(T0).toISOString() }, 'since'],
  ])('refuses a bad run window %j with a 400 naming %s, and queues nothing', async (body, field) => {
    const before = (await http('GET', `${worker.url}/api/v1/connectors/rs-windows/runs`)).body.runs.length;
    const res = await http('POST', `${worker.url}/api/v1/connectors/rs-windows/runs`, body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect((await http('GET', `${worker.url}/api/v1/connectors/rs-windows/runs`)).body.runs.length).toBe(before);
  });

  it('refuses a bad cursor body with the field named', async () => {
    expect((await http('PUT', `${worker.url}/api/v1/connectors/rs-windows/cursor`, { watermark: 'soon' })).body.field).toBe('watermark');
    expect((await http('PUT', `${worker.url}/api/v1/connectors/rs-windows/cursor`, { cursor: [1] })).body.field).toBe('cursor');
  });

  it('adjacent windows give exactly what one window over both gives; backfills record their window and keep the cursor', async () => {
    const before = (await http('GET', `${worker.url}/api/v1/connectors/rs-windows/cursor`)).body;
    const a = await runWindow(T0, T0 + 15 * MIN);
    const b = await runWindow(T0 + 15 * MIN, T0 + 30 * MIN);
    const whole = await runWindow(T0, T0 + 30 * MIN);
    for (const run of [a, b, whole]) {
      expect(run.state).toBe('succeeded');
      expect(run.coverage.complete).toBe(true);
    }
    expect(a.window).toEqual({ from: iso(T0), to: iso(T0 + 15 * MIN) });
    expect(b.window).toEqual({ from: iso(T0 + 15 * MIN), to: iso(T0 + 30 * MIN) });
    expect(whole.counts.observedWrites).toBeGreaterThan(0);
    expect(a.counts.observedWrites + b.counts.observedWrites).toBe(whole.counts.observedWrites);
    expect(a.counts.events + b.counts.events).toBe(whole.counts.events);
    // Every window read lies inside the requested one.
    for (const run of [a, b])
      for (const w of run.coverage.windows) {
        expect(Date.parse(w.from)).toBeGreaterThanOrEqual(Date.parse(run.window.from));
        expect(Date.parse(w.to)).toBeLessThanOrEqual(Date.parse(run.window.to));
      }
    // The shard holds each write once: the whole window re-delivered nothing new.
    const stored = await http('GET', `${shard.httpUrl}/api/v1/observed-writes?limit=1000`);
    const writes = Array.isArray(stored.body) ? stored.body : (stored.body.writes ?? stored.body.observedWrites ?? []);
    expect(writes.length).toBe(whole.counts.observedWrites);
    // Backfills never move the cursor.
    expect((await http('GET', `${worker.url}/api/v1/connectors/rs-windows/cursor`)).body).toEqual(before);
  });
});
