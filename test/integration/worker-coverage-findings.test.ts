/**
 * Coverage end to end (issue 11): a real worker (real Redis) runs a connector against a wire-level fake vendor and
 * files each run's coverage with a real shard (SQLite file); the shard's findings evaluation reads it:
 * - a run that lost a window (the vendor refused its cursor) is a coverage-gap finding with that window;
 * - a declared output the connector saw no write to, over runs whose windows it read completely, is an
 *   unobserved-output finding; over runs whose windows touch the gap there is none;
 * - staleness is judged only up to what the connector has read: a dataset due after that point is not stale
 *   although its due time has long passed, one due before it is.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalDataset, datasetId, jobId } from '@lineage-hub/model';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { loadShardConfig } from '../../apps/shard/src/shard.config';
import { CONNECTOR_FACTORIES } from '../../apps/worker/src/connector-registry';
import { FakeVendor, fakeVendorConnectorFactory } from '../../apps/worker/src/testing/fake-vendor.connector';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';

jest.setTimeout(120_000);

const MIN = 60_000;
const NS = canonicalDataset('fake://coverage', 'x').namespace;
const ds = (name: string) => datasetId(NS, canonicalDataset(NS, name).name);

const runEvents = (job: string, startedAt: number, output: string) => {
  const runId = randomUUID();
  const event = (eventType: string, time: number) => ({
    eventType,
    eventTime: new Date(time).toISOString(),
    producer: 'https://example.com/worker-coverage-findings-test',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId, facets: {} },
    job: { namespace: 'pipelines', name: job, facets: {} },
    inputs: [],
    outputs: [{ namespace: NS, name: output }],
  });
  return [event('START', startedAt), event('COMPLETE', startedAt + MIN)];
};

describe('coverage from a real worker drives the shard findings', () => {
  const prefix = uniquePrefix('covfind');
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-coverage-findings-'));
  let shard: RunningShard;
  let worker: RunningWorker;
  let vendor: FakeVendor;
  // the vendor's history starts two hours ago (whole minutes): page n holds the writes of minute n
  const start = Math.floor((Date.now() - 120 * MIN) / MIN) * MIN;

  const runUntilDone = async () => {
    const { body: queued } = await http('POST', `${worker.url}/api/v1/connectors/fake-coverage/runs`);
    return waitFor(
      async () => {
        const { body } = await http('GET', `${worker.url}/api/v1/connectors/fake-coverage/runs`);
        const run = body.runs.find((r: any) => r.runId === queued.runId);
        // done, and its coverage filed with the shard
        return run && (run.state === 'succeeded' || run.state === 'failed') && run.coverage.reportedAt ? run : undefined;
      },
      90_000,
      'the connector run and its coverage report',
    );
  };

  beforeAll(async () => {
    shard = await startShard(
      loadShardConfig({ PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'ops', STORE_URL: `sqlite:${path.join(dir, 'ops.db')}`, LOG_LEVEL: 'warn', FINDINGS_INTERVAL_MS: '0' }),
    );
    vendor = await FakeVendor.start({ pages: 30, start });
    worker = await startWorker(workerTestConfig({ REDIS_PREFIX: prefix, SHARDS: `ops=127.0.0.1:${shard.rpcPort}` }), { factories: [...CONNECTOR_FACTORIES, fakeVendorConnectorFactory] });
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'fake-coverage',
      kind: 'fake-vendor',
      domain: 'ops',
      schedule: { every: '1h' },
      rateLimit: { requestsPerSecond: 100 },
      enabled: false,
      settings: { baseUrl: vendor.url, account: 'coverage' },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await worker?.close();
    await shard?.close();
    await vendor?.close();
    await dropPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns a lost window into a coverage-gap, and judges unobserved outputs and staleness only where it read', async () => {
    // run 1 reads minutes 0-29 completely; then the vendor purges minutes 30-44 and forgets its page tokens, so
    // run 2 loses that window (a gap) and reads minutes 45-59
    const first = await runUntilDone();
    expect(first).toMatchObject({ state: 'succeeded', coverage: { complete: true } });
    vendor.publish(60);
    vendor.expireTokens(45);
    const second = await runUntilDone();
    expect(second).toMatchObject({ state: 'succeeded', coverage: { complete: false } });
    expect(second.coverage.gaps).toEqual([expect.objectContaining({ kind: 'cursor-invalid' })]);
    const gap = { from: Date.parse(second.coverage.gaps[0].from), to: Date.parse(second.coverage.gaps[0].to) };
    expect(gap).toEqual({ from: start + 30 * MIN, to: start + 45 * MIN });

    // declared runs: three of `declared.complete` inside what run 1 read, three of `declared.gapped` touching the
    // gap; neither output was ever written; every table of the namespace is due 20 minutes after its last update
    const events = [
      ...[8, 12, 16].flatMap((m) => runEvents('declared.complete', start + m * MIN, 'warehouse.mart.declared_out')),
      ...[35, 39, 43].flatMap((m) => runEvents('declared.gapped', start + m * MIN, 'warehouse.mart.gapped_out')),
    ];
    for (const e of events) expect((await http('POST', `${shard.httpUrl}/api/v1/lineage`, e)).status).toBe(200);
    expect((await http('PUT', `${shard.httpUrl}/api/v1/freshness-policies`, { policies: [{ namespace: NS, warnAfter: '20m' }] })).status).toBe(200);

    const evaluated = await http('POST', `${shard.httpUrl}/api/v1/findings/evaluate?mode=full`);
    expect(evaluated.status).toBe(200);
    const open = async (kind: string) => (await http('GET', `${shard.httpUrl}/api/v1/findings?kind=${kind}&status=open`)).body.findings as any[];

    expect((await open('coverage-gap')).map((f) => f.key)).toEqual([`coverage-gap|fake-coverage|gap:${gap.from}-${gap.to}`]);
    expect((await open('unobserved-output')).map((f) => f.key)).toEqual([`unobserved-output|${jobId('pipelines', 'declared.complete')}|${ds('warehouse.mart.declared_out')}`]);
    // declared_out was due at minute 37, before the connector's last read (minute ~61): stale. gapped_out (due at
    // minute 64) and the vendor's tables (written up to minute 59) are due after it: not stale, though the clock
    // is an hour past their due times
    expect((await open('stale')).map((f) => f.dataset)).toEqual([ds('warehouse.mart.declared_out')]);
    const gapped = await http('GET', `${shard.httpUrl}/api/v1/freshness?dataset=${encodeURIComponent(ds('warehouse.mart.gapped_out'))}`);
    expect(gapped.body).toMatchObject({ source: 'policy', lastUpdate: start + 44 * MIN, expectedBy: start + 64 * MIN });
    expect(gapped.body.status).not.toBe('stale');
    expect(Date.now()).toBeGreaterThan(gapped.body.expectedBy);
  });
});
