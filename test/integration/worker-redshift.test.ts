/**
 * The done-when path, in one process each: a Redshift connector (against its PostgreSQL fake) configured
 * through the admin API runs on its schedule, its observed lineage lands in the domain's shard, and its run
 * history shows windows, counts and coverage. Real Redis (BullMQ, limiter, state) and real PostgreSQL.
 */
import * as redshiftTesting from '@lineage-hub/connector-redshift/testing';
import { datasetId } from '@lineage-hub/model';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { loadShardConfig } from '../../apps/shard/src/shard.config';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(60_000);

const { RedshiftFake } = redshiftTesting;
const HOUR = 3_600_000;
const NAMESPACE = 'redshift://analytics-cluster.eu-west-1:5439';

describe('worker: Redshift connector end to end', () => {
  let shard: RunningShard;
  let worker: RunningWorker;
  let fake: Awaited<ReturnType<typeof RedshiftFake.create>>;
  let seeded: Awaited<ReturnType<Awaited<ReturnType<typeof RedshiftFake.create>>['seed']>>;
  const prefix = uniquePrefix('rs');

  beforeAll(async () => {
    shard = await startShard(loadShardConfig({ PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'sales', STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn' }));
    fake = await RedshiftFake.create();
    seeded = await fake.seed({ start: Date.now() - 3 * HOUR, count: 40, spacingMs: 4 * 60_000 });
    worker = await startWorker(
      workerTestConfig({ REDIS_PREFIX: prefix, SHARDS: `sales=127.0.0.1:${shard.rpcPort}`, LH_TEST_RS_PASSWORD: 'not-needed-with-trust-auth' }),
    );
  });

  afterAll(async () => {
    await worker?.close();
    await shard?.close();
    await fake?.drop();
    await dropPrefix(prefix);
  });

  it('runs on schedule, delivers observed lineage to the shard, and records windows, counts and coverage', async () => {
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'redshift-analytics',
      kind: 'redshift',
      domain: 'sales',
      schedule: { every: '2s' },
      rateLimit: { requestsPerSecond: 50 },
      settings: { ...fake.config({ windowMinutes: 60, lagMinutes: 0 }), password: { env: 'LH_TEST_RS_PASSWORD' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.settings.password).toEqual({ env: 'LH_TEST_RS_PASSWORD' });

    const expected = seeded.filter((s) => s.writes);
    const run = await waitFor(
      async () => {
        const { body } = await http('GET', `${worker.url}/api/v1/connectors/redshift-analytics/runs`);
        return body.runs.find((r: any) => r.state === 'succeeded' && r.counts.observedWrites > 0);
      },
      30_000,
      'a scheduled run to succeed',
    );
    expect(run.trigger).toBe('schedule');
    expect(run.counts.observedWrites).toBe(expected.length);
    expect(run.counts.events).toBe(expected.length);
    expect(run.counts.rowsRead).toBeGreaterThan(expected.length);
    expect(run.coverage.windowsCovered).toBeGreaterThanOrEqual(24);
    // Run history times are ISO-8601, like every other answer.
    expect(run.coverage.windows[0]).toEqual(expect.objectContaining({ from: expect.stringMatching(/Z$/), to: expect.stringMatching(/Z$/), rowsRead: expect.any(Number) }));
    expect(run.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    // The fixture's statements into a temporary table (absent from SVV_TABLE_INFO) are not datasets and not a gap:
    // a gap is a window the connector could not read.
    expect(run.coverage.complete).toBe(true);
    expect(run.coverage.gaps).toEqual([]);
    expect(run.coverage.columnLineage.statements).toBe(expected.length);
    expect(Date.parse(run.window.to) - Date.parse(run.window.from)).toBeGreaterThanOrEqual(23 * HOUR);

    const { body } = await http('GET', `${shard.httpUrl}/api/v1/observed-writes?limit=1000`);
    const inShard = new Map<string, any>(body.observedWrites.map((w: any) => [w.queryId, w]));
    for (const s of expected) {
      const w = inShard.get(String(s.query));
      expect(w).toBeDefined();
      expect(w.dataset).toBe(datasetId(NAMESPACE, `${s.target!.database}.${s.target!.schema}.${s.target!.name}`.toLowerCase()));
      expect(w.connectorId).toBe('redshift-analytics');
    }

    // The next scheduled runs resume from the cursor: nothing delivered twice.
    await waitFor(
      async () => {
        const { body: runs } = await http('GET', `${worker.url}/api/v1/connectors/redshift-analytics/runs`);
        return runs.runs.filter((r: any) => r.state === 'succeeded').length >= 2;
      },
      30_000,
      'a second scheduled run',
    );
    const { body: after } = await http('GET', `${shard.httpUrl}/api/v1/observed-writes?limit=1000`);
    expect(after.observedWrites.length).toBe(expected.length);

    const status = await http('GET', `${worker.url}/api/v1/connectors/redshift-analytics`);
    expect(status.body.status.watermark).not.toBeNull();
    expect(status.body.status.lagSeconds).toBeLessThan(120);

    const metrics = await http('GET', `${worker.url}/metrics`);
    expect(metrics.body).toMatch(/lh_connector_runs_total\{connector="redshift-analytics",kind="redshift",state="succeeded"\} \d+/);
    expect(metrics.body).toMatch(/lh_connector_lag_seconds\{connector="redshift-analytics"\} \d+/);
    const health = await http('GET', `${worker.url}/health`);
    expect(health.body).toMatchObject({ status: 'ok', connectors: 'enabled', redis: 'up' });
  });
});
