/**
 * Ingest throughput (npm run bench:ingest), SQLite and PostgreSQL, beside the raw insert rate of the same
 * database measured in the same run.
 *
 * Workload: realistic OpenLineage RunEvents (START + COMPLETE per run) for a few thousand jobs reading 1-3
 * tables and writing 1, with schema facets (4-16 fields) and columnLineage on a third of the outputs.
 * Paths: in-process prepareEvent (libs/model) + store.ingest; then, when the shard is built
 * (dist/apps/shard/src/main.js), through its HTTP endpoints POST /api/v1/lineage and /api/v1/lineage/batch.
 * Raw baselines (bare table in the same database, same transaction sizes): "insert only" (rows prepared before
 * the clock) and "serialise+hash+insert" (JSON.stringify + sha256 + INSERT in the clock). The target:
 * batch store.ingest >= 25% of the raw batch rate. See runAll() for what each figure measures.
 *
 * Env: BENCH_JOBS (3000), BENCH_RUNS (2 runs per job), BENCH_BATCH (500), BENCH_SINGLE (1500 events),
 *      BENCH_WARMUP (3000 untimed events first, see WARMUP), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres; a fresh database is created and dropped),
 *      BENCH_WIDE (10000,50000,100000 inputs of the wide job; 0 skips it),
 *      BENCH_ONLY=sqlite|postgres to run one store, BENCH_HTTP=0 to skip the HTTP part, BENCH_INPROCESS=0 to skip the
 *      in-process part, BENCH_READS=0 to skip the reads under ingest, BENCH_IDLE_READS (300), BENCH_BUSY_READS (600),
 *      BENCH_READ_DEPTH (3), BENCH_HTTP_SINGLE (500 events), BENCH_HTTP_BATCHES (12 batches), BENCH_WRITE=0 not to replace the "## Ingest"
 *      section of bench/RESULTS.md (replaced by default), BENCH_SHARD_NODE_ARGS (node flags of the shard the HTTP part
 *      starts, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"). Run from the repository root.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import { createEventValidator, type EventValidator } from '@lineage-hub/model';
import { createStore, type LineageStore, raiseWriterThreshold, SqliteCheckpointer, SQLITE_PAGE_SIZE } from '@lineage-hub/store';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { commitCounters, ownCpuSeconds, postJson, processCpuSeconds } from './ingest-http-client';
import { replaceResultsSection } from './results-section';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const JOBS = env('BENCH_JOBS', 3000);
const RUNS = env('BENCH_RUNS', 2);
const BATCH = env('BENCH_BATCH', 500);
const SINGLE = env('BENCH_SINGLE', 1500);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** npm scripts run at the repository root. */
const ROOT = process.cwd();

// ---------------------------------------------------------------- workload

const rng = (() => {
  let s = 42;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
})();
const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
const TYPES = ['INTEGER', 'BIGINT', 'VARCHAR', 'TIMESTAMP', 'DECIMAL(18,2)', 'BOOLEAN', 'DATE'];
const DOMAINS = ['sales', 'finance', 'marketing', 'ops', 'risk', 'hr'];
const TABLES = Array.from({ length: Math.max(50, Math.round(JOBS * 1.5)) }, (_, i) => {
  const domain = DOMAINS[i % DOMAINS.length];
  const fields = Array.from({ length: 4 + Math.floor(rng() * 12) }, (_, f) => ({ name: `col_${f}`, type: pick(TYPES), description: f === 0 ? 'primary key' : undefined }));
  return { namespace: 'postgres://warehouse.internal:5432', name: `analytics.${domain}.table_${i}`, fields };
});

const producer = 'https://github.com/OpenLineage/OpenLineage/tree/1.19.0/integration/airflow';
const schemaFacet = (fields: Array<{ name: string; type: string; description?: string }>) => ({
  _producer: producer,
  _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet',
  fields,
});

const uuid = () => {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/**
 * The workload's events. `place` moves every job and dataset to namespaces of their own (the warm-up's events share
 * no node with the measured ones, so the measured workload meets the same empty graph either way).
 */
export const generate = (place = ''): Array<Record<string, any>> => {
  const events: Array<Record<string, any>> = [];
  const at = (t: { namespace: string; name: string }) => ({ namespace: place ? t.namespace.replace('://', `://${place}-`) : t.namespace, name: t.name });
  const base = Date.parse('2024-06-01T00:00:00Z');
  for (let r = 0; r < RUNS; r += 1) {
    for (let j = 0; j < JOBS; j += 1) {
      const inputs = Array.from({ length: 1 + (j % 3) }, (_, k) => TABLES[(j * 7 + k * 13) % TABLES.length]);
      const output = TABLES[(j * 11 + 5) % TABLES.length];
      const start = base + (r * JOBS + j) * 1000;
      const runId = uuid();
      const job = { namespace: `${place ? `${place}-` : ''}airflow-${DOMAINS[j % DOMAINS.length]}`, name: `dag_${Math.floor(j / 10)}.task_${j % 10}` };
      const jobFacets = {
        jobType: { _producer: producer, _schemaURL: 'https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet', processingType: 'BATCH', integration: 'AIRFLOW', jobType: 'TASK' },
        sql: { _producer: producer, _schemaURL: 'https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet', query: `INSERT INTO ${output.name} SELECT * FROM ${inputs.map((i) => i.name).join(' JOIN ')}` },
      };
      const outputFacets: Record<string, unknown> = { schema: schemaFacet(output.fields) };
      if (j % 3 === 0) {
        outputFacets.columnLineage = {
          _producer: producer,
          _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
          fields: Object.fromEntries(
            output.fields.slice(0, 4).map((f, k) => [
              f.name,
              { inputFields: [{ ...at(inputs[0]), field: inputs[0].fields[k % inputs[0].fields.length].name, transformations: [{ type: 'DIRECT', subtype: k === 0 ? 'IDENTITY' : 'TRANSFORMATION', description: '', masking: k === 3 }] }] },
            ]),
          ),
          dataset: [{ ...at(inputs[0]), field: inputs[0].fields[0].name, transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] }],
        };
      }
      const common = {
        producer,
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        job: { ...job, facets: jobFacets },
        inputs: inputs.map((t) => ({ ...at(t), facets: { schema: schemaFacet(t.fields) } })),
        outputs: [{ ...at(output), facets: outputFacets }],
      };
      events.push({ ...common, eventType: 'START', eventTime: new Date(start).toISOString(), run: { runId, facets: {} } });
      events.push({ ...common, eventType: 'COMPLETE', eventTime: new Date(start + 400).toISOString(), run: { runId, facets: {} } });
    }
  }
  return events;
};

