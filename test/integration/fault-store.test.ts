/**
 * Fault suite, shard and store: a real shard process (from dist/) under ingest load from several producers,
 * killed with SIGKILL and restarted on the same store (SQLite and a private PostgreSQL cluster), and, on
 * PostgreSQL, the database crashed under load (immediate shutdown) and started again. The shard survives the
 * database outage, answers 503 (never 500) while it is away, recovers by itself, and no acknowledged event is
 * lost: every event of every batch answered 200 with nothing failed is served afterwards, and the hash chain
 * verifies (POST /api/v1/audit/verify). The private cluster keeps the machine's shared PostgreSQL untouched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { type AppProcess, startNode } from '../testing/process-kit';
import { freePort, PrivatePostgres, sleep, until } from '../testing/fault-kit';

jest.setTimeout(300_000);

const BATCH = 10;
const PRODUCERS = 4;

const event = (runId: string, i: number) => ({
  eventType: 'COMPLETE',
  eventTime: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
  producer: 'https://example.com/fault-store',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId },
  job: { namespace: 'fault-store', name: `job-${i % 50}` },
  inputs: [{ namespace: 'fault-store', name: `in-${i % 50}` }],
  outputs: [{ namespace: 'fault-store', name: `out-${i % 50}` }],
});

/** Producers posting batches until stopped; a batch is acknowledged when it is answered 200 with nothing failed. */
class Load {
  readonly acknowledged: string[] = [];
  readonly statuses = new Map<number | string, number>();
  private stopped = false;
  private seq = 0;
  private readonly loops: Array<Promise<void>> = [];

  constructor(private readonly url: () => string) {
    for (let p = 0; p < PRODUCERS; p++) this.loops.push(this.produce(p));
  }

  private async produce(p: number): Promise<void> {
    while (!this.stopped) {
      const batch = Array.from({ length: BATCH }, () => {
        const i = this.seq++;
        return event(`00000000-0000-4000-8000-${String(p).padStart(2, '0')}${String(i).padStart(10, '0')}`, i);
      });
      let status: number | string;
      try {
        const res = await fetch(`${this.url()}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch), signal: AbortSignal.timeout(20_000) });
        status = res.status;
        const body = (await res.json()) as any;
        if (res.status === 200 && body.summary?.failed === 0) this.acknowledged.push(...batch.map((e) => e.run.runId));
      } catch {
        status = 'no answer';
        await sleep(50);
      }
      this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}

const startShard = async (storeUrl: string) => {
  const proc = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'faults', STORE_URL: storeUrl, REDIS_URL: '', LOG_LEVEL: 'log' });
  const started = await proc.waitFor((l) => l.msg === 'shard started', 60_000);
  return { proc, url: started.httpUrl as string };
};

const storedRunIds = async (url: string): Promise<Set<string>> => {
  const ids = new Set<string>();
  for (let offset = 0; ; offset += 10_000) {
    const res = await fetch(`${url}/api/v1/events/lineage?limit=10000&offset=${offset}&sortDirection=asc`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    for (const e of body.events) ids.add(e.run.runId);
    if (body.events.length < 10_000) return ids;
  }
};

const chainVerifies = async (url: string) => {
  const res = await fetch(`${url}/api/v1/audit/verify`, { method: 'POST' });
  expect(res.status).toBe(200);
  const body = (await res.json()) as any;
  expect(body.events ?? body).toMatchObject({ ok: true });
};

describe.each(['sqlite', 'postgres'] as const)('a shard on %s under ingest load', (backend) => {
  const dir = mkdtempSync(path.join(tmpdir(), `lh-fault-store-${backend}-`));
  let pg: PrivatePostgres | null = null;
  let storeUrl: string;
  let shard: { proc: AppProcess; url: string };
  const procs: AppProcess[] = [];

  beforeAll(async () => {
    if (backend === 'postgres') {
      pg = new PrivatePostgres(await freePort());
      await pg.init();
      await pg.start();
      const admin = new Client({ connectionString: pg.url() });
      await admin.connect();
      await admin.query('CREATE DATABASE faults');
      await admin.end();
      storeUrl = pg.url('faults');
    } else storeUrl = `sqlite:${path.join(dir, 'shard.db')}`;
    shard = await startShard(storeUrl);
    procs.push(shard.proc);
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await pg?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no acknowledged event when the shard is killed -9 mid-load, and its chain verifies', async () => {
    const load = new Load(() => shard.url);
    await until(async () => load.acknowledged.length >= 200, 60_000, 'some acknowledged events');
    shard.proc.child.kill('SIGKILL');
    await new Promise((r) => shard.proc.child.once('exit', r));
    shard = await startShard(storeUrl);
    procs.push(shard.proc);
    const before = load.acknowledged.length;
    await until(async () => load.acknowledged.length >= before + 200, 60_000, 'acknowledged events after the restart');
    await load.stop();
    expect([...load.statuses.keys()].filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);
    const stored = await storedRunIds(shard.url);
    expect(load.acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    await chainVerifies(shard.url);
  });

  if (backend === 'postgres') {
    it('survives PostgreSQL crashing under load: 503 while it is away, recovers alone, loses no acknowledged event', async () => {
      const load = new Load(() => shard.url);
      await until(async () => load.acknowledged.length >= 200, 60_000, 'some acknowledged events');
      await pg!.crash();
      const during = await until(async () => {
        const res = await fetch(`${shard.url}/api/v1/lineage/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event('00000000-0000-4000-8000-999999999999', 1)]) });
        return res.status === 503 && res;
      }, 30_000, 'a 503 while PostgreSQL is away');
      expect(during.status).toBe(503);
      expect((await fetch(`${shard.url}/health`)).status).toBe(503);
      await sleep(1_000); // the producers keep hitting the shard while the database is down
      expect(shard.proc.child.exitCode).toBeNull();
      await pg!.start();
      const before = load.acknowledged.length;
      await until(async () => load.acknowledged.length >= before + 200, 60_000, 'acknowledged events after PostgreSQL returned');
      await load.stop();
      expect(shard.proc.child.exitCode).toBeNull();
      expect(load.statuses.get(503)).toBeGreaterThan(0);
      expect([...load.statuses.keys()].filter((s) => typeof s === 'number' && s >= 500 && s !== 503)).toEqual([]);
      expect((await fetch(`${shard.url}/health`)).status).toBe(200);
      const stored = await storedRunIds(shard.url);
      expect(load.acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      await chainVerifies(shard.url);
    });
  }
});
