/**
 * npm run bench:connectors
 *
 * 1. The shared per-account limiter: two real worker processes run two connector instances of one vendor
 *    account at the same time against a wire-level fake vendor; the fake stamps each request on arrival.
 *    Reported: achieved request rate over the configured limit (target >= 95%) and the most requests that
 *    arrived within any one-second window (target: never above the limit). Baseline: the configured limit.
 * 2. Redshift throughput: one pull through the Redshift connector over a PostgreSQL fake holding N statements
 *    in STL_* shape; rows read from the system views per second and statements per second.
 *
 * Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (REDIS_URL / BENCH_PG_URL override).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { collectPull, testContext } from '@lineage-hub/connector-sdk/testing';
import { redshiftConnectorFactory } from '@lineage-hub/connector-redshift';
import * as redshiftTesting from '@lineage-hub/connector-redshift/testing';
import { FakeVendor } from '../apps/worker/src/testing/fake-vendor.connector';
import { spawnWorker, type WorkerProcess } from '../apps/worker/src/testing/worker-process';
import { dropPrefix, http, uniquePrefix, waitFor } from '../apps/worker/src/testing/worker-test-kit';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const maxInWindow = (times: number[], windowMs: number) => {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

/**
 * A shard stand-in that accepts every delivery (the shard is not what is measured here), in its own process
 * so its work never delays the fake vendor's arrival stamps. It speaks the shard contract's transport (Nest TCP
 * microservice, ShardAnswer values), as the worker delivers through the typed ShardClient.
 */
const SINK_SOURCE = `
require('reflect-metadata');
const { ServerTCP } = require('@nestjs/microservices');
const server = new ServerTCP({ host: '127.0.0.1', port: 0 });
const ok = (value) => Promise.resolve({ ok: true, value });
server.addHandler('lineage.ingest', (req) => {
  const n = (req && req.events ? req.events.length : 0);
  return ok({ status: 'success', summary: { received: n, successful: n, failed: 0, retriable: 0, non_retriable: 0 }, failed_events: [], duplicates: 0, warnings: [] });
});
server.addHandler('observed-writes.record', (req) => ok({ inserted: req && req.writes ? req.writes.length : 0, duplicates: 0 }));
server.addHandler('coverage.record', (req) => ok({ inserted: req && req.records ? req.records.length : 0, duplicates: 0 }));
server.listen(() => process.stdout.write(String(server.unwrap().address().port) + '\\n'));
`;

const startSink = async (): Promise<{ address: string; close(): void }> => {
  const child = spawn(process.execPath, ['-e', SINK_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d) => resolve(String(d).trim())));
  return { address: `127.0.0.1:${port}`, close: () => void child.kill() };
};

interface LimiterResult {
  limit: number;
  requests: number;
  seconds: number;
  achieved: number;
  maxPerSecond: number;
  over: number;
  /** The same, by the instant each request left its worker (x-sent-at). */
  maxPerSecondSent: number;
}

/** Instances per worker process: enough demand that requests always wait on the limiter, never on the pipeline. */
const INSTANCES_PER_WORKER = 4;

const limiterRun = async (limit: number, seconds: number, workers: WorkerProcess[]): Promise<LimiterResult> => {
  const instances = workers.length * INSTANCES_PER_WORKER;
  const pagesPerInstance = Math.ceil((limit * seconds) / instances);
  const vendor = await FakeVendor.start({ pages: pagesPerInstance, writesPerPage: 1 });
  try {
    const ids = Array.from({ length: instances }, (_, i) => `bench-${i}-${limit}`);
    for (const id of ids) {
      const res = await http('POST', `${workers[0].url}/api/v1/connectors`, {
        id,
        kind: 'fake-vendor',
        domain: 'bench',
        schedule: { every: '1h' },
        rateLimit: { requestsPerSecond: limit },
        enabled: false,
        settings: { baseUrl: vendor.url, account: `acct-${limit}` },
      });
      if (res.status !== 201) throw new Error(`could not create ${id}: ${JSON.stringify(res.body)}`);
    }
    const queued = await Promise.all(ids.map((id, i) => http('POST', `${workers[i % workers.length].url}/api/v1/connectors/${id}/runs`)));
    const runs = await Promise.all(
      ids.map((id, i) =>
        waitFor(
          async () => {
            const { body } = await http('GET', `${workers[0].url}/api/v1/connectors/${id}/runs`);
            const run = body.runs.find((r: any) => r.runId === queued[i].body.runId);
            return run?.state === 'succeeded' || run?.state === 'failed' ? run : undefined;
          },
          seconds * 4_000 + 30_000,
          `${id} to finish`,
        ),
      ),
    );
    if (runs.some((r) => r.state !== 'succeeded')) throw new Error(`bench runs failed: ${JSON.stringify(runs.map((r) => r.error))}`);
    if (new Set(runs.map((r) => r.worker)).size !== workers.length) throw new Error('the runs did not spread over both worker processes');
    const times = vendor.server.requests.map((r) => r.at).sort((a, b) => a - b);
    const span = (times[times.length - 1] - times[0]) / 1000;
    // n requests spaced evenly at the limit span (n - 1) / limit seconds.
    const achieved = (times.length - 1) / span;
    const maxPerSecond = maxInWindow(times, 1000);
    const maxPerSecondSent = maxInWindow(vendor.server.requests.map((r) => Number(r.headers['x-sent-at'])), 1000);
    return { limit, requests: times.length, seconds: span, achieved, maxPerSecond, over: Math.max(0, maxPerSecond - limit), maxPerSecondSent };
  } finally {
    await vendor.close();
  }
};