// ---------------------------------------------------------------- measurement

interface Measure {
  events: number;
  seconds: number;
  rate: number;
}
const measure = async (events: number, fn: () => Promise<void>): Promise<Measure> => {
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  return { events, seconds, rate: events / seconds };
};

const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

interface RawRow {
  seq: number;
  hash: string;
  payload: string;
  time: number;
}
const rawRow = (e: Record<string, any>, seq: number): RawRow => {
  const payload = JSON.stringify(e);
  return { seq, hash: createHash('sha256').update(payload).digest('hex'), payload, time: Date.parse(e.eventTime) };
};

interface Result {
  store: string;
  /** Load average (1 min) at the start and at the end of this store's run. */
  load: string;
  raw: { single: Measure; batchInsertOnly: Measure; batch: Measure };
  ingest: { single: Measure; batch: Measure; batchWithPrepare: Measure };
}

const sum = (ms: Measure[]): Measure => {
  const events = ms.reduce((n, m) => n + m.events, 0);
  const seconds = ms.reduce((n, m) => n + m.seconds, 0);
  return { events, seconds, rate: events / seconds };
};

/** A bare events table and how to insert rows into it, one transaction per call. */
interface RawTarget {
  insert(rows: RawRow[]): Promise<void>;
}

/** A full garbage collection, outside the clocks, so no figure pays for another's garbage. */
v8.setFlagsFromString('--expose-gc');
const collectGarbage: () => void = runInNewContext('gc');

const ROUNDS = 10;

/**
 * Events ingested untimed before the rounds (BENCH_WARMUP), a tenth one at a time and the rest in batches, into the
 * store and into every raw table alike: the rounds time a running store, not V8 compiling its code (a shard runs
 * for days). They come from the same generator with their jobs and datasets in namespaces of their own, so the
 * measured events meet no node of theirs and do the same work as without a warm-up.
 */
const WARMUP = env('BENCH_WARMUP', 3000);

/**
 * Raw baselines and the store on the same events, in ROUNDS rounds that alternate which goes first, so that load
 * from other processes on the machine hits every figure alike. Before each timed phase, outside the clock:
 * a full GC and a database checkpoint (`settle`), so each phase pays for its own garbage and its own WAL.
 * - raw single: one serialise + sha256 + INSERT per transaction;
 * - raw batch, insert only: rows (payload text, hash) prepared before the clock;
 * - raw batch: serialise + sha256 + INSERT inside the clock (what any event store does with a received event);
 * - ingest single: store.ingest([one]) with prepared inputs;
 * - ingest batch: store.ingest(500) with prepared inputs, for half of each round's calls;
 * - ingest batch with prepareEvent: validation + canonicalisation + store.ingest(500), the other half.
 */
