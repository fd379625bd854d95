/**
 * Ingest throughput (npm run bench:ingest), SQLite and PostgreSQL, beside the raw insert rate of the same
 * database measured in the same run.
 *
 * Workload: realistic OpenLineage RunEvents (START + COMPLETE per run) for a few thousand jobs reading 1-3
 * tables and writing 1, with schema facets (4-16 fields) and columnLineage on a third of the outputs.
 * Path: prepareEvent (validation + canonicalisation, libs/model) + store.ingest, in-process.
 *  - single: one event per ingest() call (one transaction each)
 *  - batch:  BENCH_BATCH events per ingest() call (one transaction each)
 *  - raw:    plain INSERT of the same event rows (seq, hash, payload, time) into a bare table of the same
 *            database, same batch size, payload text and hashes computed before the clock starts
 * The target: batch ingest >= 25% of the raw batch insert rate.
 *
 * Env: BENCH_JOBS (3000), BENCH_RUNS (2 runs per job), BENCH_BATCH (500), BENCH_SINGLE (1500 events),
 *      BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres; a fresh database is created and dropped),
 *      BENCH_ONLY=sqlite|postgres to run one store, BENCH_WRITE=1 to replace the "## Ingest" section of bench/RESULTS.md. Run from the repository root.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import { createEventValidator, type EventValidator } from '@lineage-hub/model';
import { createStore, type IngestInput, type LineageStore } from '@lineage-hub/store';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const JOBS = env('BENCH_JOBS', 3000);
const RUNS = env('BENCH_RUNS', 2);
const BATCH = env('BENCH_BATCH', 500);
const SINGLE = env('BENCH_SINGLE', 1500);
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** npm scripts run at the repository root. */
const ROOT = process.cwd();
const SHARED = process.env.LINEAGE_SHARED_DIR ?? path.resolve(ROOT, '..', 'shared');

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

