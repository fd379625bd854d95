/**
 * `npm run bench:findings`: the shard's findings evaluation at scale, in one run per store (each store in a process of
 * its own, as a shard runs with one store), with its baselines.
 *
 *   full evaluation    FindingsEvaluator.evaluate('full') over D datasets, 10 observed writes each, and D*5 runs
 *                      (D/2 jobs, 10 runs each, 2 outputs a run): read, attribute, learn, judge, write findings
 *                      and freshness states
 *   plain scan         the same rows read from the same store by the same queries, nothing done with them
 *                      (target: full evaluation within 5x of the scan)
 *   incremental        1,000 new observed writes accepted (store.recordObservedWrites), then
 *                      evaluate('incremental'), 3 rounds, the median (target: at most 2% of the full evaluation);
 *                      the evaluator takes the facts of what it evaluates from the facts it holds in memory since
 *                      the full evaluation (FindingsFactsCache), brought up to date from the store's changes
 *   memory per dataset the learned freshness models of every dataset held at once (heap with them minus heap without
 *                      them, both after gc, / D); and the facts the evaluator holds between evaluations (heap with
 *                      them minus heap after releaseFacts(), both after gc, / D)
 *
 * The history is bulk-loaded into the store's own tables (jobs, runs, writes edges, observed_writes) in its schema,
 * with the coverage of the connector that observed the writes (hourly windows, as a real connector records them: with
 * none, no job's unobserved-output would be judged, in the full evaluation or the rounds), so the bench times the
 * evaluation, not ingest (bench:ingest times that). Sizes: BENCH_FINDINGS_DATASETS (default
 * 100,000); BENCH_FINDINGS_ROUNDS the incremental rounds (default 3); BENCH_PG=0 skips PostgreSQL, BENCH_SQLITE=0 SQLite; BENCH_FINDINGS_PROFILE=<dir> writes a CPU profile of each full and
 * incremental evaluation there (with BENCH_FINDINGS_ALLOC=1 an allocation profile too); BENCH_KEEP=1 keeps the SQLite file and the PostgreSQL database. Each timed phase starts after a gc, once the process is idle again (quiesce: the gc's background sweeping done). Results go to bench/RESULTS.md (## Findings) with the load average.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { MetricsService } from '@lineage-hub/common';
import type { CoverageRecord, FreshnessModel, NodeId, ObservedWrite } from '@lineage-hub/model';
import { HistorySnapshot, learnFreshnessModel, reconcileConfig, updateTimes } from '@lineage-hub/reconcile';
import { createStore, type LineageStore, type SqlDriver, type SqlValue } from '@lineage-hub/store';
import { FindingsEvaluator } from '../apps/shard/src/findings/findings-evaluator.service';
import { writeFact } from '../apps/shard/src/findings/findings-facts';
import { FindingsMetrics } from '../apps/shard/src/findings/findings-metrics.service';
import { replaceResultsSection } from './results-section';

const H = 3_600_000;
const DAY = 24 * H;
const D = Number(process.env.BENCH_FINDINGS_DATASETS ?? 100_000);
const JOBS = Math.floor(D / 2);
const RUNS_PER_JOB = 10;
const WRITES_PER_DATASET = 10;
const NEW_WRITES = 1_000;
const ROUNDS = Number(process.env.BENCH_FINDINGS_ROUNDS ?? 3);
const NOW = Date.parse('2026-12-01T12:00:00Z');

const ds = (i: number) => `dataset:snowflake://bench:DB.S.T_${i}`;
/** The connector that observed the writes: hourly windows over the history, each recorded 20 minutes after its end (its lag). */
const CONNECTOR = { connectorId: 'snowflake-bench', platform: 'snowflake', namespace: 'snowflake://bench' };
const coverageWindow = (from: number, to: number, recordedAt: number): CoverageRecord => ({ ...CONNECTOR, from, to, gaps: [], recordedAt });
const historyCoverage = (): CoverageRecord[] =>
  Array.from({ length: 40 * 24 }, (_, h) => coverageWindow(NOW - 40 * DAY + h * H, NOW - 40 * DAY + (h + 1) * H, NOW - 40 * DAY + (h + 1) * H + 20 * 60_000));