const runAll = async (
  raws: { single: RawTarget; insertOnly: RawTarget; full: RawTarget },
  store: LineageStore,
  validator: EventValidator,
  split: Split,
  settle: () => Promise<void>,
) => {
  const m = { rawSingle: [] as Measure[], single: [] as Measure[], insertOnly: [] as Measure[], rawBatch: [] as Measure[], storeOnly: [] as Measure[], withPrepare: [] as Measure[] };
  /** Times fn into `into`, after a checkpoint and a full GC outside the clock; untimed (the warm-up) when into is null. */
  const timed = async (into: Measure[] | null, events: number, fn: () => Promise<void>) => {
    if (!into) return fn();
    await settle();
    collectGarbage();
    into.push(await measure(events, fn));
  };
  let rawSeq = 0;
  let insertOnlySeq = 0;
  let fullSeq = 0;
  const raw = async (singles: Array<Record<string, any>>, batches: Array<Array<Record<string, any>>>, warm: boolean) => {
    await timed(warm ? null : m.rawSingle, singles.length, async () => {
      for (const e of singles) await raws.single.insert([rawRow(e, ++rawSeq)]);
    });
    const rows = batches.map((part) => part.map((e) => rawRow(e, ++insertOnlySeq)));
    await timed(warm ? null : m.insertOnly, rows.flat().length, async () => {
      for (const part of rows) await raws.insertOnly.insert(part);
    });
    await timed(warm ? null : m.rawBatch, rows.flat().length, async () => {
      for (const part of batches) await raws.full.insert(part.map((e) => rawRow(e, ++fullSeq)));
    });
  };
  const ingest = async (singles: Array<Record<string, any>>, batches: Array<Array<Record<string, any>>>, warm: boolean) => {
    const inputs = singles.map((e) => validator.prepare(e).input);
    await timed(warm ? null : m.single, inputs.length, async () => {
      for (const input of inputs) await store.ingest([input]);
    });
    const plain = batches.filter((_, i) => i % 2 === 0).map((part) => part.map((e) => validator.prepare(e).input));
    await timed(warm ? null : m.storeOnly, plain.flat().length, async () => {
      for (const part of plain) await store.ingest(part);
    });
    const withPrepare = batches.filter((_, i) => i % 2 === 1);
    await timed(warm ? null : m.withPrepare, withPrepare.flat().length, async () => {
      for (const part of withPrepare) await store.ingest(part.map((e) => validator.prepare(e).input));
    });
  };
  // the warm-up: every path below, untimed, on events of jobs and datasets of their own (see WARMUP)
  const warmSingles = split.warm.slice(0, Math.round(split.warm.length / 10));
  const warmBatches = chunk(split.warm.slice(warmSingles.length), BATCH);
  await raw(warmSingles, warmBatches, true);
  await ingest(warmSingles, warmBatches, true);
  const singleRounds = chunk(split.single, Math.ceil(split.single.length / ROUNDS));
  const batchRounds = chunk(chunk(split.batch, BATCH), Math.ceil(Math.ceil(split.batch.length / BATCH) / ROUNDS));
  for (let round = 0; round < ROUNDS; round += 1) {
    const singles = singleRounds[round] ?? [];
    const batches = batchRounds[round] ?? [];
    if (round % 2 === 0) {
      await raw(singles, batches, false);
      await ingest(singles, batches, false);
    } else {
      await ingest(singles, batches, false);
      await raw(singles, batches, false);
    }
  }
  return {
    raw: { single: sum(m.rawSingle), batchInsertOnly: sum(m.insertOnly), batch: sum(m.rawBatch) },
    ingest: { single: sum(m.single), batch: sum(m.storeOnly), batchWithPrepare: sum(m.withPrepare) },
  };
};

const RAW_TABLE = (name: string) =>
  `CREATE TABLE ${name} (seq BIGINT PRIMARY KEY, event_hash TEXT NOT NULL UNIQUE, received_at BIGINT NOT NULL, event_time_ms BIGINT, payload TEXT NOT NULL)`;