export const generate = (): Array<Record<string, any>> => {
  const events: Array<Record<string, any>> = [];
  const base = Date.parse('2024-06-01T00:00:00Z');
  for (let r = 0; r < RUNS; r += 1) {
    for (let j = 0; j < JOBS; j += 1) {
      const inputs = Array.from({ length: 1 + (j % 3) }, (_, k) => TABLES[(j * 7 + k * 13) % TABLES.length]);
      const output = TABLES[(j * 11 + 5) % TABLES.length];
      const start = base + (r * JOBS + j) * 1000;
      const runId = uuid();
      const job = { namespace: `airflow-${DOMAINS[j % DOMAINS.length]}`, name: `dag_${Math.floor(j / 10)}.task_${j % 10}` };
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
              { inputFields: [{ namespace: inputs[0].namespace, name: inputs[0].name, field: inputs[0].fields[k % inputs[0].fields.length].name, transformations: [{ type: 'DIRECT', subtype: k === 0 ? 'IDENTITY' : 'TRANSFORMATION', description: '', masking: k === 3 }] }] },
            ]),
          ),
          dataset: [{ namespace: inputs[0].namespace, name: inputs[0].name, field: inputs[0].fields[0].name, transformations: [{ type: 'INDIRECT', subtype: 'FILTER' }] }],
        };
      }
      const common = {
        producer,
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        job: { ...job, facets: jobFacets },
        inputs: inputs.map((t) => ({ namespace: t.namespace, name: t.name, facets: { schema: schemaFacet(t.fields) } })),
        outputs: [{ namespace: output.namespace, name: output.name, facets: outputFacets }],
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
const rawRows = (events: Array<Record<string, any>>, from = 0): RawRow[] =>
  events.map((e, i) => {
    const payload = JSON.stringify(e);
    return { seq: from + i + 1, hash: createHash('sha256').update(payload).digest('hex'), payload, time: Date.parse(e.eventTime) };
  });

interface Result {
  store: string;
  raw: { single: Measure; batch: Measure };
  ingest: { single: Measure; batch: Measure; batchStoreOnly: Measure };
}

const ingestPath = async (store: LineageStore, validator: EventValidator, single: Array<Record<string, any>>, batch: Array<Record<string, any>>, storeOnly: Array<Record<string, any>>) => {
  const singleM = await measure(single.length, async () => {
    for (const e of single) await store.ingest([validator.prepare(e).input]);
  });
  const batchM = await measure(batch.length, async () => {
    for (const part of chunk(batch, BATCH)) await store.ingest(part.map((e) => validator.prepare(e).input));
  });
  const prepared: IngestInput[][] = chunk(storeOnly, BATCH).map((part) => part.map((e) => validator.prepare(e).input));
  const storeOnlyM = await measure(storeOnly.length, async () => {
    for (const part of prepared) await store.ingest(part);
  });
  return { single: singleM, batch: batchM, batchStoreOnly: storeOnlyM };
};

const benchSqlite = async (validator: EventValidator, split: Split): Promise<Result> => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-bench-'));
  try {
    const file = process.env.BENCH_SQLITE_FILE ?? path.join(dir, 'shard.db'); // keep a copy to inspect
    const store = await createStore(`sqlite:${file}`);
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL'); // as the store's own connection
    raw.exec('CREATE TABLE bench_raw (seq BIGINT PRIMARY KEY, event_hash TEXT NOT NULL UNIQUE, received_at BIGINT NOT NULL, event_time_ms BIGINT, payload TEXT NOT NULL)');
    const insert = raw.prepare('INSERT INTO bench_raw (seq, event_hash, received_at, event_time_ms, payload) VALUES (?, ?, ?, ?, ?)');
    const singleRows = rawRows(split.single);
    const batchRows = rawRows(split.batch, singleRows.length);
    const now = Date.now();
    const rawSingle = await measure(singleRows.length, async () => {
      for (const r of singleRows) raw.transaction(() => insert.run(r.seq, r.hash, now, r.time, r.payload))();
    });
    const rawBatch = await measure(batchRows.length, async () => {
      for (const part of chunk(batchRows, BATCH)) raw.transaction(() => part.forEach((r) => insert.run(r.seq, r.hash, now, r.time, r.payload)))();
    });
    raw.close();
    const ingest = await ingestPath(store, validator, split.single, split.batch, split.storeOnly);
    const stats = await store.stats();
    if (stats.events !== split.single.length + split.batch.length + split.storeOnly.length) throw new Error(`sqlite stored ${stats.events} events`);
    await store.close();
    return { store: 'SQLite (file, WAL)', raw: { single: rawSingle, batch: rawBatch }, ingest };
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
    await pool.query('CREATE TABLE bench_raw (seq BIGINT PRIMARY KEY, event_hash TEXT NOT NULL UNIQUE, received_at BIGINT NOT NULL, event_time_ms BIGINT, payload TEXT NOT NULL)');
    const singleRows = rawRows(split.single);
    const batchRows = rawRows(split.batch, singleRows.length);
    const now = Date.now();
    const client = await pool.connect();
    const rawSingle = await measure(singleRows.length, async () => {
      for (const r of singleRows) {
        await client.query('BEGIN');
        await client.query('INSERT INTO bench_raw (seq, event_hash, received_at, event_time_ms, payload) VALUES ($1, $2, $3, $4, $5)', [r.seq, r.hash, now, r.time, r.payload]);
        await client.query('COMMIT');
      }
    });
    const rawBatch = await measure(batchRows.length, async () => {
      for (const part of chunk(batchRows, BATCH)) {
        const params: unknown[] = [];
        const values = part.map((r, i) => {
          params.push(r.seq, r.hash, now, r.time, r.payload);
          return `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`;
        });
        await client.query('BEGIN');
        await client.query(`INSERT INTO bench_raw (seq, event_hash, received_at, event_time_ms, payload) VALUES ${values.join(',')}`, params);
        await client.query('COMMIT');
      }
    });
    client.release();
    await pool.end();
    const ingest = await ingestPath(store, validator, split.single, split.batch, split.storeOnly);
    const stats = await store.stats();
    if (stats.events !== split.single.length + split.batch.length + split.storeOnly.length) throw new Error(`postgres stored ${stats.events} events`);
    await store.close();
    return { store: 'PostgreSQL 127.0.0.1', raw: { single: rawSingle, batch: rawBatch }, ingest };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
};

interface Split {
  single: Array<Record<string, any>>;
  batch: Array<Record<string, any>>;
  storeOnly: Array<Record<string, any>>;
}

// ---------------------------------------------------------------- report

const f = (n: number) => Math.round(n).toLocaleString('en-US');

const report = (results: Result[], split: Split, pgVersion: string) => {
  const lines = [
    '## Ingest',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z by \`npm run bench:ingest\` (bench/ingest.bench.ts). Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${pgVersion}; shared with other work while it ran.`,
    '',
    `Path: in-process \`prepareEvent\` (ajv validation + canonicalisation) + \`store.ingest\` (the shard's ingest service does the same behind HTTP). ` +
      `Workload: ${f(JOBS)} jobs x ${RUNS} runs, START + COMPLETE per run, 1-3 inputs and 1 output per job with schema facets (4-16 fields), ` +
      `columnLineage on a third of the outputs. Single = ${f(split.single.length)} events, one per ingest() (one transaction each); ` +
      `batch = ${f(split.batch.length)} events in ingest() calls of ${BATCH}. Raw = plain INSERT of the same event rows (seq, hash, time, JSON payload) ` +
      `into a bare table in the same database, same transaction sizes, payloads and hashes prepared before the clock starts.`,
    '',
    '| store | raw insert, single (ev/s) | ingest, single (ev/s) | raw insert, batch (ev/s) | ingest, batch (ev/s) | batch / raw batch | target 25% | store.ingest only, batch (ev/s) | store-only / raw batch |',
    '|---|---:|---:|---:|---:|---:|---|---:|---:|',
    ...results.map((r) => {
      const ratio = r.ingest.batch.rate / r.raw.batch.rate;
      const storeRatio = r.ingest.batchStoreOnly.rate / r.raw.batch.rate;
      return `| ${r.store} | ${f(r.raw.single.rate)} | ${f(r.ingest.single.rate)} | ${f(r.raw.batch.rate)} | ${f(r.ingest.batch.rate)} | ${(ratio * 100).toFixed(1)}% | ${ratio >= 0.25 ? 'met' : 'NOT met'} (${(ratio / 0.25).toFixed(2)}x) | ${f(r.ingest.batchStoreOnly.rate)} | ${(storeRatio * 100).toFixed(1)}% |`;
    }),
    '',
  ];
  return lines.join('\n');
};

const writeSection = (section: string) => {
  const file = path.join(ROOT, 'bench', 'RESULTS.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = current.search(/^## Ingest\s*$/m);
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.slice(start + 3).search(/^## /m);
    next = current.slice(0, start) + section + (after < 0 ? '' : `\n${current.slice(start + 3 + after)}`);
  }
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
  console.log(`wrote the "## Ingest" section of ${file}`);
};

const main = async () => {
  const events = generate();
  // three disjoint slices of the same workload, so nothing measured is a duplicate
  const single = events.slice(0, SINGLE);
  const storeOnlyCount = Math.min(Math.floor((events.length - SINGLE) / 3), 4000);
  const split: Split = { single, batch: events.slice(SINGLE, events.length - storeOnlyCount), storeOnly: events.slice(events.length - storeOnlyCount) };
  console.log(`workload: ${events.length} events (${JOBS} jobs x ${RUNS} runs x 2), single ${split.single.length}, batch ${split.batch.length}, store-only ${split.storeOnly.length}`);
  const validator = createEventValidator({ specDir: path.join(SHARED, 'conformance', 'openlineage', 'spec') });
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect().catch((error) => {
    throw new Error(`PostgreSQL is not reachable at ${PG_ADMIN}: ${error.message}`);
  });
  const pgVersion = `PostgreSQL ${(await admin.query('SHOW server_version')).rows[0].server_version.split(' ')[0]}`;
  await admin.end();
  const results: Result[] = [];
  const only = process.env.BENCH_ONLY; // 'sqlite' | 'postgres' (profiling)
  for (const run of [benchSqlite, benchPostgres].filter((b) => !only || b.name.toLowerCase().includes(only))) {
    const result = await run(validator, split);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  const section = report(results, split, pgVersion);
  console.log(`\n${section}`);
  if (process.env.BENCH_WRITE === '1') writeSection(section);
};

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