const job = (j: number) => `job:bench:bench.job_${j}`;

/** Each timed phase starts after a full gc (with --expose-gc), so none pays for the garbage of the one before. */
const gc = (globalThis as { gc?: () => void }).gc;
const cpuMsNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
/**
 * A full gc, then a wait until the process is idle: V8 sweeps the pages a gc freed on background threads after it
 * returns (on this bench's ~800 MB heap, ~300 ms of CPU over the next second, measured), so a phase timed right
 * after gc() paid for the sweeping of the bench's own forced collection: half of an incremental round's CPU. Idle:
 * two 50 ms windows in a row in which the process used under 2 ms of CPU (at most ~5 s). Returns the wait in ms.
 */
const quiesce = async (): Promise<number> => {
  gc?.();
  const t0 = performance.now();
  let last = cpuMsNow();
  for (let quiet = 0, i = 0; quiet < 2 && i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const c = cpuMsNow();
    quiet = c - last < 2 ? quiet + 1 : 0;
    last = c;
  }
  return performance.now() - t0;
};
const uptime = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
const ms = (t: number) => `${Math.round(t).toLocaleString('en-US')} ms`;
/** Wall time and this process's CPU time (user + system) of `fn`: on a shared machine the CPU time is the steadier figure. */
const time = async <T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpuMs: (c.user + c.system) / 1000 };
};

/** Job j's run r: daily, 10 minutes, phase by job; 1% of jobs stopped 3 days early (their outputs go stale). */
const runStart = (j: number, r: number): number => {
  const stoppedEarly = j % 100 === 7 ? 3 * DAY : 0;
  return NOW - (RUNS_PER_JOB - r) * DAY - stoppedEarly + ((j * 977_000) % (20 * H));
};

/** With BENCH_FINDINGS_PROFILE=<dir>, a V8 CPU profile of `fn` alone is written there (open it in Chrome DevTools). */
const profiled = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
  const dir = process.env.BENCH_FINDINGS_PROFILE;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  // BENCH_FINDINGS_ALLOC=1: a sampling allocation profile (.heapprofile) of `fn` as well, to see what makes garbage
  const alloc = process.env.BENCH_FINDINGS_ALLOC === '1';
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  if (alloc) await post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    const file = path.join(dir, `${label.replace(/[^a-z0-9-]+/gi, '_')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    if (alloc) writeFileSync(file.replace(/cpuprofile$/, 'heapprofile'), JSON.stringify(((await post('HeapProfiler.stopSampling')) as { profile: object }).profile));
    session.disconnect();
    process.stdout.write(`CPU profile: ${file}\n`);
  }
};

/** With BENCH_FINDINGS_PROFILE, the time spent in each store.findings method (reset by each call of `report`). */
const timeStoreCalls = (store: LineageStore): { report: () => string } => {
  const spent = new Map<string, { ms: number; calls: number }>();
  if (process.env.BENCH_FINDINGS_PROFILE) {
    const fs = store.findings as unknown as Record<string, unknown>;
    for (const [key, fn] of Object.entries(fs)) {
      if (typeof fn !== 'function') continue;
      fs[key] = async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          const s = spent.get(key) ?? { ms: 0, calls: 0 };
          s.ms += performance.now() - t0;
          s.calls++;
          spent.set(key, s);
        }
      };
    }
  }
  return {
    report: () => {
      const out = [...spent].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${k} ${Math.round(v.ms)} ms (${v.calls})`).join(', ');
      spent.clear();
      return out;
    },
  };
};

const insert = async (db: SqlDriver, table: string, columns: string[], rows: Iterable<SqlValue[]>) => {
  let batch: SqlValue[][] = [];
  const flush = async () => {
    if (batch.length) await db.transaction((tx) => tx.insertRows(table, columns, batch));
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= Math.floor(30_000 / columns.length)) await flush();
  }
  await flush();
};

