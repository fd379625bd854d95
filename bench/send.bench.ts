/**
 * npm run bench:send
 *
 * `lineage send` of BENCH_SEND_EVENTS (default 100,000) OpenLineage events from a JSON-lines file, against the
 * baseline of the same events POSTed straight to the same batch endpoint (/api/v1/lineage/batch on the gateway,
 * batches of 500, 2 in flight: what the CLI does by default) by this process. Each side gets a fresh stack (one
 * shard process on SQLite + the gateway process, from dist/) so neither writes into the other's store; the CLI
 * is timed as a user sees it (process start, reading the file, sending, the state file). Fresh run ids on each
 * side: nothing is a duplicate. Writes the "## CLI send" section of bench/RESULTS.md with the load average.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { replaceResultsSection } from './results-section';

const EVENTS = Number(process.env.BENCH_SEND_EVENTS ?? 100_000);
const BATCH = 500;
const IN_FLIGHT = 2;
const ROOT = path.resolve(__dirname, '..', '..');

const uuid = (i: number, side: number) => `0000${side}000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

const events = (side: number) =>
  Array.from({ length: EVENTS }, (_, i) => ({
    eventType: 'COMPLETE',
    eventTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    producer: 'https://example.com/bench',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: uuid(i, side) },
    job: { namespace: 'bench-send', name: `job_${i % 2000}` },
    inputs: [{ namespace: 'postgres://db:5432', name: `shop.public.src_${i % 500}` }],
    outputs: [{ namespace: 'postgres://db:5432', name: `shop.public.out_${i % 2000}` }],
  }));

interface Proc {
  stop(): Promise<void>;
  line: (pred: (l: any) => boolean) => Promise<any>;
}

const start = (entry: string, env: Record<string, string>): Proc => {
  const merged: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...env };
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], { env: merged, stdio: ['ignore', 'pipe', 'inherit'] });
  let exited = false;
  child.once('exit', (code) => {
    exited = true;
    for (const w of waiters.splice(0)) w.reject(new Error(`${entry} exited (${code}) before it was ready`));
  });
  const lines: any[] = [];
  const waiters: Array<{ pred: (l: any) => boolean; resolve: (l: any) => void; reject: (e: Error) => void }> = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      let line: any;
      try {
        line = JSON.parse(buf.slice(0, nl));
      } catch {
        line = { msg: buf.slice(0, nl) };
      }
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.pred(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  return {
    line: (pred) =>
      new Promise((resolve, reject) => {
        const found = lines.find(pred);
        if (found) resolve(found);
        else if (exited) reject(new Error(`${entry} is not running`));
        else waiters.push({ pred, resolve, reject });
      }),
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
};

const stack = async (dir: string) => {
  const shard = start('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'bench', STORE_URL: `sqlite:${path.join(dir, 'lineage.db')}`, REDIS_URL: '', LOG_LEVEL: 'log' });
  const shardUp = await shard.line((l) => l.msg === 'shard started');
  const gateway = start('apps/gateway/src/main.js', { PORT: '0', HOST: '127.0.0.1', SHARDS: `bench=127.0.0.1:${shardUp.rpcPort}`, NAMESPACE_DOMAINS: 'bench-send=bench', REDIS_URL: '', LOG_LEVEL: 'log' });
  const url = (await gateway.line((l) => l.msg === 'gateway listening')).url as string;
  return { url, stop: async () => (await gateway.stop(), await shard.stop()) };
};

const baseline = async (url: string, all: unknown[]) => {
  const t0 = performance.now();
  let next = 0;
  let stored = 0;
  const worker = async () => {
    while (next < all.length) {
      const batch = all.slice(next, (next += BATCH));
      const res = await fetch(`${url}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      const body: any = await res.json();
      stored += body.summary?.successful ?? body.successful ?? 0;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { seconds: (performance.now() - t0) / 1000, stored };
};

const cli = (url: string, file: string, dir: string) =>
  new Promise<{ seconds: number; summary: any }>((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'lineage.js'), 'send', file, '--gateway', url, '--batch-size', String(BATCH), '--concurrency', String(IN_FLIGHT), '--state', path.join(dir, 'state.json'), '--format', 'json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve({ seconds: (performance.now() - t0) / 1000, summary: JSON.parse(out) }) : reject(new Error(`lineage send exited ${code}: ${out}`))));
  });

const main = async () => {
  const load0 = loadavg();
  const dirA = mkdtempSync(path.join(tmpdir(), 'bench-send-a-'));
  const dirB = mkdtempSync(path.join(tmpdir(), 'bench-send-b-'));
  try {
    const a = await stack(dirA);
    const base = await baseline(a.url, events(1));
    await a.stop();
    const b = await stack(dirB);
    const file = path.join(dirB, 'events.jsonl');
    writeFileSync(file, events(2).map((e) => JSON.stringify(e)).join('\n') + '\n');
    const sent = await cli(b.url, file, dirB);
    await b.stop();
    const load1 = loadavg();
    const baseRate = EVENTS / base.seconds;
    const cliRate = EVENTS / sent.seconds;
    const ratio = cliRate / baseRate;
    const result = { events: EVENTS, baseline: { seconds: base.seconds, eventsPerSecond: Math.round(baseRate), stored: base.stored }, cli: { seconds: sent.seconds, eventsPerSecond: Math.round(cliRate), reported: sent.summary.eventsPerSecond, stored: sent.summary.stored }, ratio, withinTwentyPercent: Math.abs(1 - ratio) <= 0.2, loadAverage: { start: load0, end: load1 } };
    console.log(JSON.stringify(result));
    if (process.env.BENCH_WRITE !== '0') {
      replaceResultsSection(
        'CLI send',
        [
          `\`npm run bench:send\` (bench/send.bench.ts), ${new Date().toISOString().slice(0, 10)}: ${EVENTS.toLocaleString('en')} events, batches of ${BATCH}, ${IN_FLIGHT} in flight, one shard (SQLite) behind the gateway, a fresh stack per side. Machine: ${cpus().length} cores, Node ${process.version}; 1-min load average ${load0[0].toFixed(1)} at the start, ${load1[0].toFixed(1)} at the end.`,
          '',
          '| | seconds | events/s | stored |',
          '| --- | --- | --- | --- |',
          `| baseline: POST /api/v1/lineage/batch from this process | ${base.seconds.toFixed(1)} | ${Math.round(baseRate)} | ${base.stored} |`,
          `| \`lineage send events.jsonl\` (process start to exit) | ${sent.seconds.toFixed(1)} | ${Math.round(cliRate)} (it printed ${sent.summary.eventsPerSecond}) | ${sent.summary.stored} |`,
          '',
          `CLI / baseline: ${(ratio * 100).toFixed(1)}% (target: within 20%): ${result.withinTwentyPercent ? 'met' : 'NOT met'}.`,
        ].join('\n'),
      );
    }
  } finally {
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  }
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
