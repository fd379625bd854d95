/**
 * Fault suite, Redis: real shard, gateway and worker processes (from dist/) against a private redis-server that
 * the test starts late, kills with SIGKILL and restarts on the same append-only file. Everything that does not
 * need Redis keeps working throughout (a shard with REDIS_URL starts without it, ingest, federated reads over
 * static shards); the connector API answers 503 while Redis is away (never 500), the shard registers and the
 * worker seeds its connectors file when Redis comes, and the connector config is intact after the kill.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppProcess, startNode } from '../testing/process-kit';
import { freePort, PrivateRedis, until } from '../testing/fault-kit';

jest.setTimeout(180_000);

const json = async (method: string, url: string, body?: unknown) => {
  const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
};

const event = (i: number) => ({
  eventType: 'COMPLETE',
  eventTime: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  producer: 'https://example.com/fault-redis',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` },
  job: { namespace: 'fault-redis', name: `job-${i}` },
  inputs: [{ namespace: 'fault-redis', name: `in-${i}` }],
  outputs: [{ namespace: 'fault-redis', name: `out-${i}` }],
});

const connector = (id: string) => ({
  id,
  kind: 'redshift',
  domain: 'faults',
  schedule: { every: '1h' },
  rateLimit: { requestsPerSecond: 2 },
  enabled: false,
  settings: { host: '127.0.0.1', database: 'dev', user: 'reader', password: { env: 'LINEAGE_SECRET_FAULT_RS' }, clusterIdentifier: 'analytics', region: 'us-east-1' },
});

describe('Redis killed, late and back (real processes, private redis-server)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-fault-redis-'));
  const procs: AppProcess[] = [];
  let redis: PrivateRedis;
  let shard: { httpUrl: string; rpcPort: number };
  let worker: string;
  let gateway: string;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort()); // not started yet: every process starts without it
    const file = path.join(dir, 'connectors.yaml');
    const entry = connector('rs-file');
    writeFileSync(file, `connectors:\n  - ${JSON.stringify(entry)}\n`);
    const shardProc = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: 'faults', STORE_URL: `sqlite:${path.join(dir, 'shard.db')}`, REDIS_URL: redis.url });
    procs.push(shardProc);
    shard = await shardProc.waitFor((l) => l.msg === 'shard started', 30_000);
    const workerProc = startNode('apps/worker/src/main.js', { PORT: '0', HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_PREFIX: 'fault', CONNECTORS_FILE: file, LINEAGE_SECRET_FAULT_RS: 'fault-rs-password', ALERTS_STORE_URL: 'sqlite::memory:', ALERTS_INTERVAL_MS: '0', SHARDS: `faults=127.0.0.1:${shard.rpcPort}` });
    procs.push(workerProc);
    worker = (await workerProc.waitFor((l) => l.msg === 'worker listening', 30_000)).url;
    const gatewayProc = startNode('apps/gateway/src/main.js', {
      PORT: '0',
      HOST: '127.0.0.1',
      SHARDS: `faults=127.0.0.1:${shard.rpcPort}`,
      NAMESPACE_DOMAINS: 'fault-redis=faults',
      REDIS_URL: redis.url,
      WORKER_URL: worker,
      FILTER_REFRESH_MS: '200',
    });
    procs.push(gatewayProc);
    gateway = (await gatewayProc.waitFor((l) => l.msg === 'gateway listening', 30_000)).url;
  });

  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await redis?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What needs no Redis: ingest through the gateway, a federated read, every /health. */
  const worksWithoutRedis = async (i: number) => {
    const ingest = await json('POST', `${gateway}/api/v1/lineage/batch`, [event(i)]);
    expect({ status: ingest.status, failed: ingest.body.summary?.failed }).toEqual({ status: 200, failed: 0 });
    const impact = await until(async () => {
      const res = await json('GET', `${gateway}/api/v1/impact?nodeId=${encodeURIComponent(`dataset:fault-redis:in-${i}`)}`);
      return res.status === 200 && res;
    }, 20_000, 'the gateway to serve the new event');
    expect(impact.body.complete).toBe(true);
    for (const url of [shard.httpUrl, worker, gateway]) expect((await json('GET', `${url}/health`)).status).toBeLessThan(500);
  };

  it('starts every process without Redis; what needs it answers 503, the rest works', async () => {
    const list = await json('GET', `${worker}/api/v1/connectors`);
    expect(list.status).toBe(503);
    expect(list.body.message).toMatch(/Redis/);
    expect((await json('GET', `${gateway}/api/v1/connectors`)).status).toBe(503);
    expect((await json('POST', `${worker}/api/v1/connectors`, connector('rs-api'))).status).toBe(503);
    expect((await json('GET', `${worker}/health`)).body).toMatchObject({ status: 'degraded', redis: 'down' });
    await worksWithoutRedis(1);
  });

  it('seeds the connectors file, registers the shard and serves the connector API once Redis comes', async () => {
    await redis.start();
    const list = await until(async () => {
      const res = await json('GET', `${worker}/api/v1/connectors`);
      return res.status === 200 && res.body.connectors.length > 0 && res;
    }, 30_000, 'the worker to seed its connectors file');
    expect(list.body.connectors.map((c: any) => c.id)).toEqual(['rs-file']);
    expect((await json('POST', `${gateway}/api/v1/connectors`, connector('rs-api'))).status).toBe(201);
    expect((await json('GET', `${worker}/health`)).body).toMatchObject({ redis: 'up' });
    // The shard registered itself (its heartbeat key) once Redis was up.
    const { default: IORedis } = await import('ioredis');
    const client = new IORedis(redis.url);
    try {
      await until(async () => (await client.get('lineage-hub:shard:faults')) !== null, 20_000, 'the shard registration');
    } finally {
      client.disconnect();
    }
  });

  it('answers 503 (not 500) while Redis is killed, keeps ingesting, and finds its config intact after', async () => {
    await redis.kill('SIGKILL');
    await until(async () => (await json('GET', `${worker}/api/v1/connectors`)).status === 503, 20_000, 'a 503 from the connector API');
    const during = await json('GET', `${gateway}/api/v1/connectors/rs-api`);
    expect(during.status).toBe(503);
    await worksWithoutRedis(2);
    await redis.start();
    const after = await until(async () => {
      const res = await json('GET', `${worker}/api/v1/connectors`);
      return res.status === 200 && res;
    }, 30_000, 'the connector API back');
    expect(after.body.connectors.map((c: any) => c.id).sort()).toEqual(['rs-api', 'rs-file']);
    expect((await json('GET', `${worker}/api/v1/connectors/rs-api`)).body.settings.password).toEqual({ env: 'LINEAGE_SECRET_FAULT_RS' });
    await worksWithoutRedis(3);
  });

  it('never logs the configured secret', () => {
    const logged = procs.flatMap((p) => p.lines.map((l) => JSON.stringify(l)));
    expect(logged.length).toBeGreaterThan(10);
    expect(logged.filter((l) => l.includes('fault-rs-password'))).toEqual([]);
  });
});