function* jobRows(): Generator<SqlValue[]> {
  for (let j = 0; j < JOBS; j++) yield [job(j), 'bench', `bench.job_${j}`, 'BATCH', NOW - 40 * DAY, NOW - DAY, null, null, '{}', ''];
}

function* edgeRows(): Generator<SqlValue[]> {
  for (let j = 0; j < JOBS; j++) {
    for (const o of [2 * j, 2 * j + 1]) yield [job(j), 'writes', job(j), ds(o), 'declared', NOW - 40 * DAY, null, null, null, ds(o)];
    for (const i of [(2 * j + 2) % D, (2 * j + 7) % D]) yield [job(j), 'reads', ds(i), job(j), 'declared', NOW - 40 * DAY, null, null, ds(i), null];
  }
}

function* runRows(): Generator<SqlValue[]> {
  for (let j = 0; j < JOBS; j++) {
    const inputs = JSON.stringify([ds((2 * j + 2) % D), ds((2 * j + 7) % D)]);
    const outputs = JSON.stringify([ds(2 * j), ds(2 * j + 1)]);
    for (let r = 0; r < RUNS_PER_JOB; r++) {
      const s = runStart(j, r);
      const e = s + 10 * 60_000;
      yield [`00000000-0000-4000-8000-${String(j * RUNS_PER_JOB + r).padStart(12, '0')}`, 'run', job(j), s, e, 'COMPLETE', e, e, inputs, outputs, '[]', 'declared', null, null, null, '{}'];
    }
  }
}

/** Each run's two outputs written during it (attributed by time); 0.5% of datasets also get an analyst's direct write. */
function* writeRows(): Generator<SqlValue[]> {
  for (let i = 0; i < D; i++) {
    const j = Math.floor(i / 2);
    const src = JSON.stringify([ds((2 * j + 2) % D)]);
    for (let w = 0; w < WRITES_PER_DATASET; w++) {
      const analyst = i % 200 === 3 && w === WRITES_PER_DATASET - 1;
      const at = analyst ? runStart(j, w) + 6 * H : runStart(j, w) + 2 * 60_000;
      yield ['snowflake-bench', `q-${i}-${w}`, ds(i), at, src, null, analyst ? 'UPDATE DB.S.T SET x = 1' : 'INSERT INTO DB.S.T SELECT * FROM DB.S.U', 100, analyst ? 'UPDATE' : 'INSERT', analyst ? 'ANALYST' : 'ETL', null, at + 20 * 60_000]; // accepted 20 minutes after (connector lag)
    }
  }
}

const RUN_SCAN = "SELECT run_id, owner, state, state_at, started_at, inputs, outputs, facets FROM runs WHERE kind = 'run' AND (started_at >= ? OR ended_at >= ? OR ended_at IS NULL)";
const WRITE_SCAN = 'SELECT connector_id, query_id, dataset_id, written_at, sources, user_name, query_text, row_count, operation, actor, hints FROM observed_writes WHERE written_at >= ?';

interface StoreResult {
  name: string;
  loadMs: number;
  scanMs: number;
  scanRows: number;
  fullMs: number;
  fullSummary: { datasets: number; jobs: number; opened: number; open: number };
  incrementalMs: number;
  incrementalRoundsMs: number[];
  /** Datasets each round evaluated (1,000 new writes to distinct datasets: about 1,000, not the previous batch again). */
  incrementalRoundsDatasets: number[];
  incrementalSummary: { datasets: number; jobs: number; opened: number; resolved: number };
  modelBytes: number;
  /** Heap the evaluator's cached facts (every write and run of the window) retain, per dataset. */
  cacheBytes: number;
  cachedFacts: number;
  load: string;
}