const redshiftThroughput = async (statements: number) => {
  const { RedshiftFake } = redshiftTesting;
  const fake = await RedshiftFake.create({ adminUrl: PG_URL });
  try {
    const now = Date.now();
    const seeded = await fake.seed({ start: now - 23 * 3_600_000, count: statements, spacingMs: Math.floor((22 * 3_600_000) / statements) });
    await fake.sql('ANALYZE');
    const connector = redshiftConnectorFactory.create(redshiftConnectorFactory.configSchema.parse(fake.config({ windowMinutes: 60, lagMinutes: 0 })));
    const started = process.hrtime.bigint();
    const result = await collectPull(connector, null, testContext({ now }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rowsRead = result.batches.reduce((n, b) => n + b.coverage.rowsRead, 0);
    const expected = seeded.filter((s) => s.writes).length;
    if (result.writes.length !== expected) throw new Error(`redshift pull lost writes: ${result.writes.length} of ${expected}`);
    return { statements, rowsRead, writes: result.writes.length, seconds, rowsPerSecond: rowsRead / seconds, statementsPerSecond: statements / seconds };
  } finally {
    await fake.drop();
  }
};

const main = async () => {
  const loadStart = os.loadavg();
  const prefix = uniquePrefix('bench');
  const sink = await startSink();
  const env = { REDIS_URL, REDIS_PREFIX: prefix, SHARDS: `bench=${sink.address}`, WORKER_CONCURRENCY: String(INSTANCES_PER_WORKER), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', CONNECTORS_FILE: '/nonexistent.yaml' };
  const workers = [await spawnWorker(env), await spawnWorker(env)];
  const limiter: LimiterResult[] = [];
  try {
    for (const [limit, seconds] of [
      [20, 15],
      [50, 15],
    ]) {
      const r = await limiterRun(limit, seconds, workers);
      limiter.push(r);
      process.stdout.write(`limiter ${limit}/s: ${r.requests} requests in ${r.seconds.toFixed(2)} s = ${r.achieved.toFixed(2)}/s (${((100 * r.achieved) / limit).toFixed(1)}% of the limit), max in any 1 s window ${r.maxPerSecond} at the vendor (${r.maxPerSecondSent} by send time), over ${r.over}\n`);
    }
  } finally {
    for (const w of workers) await w.kill('SIGTERM');
    sink.close();
    await dropPrefix(prefix, REDIS_URL);
  }
  const redshift = [];
  for (const n of [2_000, 10_000]) {
    const r = await redshiftThroughput(n);
    redshift.push(r);
    process.stdout.write(`redshift ${n} statements: ${r.rowsRead} system-view rows in ${r.seconds.toFixed(2)} s = ${Math.round(r.rowsPerSecond)} rows/s, ${Math.round(r.statementsPerSecond)} statements/s, ${r.writes} observed writes\n`);
  }
  const ok = limiter.every((r) => r.achieved >= 0.95 * r.limit && r.over === 0);
  process.stdout.write(`${JSON.stringify({ loadAverage: { start: loadStart, end: os.loadavg() }, limiter, redshift, targetMet: ok })}\n`);
  process.exit(ok ? 0 : 1);
};

main().catch((err) => {
  process.stderr.write(`bench:connectors failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
