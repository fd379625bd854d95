/**
 * Self-registration through real Redis: a gateway started with one static shard picks up a new domain's
 * shard that registers itself (no gateway restart), routes cross-domain queries to it, and drops it when
 * its heartbeat stops (killed, so its key expires) — after which answers are complete again without it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { type AppProcess as Proc, startNode } from '../testing/process-kit';

jest.setTimeout(60_000);

// A database of its own on the shared Redis, so other suites' shards never join this gateway.
const REDIS_URL = `${(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d+$/, '')}/13`;

const getJson = async (url: string) => (await (await fetch(url)).json()) as any;
const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${await res.text()}`);
};
const until = async <T>(what: string, fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const runEvent = (job: string, inputs: string[], outputs: string[]) => ({
  eventType: 'COMPLETE',
  eventTime: '2026-11-10T10:00:00.000Z',
  producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.23.0/integration/airflow',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: randomUUID() },
  job: { namespace: job.split('/')[0], name: job.split('/')[1] },
  inputs: inputs.map((name) => ({ namespace: 'postgres://warehouse:5432', name })),
  outputs: outputs.map((name) => ({ namespace: 'postgres://warehouse:5432', name })),
});

const suffix = randomUUID().slice(0, 8);
const ALPHA = `alpha-${suffix}`;
const BETA = `beta-${suffix}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lineage-registry-e2e-'));
const procs: Proc[] = [];
let redis: Redis;

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await redis?.del(`lineage-hub:shard:${ALPHA}`, `lineage-hub:shard:${BETA}`).catch(() => undefined);
  redis?.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

it('a shard that registers through Redis joins without a gateway restart, and drops out when its heartbeat stops', async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.ping(); // fails loudly when Redis is not there

  const shardEnv = (domain: string) => ({
    PORT: '0',
    RPC_PORT: '0',
    RPC_HOST: '127.0.0.1',
    SHARD_DOMAIN: domain,
    STORE_URL: `sqlite:${path.join(dataDir, domain, 'lineage.db')}`,
    LOG_LEVEL: 'log',
  });
  const alpha = startNode('apps/shard/src/main.js', { ...shardEnv(ALPHA), REDIS_URL: '' });
  procs.push(alpha);
  const alphaStarted = await alpha.waitFor((l) => l.msg === 'shard started');
  await post(`${alphaStarted.httpUrl}/api/v1/lineage`, runEvent('etl-alpha/load', ['src.public.raw'], ['mart.public.orders']));

  const gateway = startNode('apps/gateway/src/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    SHARDS: `${ALPHA}=127.0.0.1:${alphaStarted.rpcPort}`,
    REDIS_URL,
    DISCOVERY_INTERVAL_MS: '200',
    FILTER_REFRESH_MS: '200',
    SHARD_TIMEOUT_MS: '800',
    LOG_LEVEL: 'log',
  });
  procs.push(gateway);
  const G = (await gateway.waitFor((l) => l.msg === 'gateway listening')).url;
  const impactUrl = `${G}/api/v1/impact?nodeId=${encodeURIComponent('dataset:postgres://warehouse:5432:src.public.raw')}&depth=5`;

  const before = await until('alpha up', async () => {
    const body = await getJson(impactUrl);
    return body.complete && body.nodes?.length ? body : undefined;
  });
  expect(before.nodes.map((n: any) => n.id)).not.toContain('job:etl-beta:report');
  expect(before.nodes.map((n: any) => n.id)).toContain('job:etl-alpha:load');

  // A new domain's shard starts with REDIS_URL and registers itself.
  const beta = startNode('apps/shard/src/main.js', { ...shardEnv(BETA), REDIS_URL, SHARD_ADVERTISE: '' });
  procs.push(beta);
  const betaStarted = await beta.waitFor((l) => l.msg === 'shard started');
  await post(`${betaStarted.httpUrl}/api/v1/lineage`, runEvent('etl-beta/report', ['mart.public.orders'], ['reports.public.weekly']));

  const health = await until('beta registered with the gateway', async () => {
    const body = await getJson(`${G}/health`);
    const b = body.shards.find((s: any) => s.domain === BETA);
    return b?.state === 'up' && b.filterItems > 0 ? body : undefined;
  });
  expect(health.shards.find((s: any) => s.domain === BETA)).toMatchObject({ source: 'redis', httpUrl: betaStarted.httpUrl });

  const joined = await until('cross-domain answer through the new shard', async () => {
    const body = await getJson(impactUrl);
    return body.nodes?.some((n: any) => n.id === 'job:etl-beta:report') ? body : undefined;
  });
  expect(joined.complete).toBe(true);
  expect(joined.nodes.find((n: any) => n.id === 'dataset:postgres://warehouse:5432:reports.public.weekly')).toMatchObject({ distance: 2, domains: [BETA] });
  expect(Object.keys(joined.summary.byDomain).sort()).toEqual([ALPHA, BETA].sort());

  // Killed: no goodbye, so the registration only expires with its TTL.
  beta.child.kill('SIGKILL');
  const left = await until('beta dropped after its heartbeat stopped', async () => {
    const body = await getJson(`${G}/health`);
    return body.shards.some((s: any) => s.domain === BETA) ? undefined : body;
  }, 20_000);
  expect(left.shards.map((s: any) => s.domain)).toEqual([ALPHA]);
  const after = await getJson(impactUrl);
  expect(after.complete).toBe(true);
  expect(after.missingDomains).toEqual([]);
  expect(after.nodes.map((n: any) => n.id)).not.toContain('job:etl-beta:report');
});