const benchStore = async (name: string, url: string): Promise<StoreResult> => {
  const store: LineageStore = await createStore(url);
  await store.migrate();
  const db = (store as unknown as { db: SqlDriver }).db;
  const load = await time(async () => {
    await insert(db, 'jobs', ['id', 'namespace', 'name', 'type', 'created_at', 'updated_at', 'description', 'location', 'facets', 'facets_fp'], jobRows());
    await insert(db, 'edges', ['owner', 'kind', 'from_id', 'to_id', 'provenance', 'valid_from', 'valid_to', 'transformations', 'from_dataset', 'to_dataset'], edgeRows());
    await insert(
      db,
      'runs',
      ['run_id', 'kind', 'owner', 'started_at', 'updated_at', 'state', 'state_at', 'ended_at', 'inputs', 'outputs', 'columns', 'provenance', 'nominal_start_time', 'nominal_end_time', 'parent_run_id', 'facets'],
      runRows(),
    );
    await insert(
      db,
      'observed_writes',
      ['connector_id', 'query_id', 'dataset_id', 'written_at', 'sources', 'user_name', 'query_text', 'row_count', 'operation', 'actor', 'hints', 'recorded_at'],
      writeRows(),
    );
    await store.findings.recordCoverage(historyCoverage());
    if (url.startsWith('postgres')) await db.execute('ANALYZE');
  });
  process.stdout.write(`${name}: loaded ${D} datasets, ${JOBS * RUNS_PER_JOB} runs, ${D * WRITES_PER_DATASET} writes in ${ms(load.ms)}\n`);

  const historyMs = 35 * DAY;
  const since = NOW - historyMs;
  await quiesce();
  const scan = await time(async () => (await db.query(RUN_SCAN, [since, since])).length + (await db.query(WRITE_SCAN, [since])).length);
  process.stdout.write(`${name}: plain scan ${scan.value} rows in ${ms(scan.ms)} (load ${uptime()})\n`);

  const calls = timeStoreCalls(store);
  const rules = reconcileConfig();
  const evaluator = new FindingsEvaluator(store, { domain: 'bench', rules, historyMs, intervalMs: 0, filePolicies: null }, new FindingsMetrics(new MetricsService()));
  await quiesce();
  const full = await profiled(`${name}-full`, () => time(() => evaluator.evaluate('full', NOW)));
  process.stdout.write(`${name}: full evaluation ${ms(full.ms)} (CPU ${ms(full.cpuMs)}): ${JSON.stringify(full.value)} (load ${uptime()})\n`);
  if (process.env.BENCH_FINDINGS_PROFILE) process.stdout.write(`${name}: store calls of the full evaluation: ${calls.report()}\n`);

  // ROUNDS times: 1,000 new writes accepted now (after the writer jobs' last runs), by a dbt model its query comment
  // names (attributed, no finding), with the connector's coverage of their window, then an incremental evaluation; the median round is reported (one round on a loaded machine is noise)
  const rounds: { ms: number; cpuMs: number; value: Awaited<ReturnType<FindingsEvaluator['evaluate']>> }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const fresh: ObservedWrite[] = Array.from({ length: NEW_WRITES }, (_, k) => {
      const i = (k * 97 + round * 7_919) % D;
      return {
        dataset: ds(i) as NodeId,
        sources: [],
        writtenAt: NOW + (10 * round + 5) * 60_000,
        operation: 'MERGE',
        actor: 'DBT',
        queryId: `new-${round}-${k}`,
        queryText: 'merge into DB.S.T ...',
        hints: { dbtNode: `model.bench.job_${Math.floor(i / 2)}` },
        connectorId: 'snowflake-bench',
      };
    });
    await store.recordObservedWrites(fresh);
    // the connector's run that observed them records its window too, as every connector run does
    await store.findings.recordCoverage([coverageWindow(NOW + 10 * round * 60_000, NOW + (10 * round + 10) * 60_000, NOW + (10 * round + 10) * 60_000)]);
    calls.report();
    const settleMs = await quiesce();
    const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
    const r = await profiled(`${name}-incremental-${round}`, () => time(() => evaluator.evaluate('incremental', NOW + (10 * round + 10) * 60_000)));
    rounds.push(r);
    process.stdout.write(`${name}: incremental evaluation ${round + 1}/${ROUNDS} ${ms(r.ms)} (CPU ${ms(r.cpuMs)}): ${r.value.datasets} datasets, ${r.value.jobs} jobs evaluated, heap before ${heapMb} MB (idle ${Math.round(settleMs)} ms after its gc): ${JSON.stringify(r.value)} (load ${uptime()})\n`);
    if (process.env.BENCH_FINDINGS_PROFILE) process.stdout.write(`${name}: store calls of the incremental evaluation: ${calls.report()}\n`);
  }
  const incremental = [...rounds].sort((a, b) => a.ms - b.ms)[Math.floor(ROUNDS / 2)];

  // memory of the facts the evaluator holds between evaluations (what makes the incremental rounds cheap): the heap
  // with them, then after dropping them, each after gc
  const cachedFacts = evaluator.cachedFacts;
  gc?.();
  gc?.();
  const withCache = process.memoryUsage().heapUsed;
  evaluator.releaseFacts();
  gc?.();
  gc?.();
  const cacheBytes = (withCache - process.memoryUsage().heapUsed) / D;
  process.stdout.write(`${name}: facts held between evaluations ${cachedFacts} (writes and runs), ${Math.round(cacheBytes)} bytes per dataset\n`);

  // memory of the learned models of every dataset, held at once
  const [runs, writes] = await Promise.all([store.findings.scanRuns(since), store.findings.scanWrites(since)]);
  const coverage = await store.findings.listCoverage(since);
  const snapshot = new HistorySnapshot({ domain: 'bench', writes: writes.map(writeFact), runs, coverage, policies: [] }, rules, NOW);
  const datasets = snapshot.datasets();
  const models = new Map<NodeId, FreshnessModel>();
  for (const d of datasets) models.set(d, learnFreshnessModel(d, updateTimes(snapshot.writesTo(d), snapshot.runsOutputting(d), rules.slackMs, NOW), rules.freshness));
  // the heap with the models held, then without them: the difference is what they retain (other garbage is
  // collected before both readings, so it cannot make the figure negative)
  gc?.();
  gc?.();
  const withModels = process.memoryUsage().heapUsed;
  const count = models.size;
  models.clear();
  gc?.();
  gc?.();
  const modelBytes = (withModels - process.memoryUsage().heapUsed) / count;
  process.stdout.write(`${name}: learned models ${Math.round(modelBytes)} bytes per dataset (${count} datasets${gc ? '' : ', no --expose-gc: rough'})\n`);
  await store.close();
  return {
    name,
    loadMs: load.ms,
    scanMs: scan.ms,
    scanRows: scan.value,
    fullMs: full.ms,
    fullSummary: full.value,
    incrementalMs: incremental.ms,
    incrementalRoundsMs: rounds.map((r) => r.ms),
    incrementalRoundsDatasets: rounds.map((r) => r.value.datasets),
    incrementalSummary: incremental.value,
    modelBytes,
    cacheBytes,
    cachedFacts,
    load: uptime(),
  };
};

