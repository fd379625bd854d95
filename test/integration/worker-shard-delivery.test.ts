/**
 * The worker delivers to shards through the typed shard contract (libs/federation ShardClient), issue 9:
 * - a connector run's events, observed writes and, after the run, its coverage record arrive in the shard's
 *   store (real worker, real Redis, the Redshift fake on real PostgreSQL, a real shard on a SQLite file);
 * - the shard's answer decides retry vs dead-letter: a refusal with a domain error code (invalid-argument) is a
 *   DeliveryRefusedError naming the field, a shard that does not answer is a transient ConnectorError.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isConnectorError, type PullBatch } from '@lineage-hub/connector-sdk';
import * as redshiftTesting from '@lineage-hub/connector-redshift/testing';
import { datasetId, type NodeId } from '@lineage-hub/model';
import { createStore } from '@lineage-hub/store';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { loadShardConfig } from '../../apps/shard/src/shard.config';
import { DeliveryRefusedError, ShardDelivery } from '../../apps/worker/src/delivery/shard-delivery';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(120_000);

const { RedshiftFake } = redshiftTesting;
const MIN = 60_000;

describe('worker -> shard delivery through the typed shard contract', () => {
  let shard: RunningShard;
  let worker: RunningWorker;
  let fake: Awaited<ReturnType<typeof RedshiftFake.create>>;
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-delivery-'));
  const storeFile = path.join(dir, 'sales.db');
  const prefix = uniquePrefix('dlv');
  const T0 = Math.floor((Date.now() - 5 * 60 * MIN) / MIN) * MIN;

  beforeAll(async () => {
    shard = await startShard(loadShardConfig({ PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'sales', STORE_URL: `sqlite:${storeFile}`, LOG_LEVEL: 'warn' }));
    fake = await RedshiftFake.create();
    await fake.seed({ start: T0, count: 20, spacingMs: MIN });
    worker = await startWorker(workerTestConfig({ REDIS_PREFIX: prefix, SHARDS: `sales=127.0.0.1:${shard.rpcPort}`, LH_TEST_RS_PASSWORD: 'x' }));
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'rs-delivery',
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
    rmSync(dir, { recursive: true, force: true });
  });

  it("files a run's coverage (its window, complete) with the shard of the instance's domain, beside its writes", async () => {
    const from = T0;
    const to = T0 + 30 * MIN;
    const queued = await http('POST', `${worker.url}/api/v1/connectors/rs-delivery/runs`, { from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    expect(queued.status).toBe(202);
    const run = await waitFor(
      async () => {
        const { body } = await http('GET', `${worker.url}/api/v1/connectors/rs-delivery/runs`);
        const r = body.runs.find((x: any) => x.runId === queued.body.runId);
        return r && (r.state === 'succeeded' || r.state === 'failed') ? r : undefined;
      },
      90_000,
      'the backfill run',
    );
    expect(run).toMatchObject({ state: 'succeeded', coverage: { complete: true } });
    expect(run.counts.observedWrites).toBeGreaterThan(0);
    expect(run.coverage.reportedAt).toEqual(expect.any(Number));

    const store = await createStore(`sqlite:${storeFile}`);
    try {
      const coverage = await store.findings.listCoverage(0);
      // the connector's dataset namespace (redshift://<cluster>.<region>:<port>), as its datasets are named
      expect(coverage).toEqual([
        expect.objectContaining({ connectorId: 'rs-delivery', platform: 'redshift', namespace: 'redshift://analytics-cluster.eu-west-1:5439', from, to, gaps: [] }),
      ]);
      // the writes the same run delivered are there too, under the same namespace
      const writes = await store.listObservedWrites({}, { limit: 1_000, offset: 0 });
      expect(writes.length).toBe(run.counts.observedWrites);
      expect(writes.every((w) => w.dataset.startsWith(`dataset:${coverage[0].namespace}`))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('tells a refusal (dead-letter, with the code and field) from a shard that did not answer (retry)', async () => {
    const batch = (dataset: NodeId): PullBatch => ({
      events: [],
      observedWrites: [{ dataset, sources: [], writtenAt: Date.now(), operation: 'INSERT', queryId: 'q-1', connectorId: 'rs-delivery' }],
      cursor: {},
      coverage: { windowStart: 0, windowEnd: 1, rowsRead: 1, gaps: [] },
    });
    const delivery = new ShardDelivery([{ domain: 'sales', host: '127.0.0.1', port: shard.rpcPort }, { domain: 'gone', host: '127.0.0.1', port: 9 }], null, 5_000);
    try {
      const refused = await delivery.deliver('sales', batch('not a node id' as NodeId)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DeliveryRefusedError);
      expect(refused).toMatchObject({ code: 'invalid-argument' });
      expect((refused as Error).message).toMatch(/dataset/);

      const unanswered = await delivery.deliver('gone', batch(datasetId('redshift://c.r:5439', 'dev.public.t'))).catch((e: unknown) => e);
      expect(isConnectorError(unanswered) && unanswered.code).toBe('transient');

      const unknown = await delivery.recordCoverage('nowhere', [{ connectorId: 'x', platform: 'redshift', namespace: 'redshift://c', from: 0, to: 1, gaps: [] }]).catch((e: unknown) => e);
      expect(isConnectorError(unknown) && unknown.code).toBe('transient');
      expect((unknown as Error).message).toMatch(/no shard for domain "nowhere"/);
    } finally {
      delivery.close();
    }
  });
});
