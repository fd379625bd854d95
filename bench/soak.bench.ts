/**
 * npm run bench:soak
 *
 * Mixed ingest and reads against one shard process (from dist/) on SQLite and on PostgreSQL (a database of its
 * own on PG_URL, default the local server; dropped after), for SOAK_MINUTES (default 10) per store, with a
 * kill -9 of the shard every SOAK_KILL_EVERY_S (default 120) and a restart on the same store. Measures:
 * - events acknowledged (a batch answered 200 with nothing failed) against events stored afterwards: every
 *   acknowledged event must be stored (lost = 0; stored may exceed acknowledged by batches whose answer the kill cut);
 * - read latency (GET /api/v1/lineage, depth 3, around a busy node) idle before the load and under it, p50/p99;
 * - the shard's RSS sampled every 5 s, per process life: after its first minute (warm-up) against its end.
 * SOAK_PRODUCERS (2) producers post batches of SOAK_BATCH (50) events; one reader reads back to back.
 * Writes the "## Soak" section of bench/RESULTS.md with the load average (SOAK_WRITE=0 to skip).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { replaceResultsSection } from './results-section';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const KILL_EVERY_S = Number(process.env.SOAK_KILL_EVERY_S ?? 120);
const PRODUCERS = Number(process.env.SOAK_PRODUCERS ?? 2);
const BATCH = Number(process.env.SOAK_BATCH ?? 50);
const BACKENDS = (process.env.SOAK_BACKENDS ?? 'sqlite,postgres').split(',').map((b) => b.trim()).filter(Boolean);
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = path.resolve(__dirname, '..', '..');
const IDLE_READS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const runId = (i: number) => `50a40000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

const event = (i: number) => ({
  eventType: 'COMPLETE',
  eventTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  producer: 'https://example.com/bench-soak',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: runId(i) },
  job: { namespace: 'soak', name: `job_${i % 500}` },
  inputs: [{ namespace: 'soak', name: `src_${i % 100}` }, { namespace: 'soak', name: 'hub' }],
  outputs: [{ namespace: 'soak', name: `out_${i % 500}` }],
});

interface Shard {
  child: ChildProcess;
  url: string;
}

const startShard = (storeUrl: string): Promise<Shard> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'soak', STORE_URL: storeUrl, LOG_LEVEL: 'log' };
    delete env.REDIS_URL;
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'apps/shard/src/main.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    const timer = setTimeout(() => reject(new Error('shard did not start in 120 s')), 120_000);
    child.once('exit', (code) => reject(new Error(`shard exited (${code}) before it started`)));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!text.includes('shard started')) continue;
        clearTimeout(timer);
        resolve({ child, url: JSON.parse(text).httpUrl });
      }
    });
  });

const kill9 = async (shard: Shard) => {
  if (shard.child.exitCode !== null) return;
  const exited = new Promise((r) => shard.child.once('exit', r));
  shard.child.kill('SIGKILL');
  await exited;
};

const rssMb = (pid: number): number | null => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
};

const READ_NODE = encodeURIComponent('dataset:soak:hub');
const read = async (url: string): Promise<number> => {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/lineage?nodeId=${READ_NODE}&depth=3&maxNodes=2000`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`read answered ${res.status}`);
  return performance.now() - t0;
};

const storedRunIds = async (url: string): Promise<Set<string>> => {
  const ids = new Set<string>();
  for (let offset = 0; ; offset += 10_000) {
    const res = await fetch(`${url}/api/v1/events/lineage?limit=10000&offset=${offset}&sortDirection=asc`);
    const body = (await res.json()) as any;
    for (const e of body.events) ids.add(e.run.runId);
    if (body.events.length < 10_000) return ids;
  }
};

const soak = async (backend: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `bench-soak-${backend}-`));
  const database = `lh_soak_${process.pid}`;
  let storeUrl = `sqlite:${path.join(dir, 'lineage.db')}`;
  if (backend === 'postgres') {
    const admin = new Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    storeUrl = url.toString();
  }
  let shard = await startShard(storeUrl);
  let seq = 0;
  const acknowledged: number[] = [];
  const statuses: Record<string, number> = {};
  try {
    // Warm data, then the idle read latency.
    for (let i = 0; i < 20; i++) {
      const batch = Array.from({ length: BATCH }, () => event(seq++));
      const res = await fetch(`${shard.url}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      const body = (await res.json()) as any;
      if (res.status === 200 && body.summary.failed === 0) acknowledged.push(...batch.map((_, k) => seq - BATCH + k));
    }
    const idle: number[] = [];
    for (let i = 0; i < IDLE_READS; i++) idle.push(await read(shard.url));
    const idleLoad = loadavg()[0];

    let stopped = false;
    const under: number[] = [];
    let readErrors = 0;
    const producer = async () => {
      while (!stopped) {
        const first = seq;
        seq += BATCH;
        const batch = Array.from({ length: BATCH }, (_, k) => event(first + k));
        let status = 'no answer';
        try {
          const res = await fetch(`${shard.url}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch), signal: AbortSignal.timeout(30_000) });
          status = String(res.status);
          const body = (await res.json()) as any;
          if (res.status === 200 && body.summary.failed === 0) for (let k = 0; k < BATCH; k++) acknowledged.push(first + k);
        } catch {
          await sleep(100);
        }
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    };
    const reader = async () => {
      while (!stopped) {
        try {
          under.push(await read(shard.url));
        } catch {
          readErrors++;
          await sleep(100);
        }
      }
    };
    const lives: Array<{ warm: number | null; end: number | null }> = [];
    const t0 = Date.now();
    const loops = [...Array.from({ length: PRODUCERS }, producer), reader()];
    const loadSamples: number[] = [];
    let kills = 0;
    while (Date.now() - t0 < MINUTES * 60_000) {
      const lifeStart = Date.now();
      const life = { warm: null as number | null, end: null as number | null };
      lives.push(life);
      while (Date.now() - lifeStart < KILL_EVERY_S * 1000 && Date.now() - t0 < MINUTES * 60_000) {
        await sleep(5_000);
        const rss = rssMb(shard.child.pid!);
        if (Date.now() - lifeStart >= 60_000 && life.warm === null) life.warm = rss;
        life.end = rss;
        loadSamples.push(loadavg()[0]);
      }
      if (Date.now() - t0 >= MINUTES * 60_000) break;
      await kill9(shard);
      kills++;
      shard = await startShard(storeUrl);
    }
    stopped = true;
    await Promise.all(loops);
    const stored = await storedRunIds(shard.url);
    const lost = acknowledged.filter((i) => !stored.has(runId(i))).length;
    idle.sort((a, b) => a - b);
    under.sort((a, b) => a - b);
    return {
      backend,
      minutes: MINUTES,
      kills,
      acknowledged: acknowledged.length,
      stored: stored.size,
      lost,
      statuses,
      reads: { idle: { n: idle.length, p50: pct(idle, 50), p99: pct(idle, 99) }, underLoad: { n: under.length, p50: pct(under, 50), p99: pct(under, 99), errors: readErrors } },
      p99Ratio: pct(under, 99) / pct(idle, 99),
      rssMb: lives.map((l) => ({ afterWarmUp: l.warm, end: l.end })),
      load: { idle: idleLoad, duringMean: loadSamples.reduce((a, b) => a + b, 0) / Math.max(1, loadSamples.length) },
    };
  } finally {
    await kill9(shard);
    rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const admin = new Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  }
};

const fmt = (n: number | null) => (n === null || Number.isNaN(n) ? '-' : n.toFixed(n >= 100 ? 0 : 1));

const main = async () => {
  const results = [];
  for (const backend of BACKENDS) {
    const result = await soak(backend);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  if (process.env.SOAK_WRITE === '0') return;
  const rows = results.map(
    (r) =>
      `| ${r.backend} | ${r.minutes} | ${r.kills} | ${r.acknowledged} | ${r.stored} | ${r.lost} | ${fmt(r.reads.idle.p50)} / ${fmt(r.reads.idle.p99)} | ${fmt(r.reads.underLoad.p50)} / ${fmt(r.reads.underLoad.p99)} (${r.reads.underLoad.n} reads) | ${fmt(r.p99Ratio)}x | ${r.rssMb.map((l) => `${fmt(l.afterWarmUp)}->${fmt(l.end)}`).join(', ')} | ${fmt(r.load.idle)} / ${fmt(r.load.duringMean)} |`,
  );
  replaceResultsSection(
    'Soak',
    [
      `\`npm run bench:soak\` (bench/soak.bench.ts), ${new Date().toISOString().slice(0, 16)}Z: one shard process per store, ${PRODUCERS} producers posting batches of ${BATCH}, one reader (GET /api/v1/lineage depth 3 around a dataset every event reads), kill -9 of the shard every ${KILL_EVERY_S} s and a restart on the same store. Machine: ${cpus().length} cores shared with other work, Node ${process.version}.`,
      '',
      '| store | minutes | kills | acknowledged | stored | lost | read ms idle p50 / p99 | read ms under load p50 / p99 | p99 under load / idle | RSS MB per life (after 1 min -> end) | load avg idle / during |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      '"lost" counts acknowledged events (batch answered 200, nothing failed) missing afterwards: it must be 0. "stored" may exceed "acknowledged" by the batches a kill cut before their answer.',
    ].join('\n'),
  );
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
