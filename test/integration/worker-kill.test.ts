/**
 * A worker process killed midway (SIGKILL) and another started: the run resumes from the last delivered
 * batch and the shard ends with the same lineage as an uninterrupted run of the same source, nothing lost
 * and nothing twice. Real worker processes, real Redis, real shards.
 */
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { loadShardConfig } from '../../apps/shard/src/shard.config';
import { FakeVendor } from '../../apps/worker/src/testing/fake-vendor.connector';
import { spawnWorker, type WorkerProcess } from '../../apps/worker/src/testing/worker-process';
import { dropPrefix, http, TEST_REDIS_URL, uniquePrefix, waitFor } from '../../apps/worker/src/testing/worker-test-kit';

jest.setTimeout(90_000);

const PAGES = 30;

const shardFor = (domain: string) =>
  startShard(loadShardConfig({ PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn' }));

const lineageOf = async (shard: RunningShard) => {
  const { body } = await http('GET', `${shard.httpUrl}/api/v1/observed-writes?limit=10000`);
  const writes = body.observedWrites
    .map((w: any) => JSON.stringify({ dataset: w.dataset, sources: w.sources, queryId: w.queryId, writtenAt: w.writtenAt, rows: w.rows }))
    .sort();
  const { body: health } = await http('GET', `${shard.httpUrl}/health`);
  const { events, datasets, jobs, runs, edges } = health.store;
  return { writes, stats: { events, datasets, jobs, runs, edges } };
};

describe('a worker killed mid-run', () => {
  const prefix = uniquePrefix('kill');
  let interruptedShard: RunningShard;
  let referenceShard: RunningShard;
  let vendor: FakeVendor;
  const processes: WorkerProcess[] = [];

  beforeAll(async () => {
    interruptedShard = await shardFor('killed');
    referenceShard = await shardFor('reference');
    vendor = await FakeVendor.start({ pages: PAGES, delayMs: 20 });
  });

  afterAll(async () => {
    for (const p of processes) await p.kill();
    await interruptedShard?.close();
    await referenceShard?.close();
    await vendor?.close();
    await dropPrefix(prefix);
  });

  it('resumes where it stopped and yields the same lineage as an uninterrupted run', async () => {
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      SHARDS: `killed=127.0.0.1:${interruptedShard.rpcPort},reference=127.0.0.1:${referenceShard.rpcPort}`,
      RUN_LOCK_MS: '1500',
      WORKER_CONCURRENCY: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CONNECTORS_FILE: '/nonexistent.yaml',
    };
    const first = await spawnWorker(env);
    processes.push(first);
    const instance = (id: string, domain: string, account: string) => ({
      id,
      kind: 'fake-vendor',
      domain,
      schedule: { every: '1h' },
      rateLimit: { requestsPerSecond: 10 },
      enabled: false,
      settings: { baseUrl: vendor.url, account },
    });
    expect((await http('POST', `${first.url}/api/v1/connectors`, instance('interrupted', 'killed', 'acme'))).status).toBe(201);
    expect((await http('POST', `${first.url}/api/v1/connectors`, instance('uninterrupted', 'reference', 'acme'))).status).toBe(201);

    const { body: queued } = await http('POST', `${first.url}/api/v1/connectors/interrupted/runs`);
    await waitFor(
      async () => {
        const { body } = await http('GET', `${first.url}/api/v1/connectors/interrupted/runs`);
        return body.runs[0]?.counts.batches >= 10;
      },
      30_000,
      'the run to be a third of the way through',
    );
    await first.kill('SIGKILL');
    const partial = await lineageOf(interruptedShard);
    expect(partial.writes.length).toBeGreaterThan(0);
    expect(partial.writes.length).toBeLessThan(PAGES * 3);

    const second = await spawnWorker(env);
    processes.push(second);
    const resumed = await waitFor(
      async () => {
        const { body } = await http('GET', `${second.url}/api/v1/connectors/interrupted/runs`);
        const run = body.runs.find((r: any) => r.runId === queued.runId);
        return run?.state === 'succeeded' ? run : undefined;
      },
      45_000,
      'the interrupted run to be picked up and finish',
    );
    expect(resumed.worker).not.toBeNull();

    const { body: refQueued } = await http('POST', `${second.url}/api/v1/connectors/uninterrupted/runs`);
    await waitFor(
      async () => {
        const { body } = await http('GET', `${second.url}/api/v1/connectors/uninterrupted/runs`);
        return body.runs.find((r: any) => r.runId === refQueued.runId && r.state === 'succeeded');
      },
      30_000,
      'the reference run',
    );

    const killed = await lineageOf(interruptedShard);
    const reference = await lineageOf(referenceShard);
    expect(killed.writes.length).toBe(PAGES * 3);
    expect(killed.writes).toEqual(reference.writes);
    expect(killed.stats).toEqual(reference.stats);
    // Only the page in flight when the worker died was asked for twice.
    const pagesAskedTwice = Array.from({ length: PAGES }, (_, p) => vendor.requestsFor(p)).filter((n) => n > 2);
    expect(pagesAskedTwice.length).toBeLessThanOrEqual(1);
  });
});
