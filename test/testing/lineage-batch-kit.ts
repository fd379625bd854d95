/**
 * Test support: the OpenLineage batch answer (spec/OpenLineage.openapi.yml, POST /lineage/batch) checked on a shard
 * and on the gateway with a batch of good events and broken ones mixed in. Used by lineage-batch.test.ts (the
 * project's own events) and test/conformance/lineage-batch.conformance.test.ts (every conformance event).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startGateway, type RunningGateway } from '../../apps/gateway/src/gateway-app';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import { getJson, postJson, postRaw } from './shard-test-kit';

export interface MiniHub {
  shards: Record<string, RunningShard>;
  gateway: RunningGateway;
  close(): Promise<void>;
}

/** Shards (SQLite in a temp folder) for `domains`, and a gateway routing `namespaceDomains` (NAMESPACE_DOMAINS) to them. */
export const startMiniHub = async (domains: string[], namespaceDomains: string): Promise<MiniHub> => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'batch-hub-'));
  const shards: Record<string, RunningShard> = {};
  for (const domain of domains) {
    shards[domain] = await startShard(
      shardConfig({ port: 0, rpcPort: 0, rpcHost: '127.0.0.1', domain, storeUrl: `sqlite:${path.join(tmp, domain, 'lineage.db')}`, logLevel: 'error' }),
    );
  }
  const gateway = await startGateway(
    loadGatewayConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SHARDS: domains.map((d) => `${d}=127.0.0.1:${shards[d].rpcPort}`).join(','),
      ...(namespaceDomains ? { NAMESPACE_DOMAINS: namespaceDomains } : {}),
      LOG_LEVEL: 'error',
    }),
  );
  return {
    shards,
    gateway,
    async close() {
      await gateway.close();
      for (const shard of Object.values(shards)) await shard.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
};

/** Events the spec refuses, each broken in another way. */
export const brokenEvents = (template: Record<string, any>): unknown[] => [
  42,
  { ...template, run: { facets: {} } }, // no run.runId
  { ...template, eventTime: 'yesterday' },
  { ...template, eventType: 'FINISHED' },
  { ...template, job: { namespace: template.job.namespace } }, // no job.name
];

/** Good events with the broken ones spread through them; returns the batch and the indexes that must fail. */
export const mixBatch = (good: unknown[], broken: unknown[]): { batch: unknown[]; badIndexes: number[] } => {
  const batch = [...good];
  const badIndexes: number[] = [];
  broken.forEach((event, i) => {
    const at = Math.min(batch.length, Math.floor(((i + 1) * batch.length) / (broken.length + 1)) + i);
    batch.splice(at, 0, event);
  });
  batch.forEach((event, i) => broken.includes(event) && badIndexes.push(i));
  return { batch, badIndexes };
};

/** The spec's answer shape, field by field (types as the OpenAPI document gives them). */
export const expectSpecBatchAnswer = (body: any, received: number, badIndexes: number[]) => {
  expect(Object.keys(body)).toEqual(expect.arrayContaining(['status', 'summary', 'failed_events']));
  expect(body.status).toBe(badIndexes.length ? 'partial_success' : 'success');
  expect(body.summary).toEqual({ received, successful: received - badIndexes.length, failed: badIndexes.length, retriable: 0, non_retriable: badIndexes.length });
  expect(body.failed_events.map((f: any) => f.index)).toEqual(badIndexes);
  for (const failure of body.failed_events) {
    expect(failure).toEqual(expect.objectContaining({ index: expect.any(Number), reason: expect.any(String), retriable: false }));
    expect(failure.reason.length).toBeGreaterThan(3);
  }
};

/** Events stored by a shard: the Marquez events list's totalCount. */
export const storedEvents = async (shard: RunningShard): Promise<number> => (await getJson(`${shard.httpUrl}/api/v1/events/lineage?limit=1`)).body.totalCount;

/** The same content-type rule on both edges: JSON only (415 naming the header), nothing stored. */
export const expectJsonOnly = async (url: string, event: unknown, shardsToCheck: RunningShard[]) => {
  const before = await Promise.all(shardsToCheck.map(storedEvents));
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const res = await postRaw(`${url}/api/v1/lineage`, JSON.stringify(event), { 'content-type': type });
    expect({ type, status: res.status }).toEqual({ type, status: 415 });
    expect(((await res.json()) as any).field).toBe('Content-Type');
  }
  const ok = await postJson(`${url}/api/v1/lineage`, event, { 'content-type': 'application/json; charset=utf-8' });
  expect(ok.status).toBe(200);
  const after = await Promise.all(shardsToCheck.map(storedEvents));
  expect(after.reduce((a, b) => a + b, 0)).toBe(before.reduce((a, b) => a + b, 0) + 1);
};