const benchSqlite = async (validator: EventValidator, split: Split): Promise<Result> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-bench-'));
  try {
    const file = process.env.BENCH_SQLITE_FILE ?? path.join(dir, 'shard.db'); // keep a copy to inspect
    const store = await createStore(`sqlite:${file}`);
    // The raw tables live in a database file of their own beside the store's, same pragmas. In one file, every commit
    // of the raw connection changed the WAL header the store's connection checks before each transaction, which
    // then drops its whole page cache (64 MiB): the store's first batch of every phase re-read its pages from the
    // OS, which no shard sees (its writer is the only connection that writes).
    const rawFile = path.join(path.dirname(file), 'raw.db');
    const raw = new Database(rawFile);
    raw.pragma(`page_size = ${SQLITE_PAGE_SIZE}`); // as the store creates its file (a bare table gains from it too)
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL'); // as the store's own connection
    // checkpointed as the store's file is: the writer only past this threshold, below it a checkpointer thread of its
    // own (libs/store sqlite-checkpointer.ts), so each side pays for backfilling its WAL inside its own clock
    raiseWriterThreshold(raw);
    const rawCheckpointer = new SqliteCheckpointer(rawFile);
    const target = (name: string): RawTarget => {
      raw.exec(RAW_TABLE(name));
      const insert = raw.prepare(`INSERT INTO ${name} (seq, event_hash, received_at, event_time_ms, payload) VALUES (?, ?, ?, ?, ?)`);
      const many = raw.transaction((rows: RawRow[]) => rows.forEach((r) => insert.run(r.seq, r.hash, Date.now(), r.time, r.payload)));
      return { insert: async (rows) => many(rows) };
    };
    // the store's WAL is backfilled PASSIVE by a connection that never writes: TRUNCATE would restart the WAL from
    // outside, the same header change as a foreign commit
    const storeCheckpoint = new Database(file);
    const settle = async () => {
      raw.pragma('wal_checkpoint(TRUNCATE)');
      storeCheckpoint.pragma('wal_checkpoint(PASSIVE)');
    };
    const loadBefore = load1();
    const result = await runAll({ single: target('bench_raw_single'), insertOnly: target('bench_raw_insert_only'), full: target('bench_raw') }, store, validator, split, settle);
    const load = `${loadBefore} -> ${load1()}`;
    await rawCheckpointer.close();
    raw.close();
    storeCheckpoint.close();
    const stats = await store.stats();
    if (stats.events !== split.warm.length + split.single.length + split.batch.length) throw new Error(`sqlite stored ${stats.events} events`);
    await store.close();
    return { store: 'SQLite (file, WAL, synchronous=FULL)', load, ...result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const benchPostgres = async (validator: EventValidator, split: Split): Promise<Result> => {
  const database = `lh_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = PG_ADMIN.replace(/\/[^/]*$/, `/${database}`);
  try {
    const store = await createStore(url);
    const pool = new Pool({ connectionString: url, max: 1 });
    const client = await pool.connect();
    const target = async (name: string): Promise<RawTarget> => {
      await client.query(RAW_TABLE(name));
      return {
        insert: async (rows) => {
          const params: unknown[] = [];
          const values = rows.map((r, i) => {
            params.push(r.seq, r.hash, Date.now(), r.time, r.payload);
            return `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`;
          });
          await client.query('BEGIN');
          await client.query(`INSERT INTO ${name} (seq, event_hash, received_at, event_time_ms, payload) VALUES ${values.join(',')}`, params);
          await client.query('COMMIT');
        },
      };
    };
    const raws = { single: await target('bench_raw_single'), insertOnly: await target('bench_raw_insert_only'), full: await target('bench_raw') };
    const settle = async () => {
      await client.query('CHECKPOINT');
    };
    const loadBefore = load1();
    const result = await runAll(raws, store, validator, split, settle);
    const load = `${loadBefore} -> ${load1()}`;
    client.release();
    await pool.end();
    const stats = await store.stats();
    if (stats.events !== split.warm.length + split.single.length + split.batch.length) throw new Error(`postgres stored ${stats.events} events`);
    await store.close();
    return { store: 'PostgreSQL (127.0.0.1, same machine)', load, ...result };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
};

// ---------------------------------------------------------------- one very wide job with history

interface WideRow {
  inputs: number;
  /** Seconds per run (START + COMPLETE, one ingest each) for the job's runs in order, then per small event after them. */
  runs: number[];
  small: number;
  load: string;
}

const WIDE_SIZES = (process.env.BENCH_WIDE ?? '10000,50000,100000').split(',').map(Number).filter((n) => n > 0);
const WIDE_RUNS = 4;

/** A job reading `width` tables, WIDE_RUNS runs, then a small event of the same job: time linear in the size, not quadratic. */
const benchWide = async (storeUrl: () => Promise<{ url: string; drop: () => Promise<void> }>): Promise<WideRow[]> => {
  const rows: WideRow[] = [];
  for (const width of WIDE_SIZES) {
    const target = await storeUrl();
    const store = await createStore(target.url);
    try {
      const loadBefore = load1();
      const inputs = Array.from({ length: width }, (_, i) => ({ namespace: 'postgres://wide:5432', name: `db.s.table_${i}` }));
      const event = (runId: string, type: string, at: number, io: unknown[]) => {
        const e = { eventType: type, eventTime: new Date(at).toISOString(), producer, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
          run: { runId, facets: {} }, job: { namespace: 'wide', name: 'fan_in', facets: {} }, inputs: io, outputs: [{ namespace: 'postgres://wide:5432', name: 'db.s.out' }] };
        return { event: e, raw: e };
      };
      const base = Date.parse('2024-06-01T00:00:00Z');
      const runs: number[] = [];
      for (let r = 0; r < WIDE_RUNS; r += 1) {
        const runId = uuid();
        const m = await measure(2, async () => {
          await store.ingest([event(runId, 'START', base + r * 60_000, inputs)]);
          await store.ingest([event(runId, 'COMPLETE', base + r * 60_000 + 1000, inputs)]);
        });
        runs.push(m.seconds);
      }
      const small = await measure(1, async () => {
        await store.ingest([event(uuid(), 'START', base + WIDE_RUNS * 60_000, inputs.slice(0, 2))]);
      });
      rows.push({ inputs: width, runs, small: small.seconds, load: `${loadBefore} -> ${load1()}` });
      console.log(JSON.stringify(rows[rows.length - 1]));
    } finally {
      await store.close();
      await target.drop();
    }
  }
  return rows;
};

// ---------------------------------------------------------------- through the shard's HTTP endpoints

interface HttpResult {
  store: string;
  single: HttpPhase;
  /** PRODUCERS producers posting single events at once (group commit). */
  concurrent: HttpPhase;
  batch: HttpPhase;
  /** Store commits during the concurrent phase and the events they held (the shard's /metrics). */
  groups: { commits: number; events: number };
  load: string;
  reads?: ReadsUnderIngest;
}

const PRODUCERS = 32;
const HTTP_SINGLE = env('BENCH_HTTP_SINGLE', 500);
const HTTP_BATCHES = env('BENCH_HTTP_BATCHES', 12);

// ---------------------------------------------------------------- reads while the shard ingests

interface Latencies {
  count: number;
  p50: number;
  p99: number;
}

interface ReadsUnderIngest {
  query: string;
  idle: Latencies;
  busy: Latencies;
  /** Events the producer stored while the busy reads ran, and its rate. */
  ingested: Measure;
  load: string;
}

const READ_GAP_MS = 5;
const READ_DEPTH = env('BENCH_READ_DEPTH', 3);
const SEEDS = 200;
const IDLE_READS = env('BENCH_IDLE_READS', 300);
const BUSY_READS = env('BENCH_BUSY_READS', 600);

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const latencies = (ms: number[]): Latencies => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { count: ms.length, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
};

/**
 * The producer of "sustained batch ingest": a worker thread (its own event loop, so its JSON work does not delay
 * this thread's timers) posting batch bodies back to back until told to stop or out of bodies.
 */
const PRODUCER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let stop = false;
parentPort.on('message', () => { stop = true; });
(async () => {
  let events = 0;
  const t0 = performance.now();
  for (let i = 0; i < workerData.bodies.length && !stop; i += 1) {
    const res = await fetch(workerData.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: workerData.bodies[i] });
    const text = await res.text();
    if (res.status !== 200) throw new Error('batch answered ' + res.status + ': ' + text.slice(0, 300));
    events += workerData.sizes[i];
    if (i === 0) parentPort.postMessage({ started: true });
  }
  parentPort.postMessage({ events, seconds: (performance.now() - t0) / 1000 });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

/**
 * Impact reads (GET /api/v1/lineage, downstream, depth 10) one after another with READ_GAP_MS between them: first on
 * the idle shard, then while a producer posts batches of BATCH fresh events (new runs of the same jobs) back to back.
 * Target (issue 18): p99 under ingest <= 5x the idle p99.
 */
const readsUnderIngest = async (url: string, stored: Array<Record<string, any>>): Promise<ReadsUnderIngest> => {
  const { Worker } = await import('node:worker_threads');
  // datasets the shard holds that jobs read (so each read has a downstream to walk)
  const seeds = [...new Set(stored.flatMap((e) => (e.inputs as Array<{ namespace: string; name: string }>).map((i) => `dataset:${i.namespace}:${i.name}`)))].slice(0, SEEDS);
  const query = `GET /api/v1/lineage?nodeId=<dataset>&direction=downstream&depth=${READ_DEPTH}`;
  let n = 0;
  const readOnce = async () => {
    const id = seeds[n++ % seeds.length];
    const t0 = performance.now();
    const res = await fetch(`${url}/api/v1/lineage?nodeId=${encodeURIComponent(id)}&direction=downstream&depth=${READ_DEPTH}`);
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`lineage read answered ${res.status}`);
    await new Promise((r) => setTimeout(r, READ_GAP_MS));
    return ms;
  };
  for (let i = 0; i < 30; i += 1) await readOnce(); // warm-up
  const loadBefore = load1();
  const idle: number[] = [];
  for (let i = 0; i < IDLE_READS; i += 1) idle.push(await readOnce());
  const fresh = chunk(generate(), BATCH);
  const worker = new Worker(PRODUCER_SOURCE, { eval: true, workerData: { url: `${url}/api/v1/lineage/batch`, bodies: fresh.map((b) => JSON.stringify(b)), sizes: fresh.map((b) => b.length) } });
  const messages: Array<Record<string, any>> = [];
  let wake: () => void = () => undefined;
  worker.on('message', (m) => {
    messages.push(m);
    wake();
  });
  worker.on('error', (error) => {
    messages.push({ error: String(error) });
    wake();
  });
  const next = (pred: (m: Record<string, any>) => boolean) =>
    new Promise<Record<string, any>>((resolve) => {
      const look = () => {
        const found = messages.find((m) => pred(m) || m.error);
        if (found) resolve(found);
        else wake = look;
      };
      look();
    });
  const started = await next((m) => m.started);
  if (started.error) throw new Error(`the producer failed: ${started.error}`);
  const busy: number[] = [];
  const done = () => messages.some((m) => m.events !== undefined || m.error);
  while (busy.length < BUSY_READS && !done()) busy.push(await readOnce());
  worker.postMessage('stop');
  const result = await next((m) => m.events !== undefined);
  await worker.terminate();
  if (result.error) throw new Error(`the producer failed: ${result.error}`);
  return { query, idle: latencies(idle), busy: latencies(busy), ingested: { events: result.events, seconds: result.seconds, rate: result.events / result.seconds }, load: `${loadBefore} -> ${load1()}` };
};

const SHARD_MAIN = process.env.BENCH_SHARD_MAIN ?? path.join(ROOT, 'dist', 'apps', 'shard', 'src', 'main.js');

/** Starts the built shard on a free port with the given store; resolves with its base URL and a stop(). */
const startShard = async (storeUrl: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), RPC_PORT: '0', RPC_HOST: '127.0.0.1', STORE_URL: storeUrl, LOG_LEVEL: 'warn', SHARD_DOMAIN: 'bench' };
  delete env.REDIS_URL; // no registration with a gateway
  // BENCH_SHARD_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": a profile of the shard of this very run
  const nodeArgs = (process.env.BENCH_SHARD_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, SHARD_MAIN], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`the shard exited with ${child.exitCode} before answering`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error('the shard did not answer /health within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

/** A measured HTTP phase with the CPU it cost: the shard's and this client's, ms per event. */
interface HttpPhase extends Measure {
  shardCpuMs: number;
  clientCpuMs: number;
}

const httpPhase = async (pid: number, events: number, fn: () => Promise<void>): Promise<HttpPhase> => {
  const shard0 = processCpuSeconds(pid);
  const client0 = ownCpuSeconds();
  const m = await measure(events, fn);
  return { ...m, shardCpuMs: ((processCpuSeconds(pid) - shard0) * 1000) / events, clientCpuMs: ((ownCpuSeconds() - client0) * 1000) / events };
};

const benchHttp = async (name: string, storeUrl: string, split: Split, single: number, batches: number): Promise<HttpResult> => {
  const shard = await startShard(storeUrl);
  try {
    const singles = split.single.slice(0, single);
    const one = `${shard.url}/api/v1/lineage`;
    const singleM = await httpPhase(shard.pid, singles.length, async () => {
      for (const e of singles) await postJson(one, JSON.stringify(e), [200, 201]);
    });
    const loadBefore = load1();
    const parts = chunk(split.batch, BATCH).slice(0, batches);
    const batchM = await httpPhase(shard.pid, parts.flat().length, async () => {
      for (const part of parts) await postJson(`${shard.url}/api/v1/lineage/batch`, JSON.stringify(part), [200]);
    });
    // the same number of events as the batch part, from PRODUCERS concurrent producers, one event per request
    const rest = split.batch.slice(parts.flat().length, parts.flat().length * 2);
    let next = 0;
    const commitsBefore = await commitCounters(shard.url);
    const concurrentM = await httpPhase(shard.pid, rest.length, async () => {
      await Promise.all(
        Array.from({ length: PRODUCERS }, async () => {
          while (next < rest.length) await postJson(one, JSON.stringify(rest[next++]), [200, 201]);
        }),
      );
    });
    const commitsAfter = await commitCounters(shard.url);
    const groups = { commits: commitsAfter.commits - commitsBefore.commits, events: commitsAfter.events - commitsBefore.events };
    const load = `${loadBefore} -> ${load1()}`;
    const reads = process.env.BENCH_READS === '0' ? undefined : await readsUnderIngest(shard.url, parts.flat());
    if (reads) console.log(JSON.stringify({ store: name, reads }));
    return { store: name, single: singleM, concurrent: concurrentM, batch: batchM, groups, load, reads };
  } finally {
    await shard.stop();
  }
};

interface Split {
  single: Array<Record<string, any>>;
  batch: Array<Record<string, any>>;
  /** The untimed warm-up's events (WARMUP). */
  warm: Array<Record<string, any>>;
}

// ---------------------------------------------------------------- report

const f = (n: number) => Math.round(n).toLocaleString('en-US');

const load1 = () => loadavg()[0].toFixed(1);
const loadNow = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
const LOAD_AT_START = loadNow();

const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;

/** What the figures say about the 25% target (numbers from this run only). */
const notes = (results: Result[]) => {
  if (results.length === 0) return [];
  const unmet = results.filter((r) => r.ingest.batch.rate / r.raw.batch.rate < 0.25).map((r) => r.store.split(' ')[0]);
  return [unmet.length === 0 ? 'The 25% target is met in this run for both stores.' : `The 25% target is **not met** in this run for ${unmet.join(' and ')}.`, ''];
};

const wideTable = (name: string, rows: WideRow[]) =>
  rows.length === 0
    ? []
    : [
        `${name}: one job reading N tables (one output), ${WIDE_RUNS} runs (START + COMPLETE with all N inputs, one ingest() each), then a small ` +
          'event of the same job. Linear means the seconds per run double when N doubles.',
        '',
        `| N inputs | ${Array.from({ length: WIDE_RUNS }, (_, i) => `run ${i + 1} (s)`).join(' | ')} | us per input per run (mean of ${WIDE_RUNS}) | us per input (last run) | small event after (s) | load (1 min) start -> end |`,
        `|---:|${'---:|'.repeat(WIDE_RUNS)}---:|---:|---:|---|`,
        ...rows.map(
          (r) =>
            `| ${f(r.inputs)} | ${r.runs.map((s) => s.toFixed(2)).join(' | ')} | ${((r.runs.reduce((a, b) => a + b, 0) / r.runs.length / r.inputs) * 1e6).toFixed(1)} | ` +
            `${((r.runs[r.runs.length - 1] / r.inputs) * 1e6).toFixed(1)} | ${r.small.toFixed(3)} | ${r.load} |`,
        ),
        '',
      ];

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

const readsTable = (http: HttpResult[]) => {
  const rows = http.filter((h) => h.reads);
  if (rows.length === 0) return [];
  return [
    `Reads under sustained batch ingest (issue 18): \`${rows[0].reads!.query}\` from ${SEEDS} seeds (datasets read by the stored jobs), one after another with ${READ_GAP_MS} ms ` +
      `between them, first on the idle shard (${IDLE_READS} reads), then while a producer (a worker thread of this process) posts batches of ${BATCH} fresh events ` +
      `back to back (up to ${BUSY_READS} reads, until the producer is done). Latency at the client, ms. Target: p99 under ingest <= 5x the idle p99.`,
    '',
    '| store | idle p50 / p99 | under ingest p50 / p99 (reads) | p99 under ingest / idle p99 (target <= 5x) | ingested meanwhile | load (1 min) start -> end |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map((h) => {
      const r = h.reads!;
      const ratio = r.busy.p99 / r.idle.p99;
      return (
        `| ${h.store} | ${ms(r.idle.p50)} / ${ms(r.idle.p99)} | ${ms(r.busy.p50)} / ${ms(r.busy.p99)} (${r.busy.count}) | **${ratio.toFixed(1)}x** (${ratio <= 5 ? 'met' : 'not met'}) | ` +
        `${f(r.ingested.events)} events, ${f(r.ingested.rate)} ev/s | ${r.load} |`
      );
    }),
    '',
  ];
};

