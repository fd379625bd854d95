/**
 * Group commit keeps "durable before the 2xx": 32 producers post single events to a real shard process (their
 * concurrent requests share transactions), the shard is killed with SIGKILL mid-stream, restarted on the same store,
 * and every event that had been answered 2xx is there. SQLite (file) and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startNode, type AppProcess } from '../testing/process-kit';
import { createTempDatabase, getJson, postJson } from '../testing/shard-test-kit';

const PRODUCERS = 32;

const event = (producer: number, i: number) => ({
  eventType: 'COMPLETE',
  eventTime: new Date().toISOString(),
  run: { runId: randomUUID() },
  job: { namespace: 'kill-test', name: `producer${producer}.event${i}` },
  inputs: [{ namespace: 'kill-test', name: `in${producer}` }],
  outputs: [{ namespace: 'kill-test', name: `out${producer}_${i}` }],
  producer: 'https://github.com/lineage-hub/test',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent',
});

const startShard = async (storeUrl: string): Promise<{ proc: AppProcess; url: string }> => {
  const proc = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'kill', STORE_URL: storeUrl, REDIS_URL: '' });
  const started = await proc.waitFor((l) => l.msg === 'shard started');
  return { proc, url: started.httpUrl };
};

/** Producers post until the shard dies; returns the jobs of the events answered 2xx. */
const produceUntilKilled = async (url: string, proc: AppProcess): Promise<{ acknowledged: string[]; refusedAfterKill: number }> => {
  const acknowledged: string[] = [];
  let killed = false;
  let refusedAfterKill = 0;
  const producer = async (p: number) => {
    // posts until its shard is gone: a request answered 2xx after the kill was ordered still counts as acknowledged
    for (let i = 0; ; i++) {
      const e = event(p, i);
      try {
        const response = await postJson(`${url}/api/v1/lineage`, e);
        await response.text();
        if (response.status >= 200 && response.status < 300) acknowledged.push(e.job.name);
        else throw new Error(`event refused with ${response.status}`);
      } catch (error) {
        if (!killed) throw error;
        refusedAfterKill++;
        return;
      }
    }
  };
  const running = Array.from({ length: PRODUCERS }, (_, p) => producer(p));
  // kill once enough events were acknowledged that requests are in flight in every producer
  const deadline = Date.now() + 60_000;
  while (acknowledged.length < 160 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  killed = true;
  proc.child.kill('SIGKILL');
  await Promise.all(running);
  return { acknowledged, refusedAfterKill };
};

describe.each([['SQLite'], ['PostgreSQL']])('single-event ingest under SIGKILL (%s)', (kind) => {
  let storeUrl: string;
  let drop: (() => Promise<void>) | undefined;
  let tmp: string | undefined;
  const procs: AppProcess[] = [];

  beforeAll(async () => {
    if (kind === 'SQLite') {
      tmp = mkdtempSync(path.join(tmpdir(), 'ingest-kill-'));
      storeUrl = `sqlite:${path.join(tmp, 'lineage.db')}`;
    } else {
      const db = await createTempDatabase('ingest_kill');
      storeUrl = db.url;
      drop = db.drop;
    }
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await drop?.();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('loses no event it answered 2xx', async () => {
    const first = await startShard(storeUrl);
    procs.push(first.proc);
    const { acknowledged, refusedAfterKill } = await produceUntilKilled(first.url, first.proc);
    expect(acknowledged.length).toBeGreaterThanOrEqual(160);
    expect(refusedAfterKill).toBeGreaterThan(0); // requests were in flight when it died

    const second = await startShard(storeUrl);
    procs.push(second.proc);
    const lost: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 32) {
      const answers = await Promise.all(acknowledged.slice(i, i + 32).map(async (job) => ({ job, status: (await getJson(`${second.url}/api/v1/namespaces/kill-test/jobs/${encodeURIComponent(job)}`)).status })));
      for (const a of answers) if (a.status !== 200) lost.push(a.job);
    }
    expect(lost).toEqual([]);
  });
});
