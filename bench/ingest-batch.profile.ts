/**
 * The batch phase of bench:ingest alone, for profiling (`node --cpu-prof dist/bench/ingest-batch.profile.js`):
 * the same workload and batch size, store.ingest of prepared inputs only (no single events, no HTTP), beside the
 * raw serialise+hash+insert of the same events into a bare table (SQLite: in a file of its own beside the store's), alternating which goes
 * first. Prints the rates, their ratio, and the CPU time per event for each: the whole process (process.cpuUsage, with the
 * GC's helper threads and the SQLite checkpointer) and its main thread alone.
 * A profile taken with --cpu-prof covers mostly store.ingest (the raw phase is ~10% of the time).
 *
 * Env: BENCH_JOBS, BENCH_RUNS, BENCH_BATCH as bench:ingest; BENCH_ONLY=sqlite|postgres; BENCH_ROUNDS (4);
 * BENCH_SKIP (1500 events of the workload left out, as bench:ingest's single phase takes them); BENCH_PG_URL.
 * Run from the repository root after a build.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import { createEventValidator } from '@lineage-hub/model';
import { createStore, type IngestInput, type LineageStore, SQLITE_PAGE_SIZE } from '@lineage-hub/store';
import { generate } from './ingest.bench';

const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SKIP = Number(process.env.BENCH_SKIP ?? 1500);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Insert = (rows: Array<{ seq: number; hash: string; payload: string; time: number }>) => Promise<void>;

interface Phase {
  events: number;
  seconds: number;
  cpuSeconds: number;
  mainCpuSeconds: number;
}

/** CPU seconds of this process's main thread (Linux /proc; 100 ticks a second): without GC helpers and workers. */
const mainThreadCpu = (): number => {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const timed = async (events: number, fn: () => Promise<void>, into: Phase) => {
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const t0 = performance.now();
  await fn();
  into.seconds += (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  into.cpuSeconds += (cpu.user + cpu.system) / 1e6;
  into.mainCpuSeconds += mainThreadCpu() - main0;
  into.events += events;
};

const chunk = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

const run = async (name: string, store: LineageStore, raw: Insert, settle: () => Promise<void>) => {
  const validator = createEventValidator();
  const events = generate().slice(SKIP);
  const batches = chunk(events, BATCH);
  const perRound = chunk(batches, Math.ceil(batches.length / ROUNDS));
  const storePhase: Phase = { events: 0, seconds: 0, cpuSeconds: 0, mainCpuSeconds: 0 };
  const rawPhase: Phase = { events: 0, seconds: 0, cpuSeconds: 0, mainCpuSeconds: 0 };
  let seq = 0;
  const load = loadavg()[0].toFixed(1);
  for (const [round, parts] of perRound.entries()) {
    const inputs: IngestInput[][] = parts.map((part) => part.map((e) => validator.prepare(e).input));
    const count = parts.reduce((n, p) => n + p.length, 0);
    const ingest = async () => {
      await settle();
      await timed(count, async () => {
        for (const part of inputs) await store.ingest(part);
      }, storePhase);
    };
    const rawRun = async () => {
      await settle();
      await timed(count, async () => {
        for (const part of parts) {
          await raw(part.map((e) => {
            const payload = JSON.stringify(e);
            return { seq: ++seq, hash: createHash('sha256').update(payload).digest('hex'), payload, time: Date.parse(e.eventTime) };
          }));
        }
      }, rawPhase);
    };
    if (round % 2 === 0) {
      await rawRun();
      await ingest();
    } else {
      await ingest();
      await rawRun();
    }
  }
  const line = (p: Phase) =>
    `${Math.round(p.events / p.seconds)} ev/s, CPU/event ${((p.cpuSeconds / p.events) * 1e6).toFixed(0)} us (main thread ${((p.mainCpuSeconds / p.events) * 1e6).toFixed(0)} us)`;
  console.log(
    `${name}: store.ingest ${line(storePhase)}; raw serialise+hash+insert ${line(rawPhase)}; ` +
      `ratio ${((100 * storePhase.events) / storePhase.seconds / (rawPhase.events / rawPhase.seconds)).toFixed(1)}% ` +
      `(CPU ratio ${((100 * rawPhase.cpuSeconds) / storePhase.cpuSeconds).toFixed(1)}%), load ${load} -> ${loadavg()[0].toFixed(1)}`,
  );
};

const RAW_TABLE = 'CREATE TABLE bench_raw (seq BIGINT PRIMARY KEY, event_hash TEXT NOT NULL UNIQUE, received_at BIGINT NOT NULL, event_time_ms BIGINT, payload TEXT NOT NULL)';

const sqlite = async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-bench-batch-'));
  try {
    const file = path.join(dir, 'shard.db');
    const store = await createStore(`sqlite:${file}`);
    const db = new Database(path.join(dir, 'raw.db')); // a file of its own, as in bench:ingest (its commits would drop the store's page cache)
    db.pragma(`page_size = ${SQLITE_PAGE_SIZE}`); // as the store's file
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(RAW_TABLE);
    const insert = db.prepare('INSERT INTO bench_raw (seq, event_hash, received_at, event_time_ms, payload) VALUES (?, ?, ?, ?, ?)');
    const many = db.transaction((rows: Parameters<Insert>[0]) => rows.forEach((r) => insert.run(r.seq, r.hash, Date.now(), r.time, r.payload)));
    const storeCheckpoint = new Database(file); // PASSIVE, never writing: the store's cache stays valid
    await run('SQLite', store, async (rows) => many(rows), async () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      storeCheckpoint.pragma('wal_checkpoint(PASSIVE)');
    });
    storeCheckpoint.close();
    db.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const postgres = async () => {
  const database = `lh_bench_batch_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const url = PG_ADMIN.replace(/\/[^/]*$/, `/${database}`);
    const store = await createStore(url);
    const pool = new Pool({ connectionString: url, max: 1 });
    pool.on('error', () => undefined); // the DROP DATABASE ... WITH (FORCE) below ends its idle connection
    const client = await pool.connect();
    await client.query(RAW_TABLE);
    const insert: Insert = async (rows) => {
      const params: unknown[] = [];
      const values = rows.map((r, i) => {
        params.push(r.seq, r.hash, Date.now(), r.time, r.payload);
        return `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`;
      });
      await client.query('BEGIN');
      await client.query(`INSERT INTO bench_raw (seq, event_hash, received_at, event_time_ms, payload) VALUES ${values.join(',')}`, params);
      await client.query('COMMIT');
    };
    await run('PostgreSQL', store, insert, async () => void (await client.query('CHECKPOINT')));
    client.release();
    await pool.end();
    await store.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
};

const main = async () => {
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'sqlite') await sqlite();
  if (!only || only === 'postgres') await postgres();
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