const report = (results: Result[], split: Split, pgVersion: string, http: HttpResult[], wide: Array<[string, WideRow[]]> = []) => {
  const lines = [
    '## Ingest',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z by \`npm run bench:ingest\` (bench/ingest.bench.ts), in-process: \`prepareEvent\` (libs/model validation + ` +
      `canonicalisation) and \`store.ingest\` (not through HTTP). Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}, ${pgVersion} on the same machine; absolute rates move with the load on the 2 cores ` +
      `(ratios are measured in the same run and move less). Load average (1 / 5 / 15 min) at the start ${LOAD_AT_START}, at the end ${loadNow()}.`,
    '',
    `Workload: ${f(JOBS)} jobs x ${RUNS} runs, START + COMPLETE per run (${f(split.single.length + split.batch.length)} events of ~3.4 KB), 1-3 inputs and 1 output ` +
      `per job with schema facets (4-16 fields), columnLineage on a third of the outputs. Single: ${f(split.single.length)} events, one ingest() each ` +
      `(one transaction, durable: SQLite synchronous=FULL, PostgreSQL synchronous_commit on). Batch: ${f(split.batch.length)} events in ingest() calls of ${BATCH}, ` +
      `alternate calls with and without prepareEvent. Before the rounds, untimed, ${f(split.warm.length)} warm-up events of jobs and datasets of their own go ` +
      `through every path below, store and raw tables alike (BENCH_WARMUP; the rounds time a running store, not V8 compiling its code). ` +
      `Measured in ${ROUNDS} rounds alternating raw-first and store-first; before each timed phase ` +
      `(outside the clock) a full GC and a checkpoint (SQLite: the raw file's wal_checkpoint(TRUNCATE), the store's wal_checkpoint(PASSIVE) from a connection that never writes; PostgreSQL CHECKPOINT), so each figure pays for its own garbage and WAL.`,
    '',
    'Raw baselines: a bare table `(seq PK, event_hash UNIQUE, received_at, event_time_ms, payload)` in the same database (SQLite: a file of its own beside the store\'s, same pragmas, page size and a WAL checkpointer thread as the store\'s, so its commits do not drop the store connection\'s page cache), same transaction sizes. ' +
      '"insert only" has payload text and sha256 prepared before the clock starts; "serialise+hash+insert" does JSON.stringify + sha256 + INSERT ' +
      'inside the clock, the least any event store does with an event object it receives.',
    '',
    '| store | raw batch, insert only | raw batch, serialise+hash+insert | store.ingest batch | vs serialise+hash+insert (target 25%) | vs insert only | prepareEvent + store.ingest batch | load (1 min) start -> end |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.store} | ${f(r.raw.batchInsertOnly.rate)} ev/s | ${f(r.raw.batch.rate)} ev/s | ${f(r.ingest.batch.rate)} ev/s | ` +
        `**${pct(r.ingest.batch.rate, r.raw.batch.rate)}** (${r.ingest.batch.rate / r.raw.batch.rate >= 0.25 ? 'met' : 'not met'}, ${(r.ingest.batch.rate / r.raw.batch.rate / 0.25).toFixed(2)}x target) | ` +
        `${pct(r.ingest.batch.rate, r.raw.batchInsertOnly.rate)} | ${f(r.ingest.batchWithPrepare.rate)} ev/s (${pct(r.ingest.batchWithPrepare.rate, r.raw.batch.rate)}) | ${r.load} |`,
    ),
    '',
    '| store | raw single (serialise+hash+insert, 1 tx each) | store.ingest single | ratio | load (1 min) start -> end |',
    '|---|---:|---:|---:|---|',
    ...results.map((r) => `| ${r.store} | ${f(r.raw.single.rate)} ev/s | ${f(r.ingest.single.rate)} ev/s | ${pct(r.ingest.single.rate, r.raw.single.rate)} | ${r.load} |`),
    '',
    ...notes(results),
    ...wide.flatMap(([name, rows]) => wideTable(name, rows)),
    ...(http.length === 0
      ? [`Through HTTP: not measured (no built shard at dist/apps/shard/src/main.js).`, '']
      : [
          `Through the shard's HTTP endpoints (the built shard, \`node dist/apps/shard/src/main.js\`, started by the bench with a fresh store; the client ` +
            `is this process on the same 2 cores): POST /api/v1/lineage one event at a time, POST /api/v1/lineage/batch with ${BATCH} events per request. ` +
            `Compared with the raw batch rate (serialise+hash+insert) of the same store above.`,
          '',
          `Single events from ${PRODUCERS} concurrent producers (one event per request, each durable before its 2xx; concurrent requests share a ` +
            'transaction through group commit) against the batch endpoint on the same store: target >= 50%.',
          '',
          `| store | POST /api/v1/lineage, 1 producer (ev/s) | POST /api/v1/lineage, ${PRODUCERS} producers (ev/s) | POST /api/v1/lineage/batch (ev/s) | ${PRODUCERS} producers vs batch (target 50%) | events per store commit, ${PRODUCERS} producers | shard CPU ms/event: 1 producer / ${PRODUCERS} / batch | client CPU ms/event: ${PRODUCERS} / batch | batch vs raw batch | load (1 min) start -> end |`,
          '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
          ...http.map((h) => {
            const raw = results.find((r) => r.store.startsWith(h.store.split(' ')[0]));
            const cpu = (x: number) => x.toFixed(2);
            return (
              `| ${h.store} | ${f(h.single.rate)} (${h.single.events} events) | ${f(h.concurrent.rate)} (${h.concurrent.events} events) | ${f(h.batch.rate)} (${h.batch.events} events) | ` +
              `**${pct(h.concurrent.rate, h.batch.rate)}** (${h.concurrent.rate / h.batch.rate >= 0.5 ? 'met' : 'not met'}) | ` +
              `${h.groups.commits ? (h.groups.events / h.groups.commits).toFixed(1) : '-'} (${f(h.groups.commits)} commits) | ` +
              `${cpu(h.single.shardCpuMs)} / ${cpu(h.concurrent.shardCpuMs)} / ${cpu(h.batch.shardCpuMs)} | ${cpu(h.concurrent.clientCpuMs)} / ${cpu(h.batch.clientCpuMs)} | ` +
              `${raw ? pct(h.batch.rate, raw.raw.batch.rate) : '-'} | ${h.load} |`
            );
          }),
          '',
          (() => {
            const unmet = http.filter((h) => h.concurrent.rate / h.batch.rate < 0.5).map((h) => h.store.split(' ')[0]);
            return unmet.length === 0 ? `The 50% target is met in this run for ${http.map((h) => h.store.split(' ')[0]).join(' and ')}.` : `The 50% target is **not met** in this run for ${unmet.join(' and ')}.`;
          })() +
            ' Durable before the 2xx: SQLite WAL with synchronous=FULL, PostgreSQL synchronous_commit on; test/e2e/ingest-kill.test.ts kills -9 a shard ' +
            `under ${PRODUCERS} single-event producers on each store and finds every acknowledged event (a test, not this run).`,
          '',
          'CPU per event: the shard process\'s user + system time (/proc) and this client\'s, over each phase, divided by its events; ' +
            'less sensitive to the load than the rates (time the shard waits for a sync or for a core is not in it). The client posts with ' +
            '`node:http` and a keep-alive agent (bench/ingest-http-client.ts says why not fetch).',
          '',
          ...readsTable(http),
        ]),
  ];
  return lines.join('\n');
};