const postgresDatabase = async (): Promise<{ url: string; drop: () => Promise<void> }> => {
  const base = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `findings_bench_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

/** One store's bench, in this process: what a child of `main` runs (BENCH_FINDINGS_CHILD=sqlite|postgres). */
const benchOneStore = async (store: string): Promise<StoreResult> => {
  if (store === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'findings-bench-'));
    if (process.env.BENCH_KEEP) process.stdout.write(`keeping ${dir}\n`);
    try {
      return await benchStore('SQLite (file, WAL)', `sqlite:${path.join(dir, 'shard.db')}`);
    } finally {
      if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    }
  }
  const pg = await postgresDatabase();
  try {
    return await benchStore('PostgreSQL (127.0.0.1)', pg.url);
  } finally {
    if (process.env.BENCH_KEEP) process.stdout.write(`keeping ${pg.url}\n`);
    else await pg.drop();
  }
};

/**
 * Each store is measured in its own process, as a shard runs with one store: measured one after the other in one
 * process, the PostgreSQL rounds ran in a heap still shaped by the SQLite run's ~1 GB of history and facts.
 */
const inChild = (store: string): StoreResult => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'findings-bench-result-')), 'result.json');
  const child = spawnSync(process.execPath, [...process.execArgv, __filename], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_FINDINGS_CHILD: store, BENCH_FINDINGS_RESULT: out },
  });
  if (child.status !== 0) throw new Error(`the ${store} bench process exited with ${child.status ?? child.signal}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as StoreResult;
  rmSync(path.dirname(out), { recursive: true, force: true });
  return result;
};