const main = async () => {
  const events = generate();
  // three disjoint slices of the same workload, so nothing measured is a duplicate
  const split: Split = { single: events.slice(0, SINGLE), batch: events.slice(SINGLE), warm: generate('warmup').slice(0, WARMUP) };
  console.log(`workload: ${events.length} events (${JOBS} jobs x ${RUNS} runs x 2), single ${split.single.length}, batch ${split.batch.length}`);
  const validator = createEventValidator();
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect().catch((error) => {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN}: ${error.message}`);
  });
  const pgVersion = `PostgreSQL ${(await admin.query('SHOW server_version')).rows[0].server_version.split(' ')[0]}`;
  await admin.end();
  const results: Result[] = [];
  const only = process.env.BENCH_ONLY; // 'sqlite' | 'postgres' (profiling)
  const inProcess = process.env.BENCH_INPROCESS === '0' ? [] : [benchSqlite, benchPostgres]; // 0: HTTP and wide parts only
  for (const run of inProcess.filter((b) => !only || b.name.toLowerCase().includes(only))) {
    const result = await run(validator, split);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  const http: HttpResult[] = [];
  if (existsSync(SHARD_MAIN) && process.env.BENCH_HTTP !== '0') {
    const dir = mkdtempSync(path.join(tmpdir(), 'lh-bench-http-'));
    try {
      if (!only || only === 'sqlite') http.push(await benchHttp('SQLite (file)', `sqlite:${path.join(dir, 'shard.db')}`, split, HTTP_SINGLE, HTTP_BATCHES));
      if (!only || only === 'postgres') {
        const database = `lh_bench_http_${randomBytes(4).toString('hex')}`;
        const admin = new Client({ connectionString: PG_ADMIN });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${database}`);
        try {
          http.push(await benchHttp('PostgreSQL', PG_ADMIN.replace(/\/[^/]*$/, `/${database}`), split, HTTP_SINGLE, HTTP_BATCHES));
        } finally {
          await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          await admin.end();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(JSON.stringify(http));
  }
  const wide: Array<[string, WideRow[]]> = [];
  if (process.env.BENCH_WIDE !== '0') {
    if (!only || only === 'sqlite') {
      wide.push(['SQLite', await benchWide(async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'lh-bench-wide-'));
        return { url: `sqlite:${path.join(dir, 'wide.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
      })]);
    }
    if (!only || only === 'postgres') {
      wide.push(['PostgreSQL', await benchWide(async () => {
        const database = `lh_bench_wide_${randomBytes(4).toString('hex')}`;
        const admin = new Client({ connectionString: PG_ADMIN });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${database}`);
        return {
          url: PG_ADMIN.replace(/\/[^/]*$/, `/${database}`),
          drop: async () => {
            await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
            await admin.end();
          },
        };
      })]);
    }
  }
  const section = report(results, split, pgVersion, http, wide);
  console.log(`\n${section}`);
  if (process.env.BENCH_WRITE !== '0') {
    replaceResultsSection('Ingest', section.replace(/^## Ingest\s*/, ''));
    console.log('wrote the "## Ingest" section of bench/RESULTS.md');
  }
};

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