const main = async () => {
  const child = process.env.BENCH_FINDINGS_CHILD;
  if (child) {
    writeFileSync(process.env.BENCH_FINDINGS_RESULT!, JSON.stringify(await benchOneStore(child)));
    return;
  }
  const results: StoreResult[] = [];
  if (process.env.BENCH_SQLITE !== '0') results.push(inChild('sqlite'));
  if (process.env.BENCH_PG !== '0') results.push(inChild('postgres'));
  const rows = results.map((r) => {
    const ratio = r.fullMs / r.scanMs;
    const share = (100 * r.incrementalMs) / r.fullMs;
    return `| ${r.name} | ${ms(r.scanMs)} (${r.scanRows.toLocaleString('en-US')} rows) | ${ms(r.fullMs)} | **${ratio.toFixed(2)}x** (${ratio <= 5 ? 'met' : 'not met'}) | ${ms(r.incrementalMs)} (median of ${r.incrementalRoundsMs.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ')} ms; datasets evaluated per round ${r.incrementalRoundsDatasets.map((x) => x.toLocaleString('en-US')).join(' / ')}; median round ${r.incrementalSummary.jobs} jobs) | **${share.toFixed(2)}%** (${share <= 2 ? 'met' : 'not met'}) | ${Math.round(r.modelBytes).toLocaleString('en-US')} B | ${Math.round(r.cacheBytes).toLocaleString('en-US')} B (${r.cachedFacts.toLocaleString('en-US')} writes and runs) | ${r.load} |`;
  });
  const body = [
    `\`npm run bench:findings\` (${new Date().toISOString().slice(0, 16)}Z): ${D.toLocaleString('en-US')} datasets, ${(D * WRITES_PER_DATASET).toLocaleString('en-US')} observed writes, ${(JOBS * RUNS_PER_JOB).toLocaleString('en-US')} runs (${JOBS.toLocaleString('en-US')} jobs) in one shard's store, history bulk-loaded into the store's tables; ratios measured in the same run, same store; each store in its own process (as a shard runs with one store). Full evaluation: read, attribute every write, learn every dataset's cadence, judge, write findings and freshness states in one transaction (it opened ${results[0]?.fullSummary.opened.toLocaleString('en-US')} findings: the planted analyst writes and stopped jobs). Incremental: after ${NEW_WRITES.toLocaleString('en-US')} new writes accepted through store.recordObservedWrites, ${ROUNDS} rounds, the median reported; it reads the store's changes since its mark and takes the facts of what it evaluates (the written datasets, the jobs writing them, their runs and their outputs' writes) from the writes and runs the evaluator holds in memory since the full evaluation (FindingsFactsCache, at most FINDINGS_CACHE_FACTS = 5,000,000 writes and runs; cold or over it, the store is read as before), and the datasets whose expected update is due from the freshness states it stored (DueIndex). Each round's line in the log gives its CPU time (process, all threads) beside the wall time. Memory: the learned models of every dataset held at once (heap with them minus heap after dropping them, each read after gc, divided by datasets); the facts held between evaluations likewise (heap with them minus heap after the evaluator releases them). Every timed phase starts after a gc, once the process is idle again (the gc's background sweeping done, which a round timed right after gc() paid for: ~300 ms of CPU on this heap).`,
    '',
    '| store | plain scan | full evaluation | full / scan (target <= 5x) | incremental after 1,000 writes | incremental / full (target <= 2%) | learned model per dataset | facts held between evaluations, per dataset | load (1/5/15 min) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  replaceResultsSection('Findings', body);
  process.stdout.write(`\n${body}\n`);
};

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
