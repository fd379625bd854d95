/**
 * The shard app, booted for real (HTTP on an ephemeral port, TCP microservice on another), against SQLite in a
 * temp folder and against a fresh PostgreSQL database. Fixtures: the project's own (test/fixtures/openlineage/MANIFEST.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { canonicalNodeId, LIMITS, type NodeId } from '@lineage-hub/model';
import { createStore } from '@lineage-hub/store';
import Redis from 'ioredis';
import {
  loadMembershipFilter,
  plainExpandAnswer,
  SHARD_REGISTRY_PREFIX,
  ShardClient,
  type ShardMessageName,
  ShardRefusedError,
  type ShardRequest,
  ShardRpcPatterns,
  ShardUnavailableError,
} from '@lineage-hub/federation';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { shardConfig } from '../../apps/shard/src/shard.config';
import {
  createTempDatabase,
  type FixtureFile,
  getJson,
  loadManifestFixtures,
  postGzip,
  postJson,
  postRaw,
} from '../testing/shard-test-kit';

const MAX_BODY = 4 * 1024 * 1024;
const fixtures = loadManifestFixtures();
const complete = fixtures.filter((f) => f.kind === 'complete');
const negative = fixtures.filter((f) => f.kind === 'negative');
const completeEvents = complete.flatMap((f) => f.events.map((event) => ({ file: f.file, event })));
const runEvents = completeEvents.filter(({ event }) => event.run && event.job);
const negativeFile = (name: string): FixtureFile => {
  const found = negative.find((f) => f.file.endsWith(`/${name}`));
  if (!found) throw new Error(`negative fixture ${name} not in MANIFEST.md`);
  return found;
};

const jobIds = [...new Set(completeEvents.filter(({ event }) => event.job).map(({ event }) => `job:${event.job.namespace}:${event.job.name}`))];
const runIds = [...new Set(runEvents.map(({ event }) => event.run.runId as string))];
const dsId = (ref: { namespace: string; name: string }) => canonicalNodeId(`dataset:${ref.namespace}:${ref.name}`);
const LAKE_ORDERS = dsId({ namespace: 's3://shop-lake', name: 'raw/orders/2024-06-01' });
const STAGED_ORDERS = dsId({ namespace: 'snowflake://acme-prod', name: 'ANALYTICS.STAGING.ORDERS' });
const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

/** What must not depend on arrival order or repetition: every job's lineage graph structure and every run's state. */
async function graphSnapshot(shard: RunningShard) {
  const graphs: Record<string, unknown> = {};
  for (const id of jobIds) {
    const { status, body } = await getJson(`${shard.httpUrl}/api/v1/lineage?${q({ nodeId: id, depth: 20 })}`);
    graphs[id] =
      status === 200
        ? body.graph.map((n: any) => ({
            id: n.id,
            type: n.type,
            in: n.inEdges.map((e: any) => e.origin),
            out: n.outEdges.map((e: any) => e.destination),
          }))
        : status;
  }
  const runs: Record<string, unknown> = {};
  for (const id of runIds) {
    const { status, body } = await getJson(`${shard.httpUrl}/api/v1/jobs/runs/${encodeURIComponent(id)}`);
    runs[id] = status === 200 ? { state: body.state, startedAt: body.startedAt, endedAt: body.endedAt, job: body.jobVersion } : status;
  }
  const health = await getJson(`${shard.httpUrl}/health`);
  const { bytes: _bytes, ...index } = health.body.index; // heap estimate, not graph content
  return { graphs, runs, stats: health.body.store, index };
}

/** The stored state bad input must never touch. */
async function storedState(shard: RunningShard) {
  const events = await getJson(`${shard.httpUrl}/api/v1/events/lineage?limit=1`);
  const health = await getJson(`${shard.httpUrl}/health`);
  return { events: events.body.totalCount, store: health.body.store, index: health.body.index, version: health.body.version };
}

describe.each([['sqlite'], ['postgres']])('shard API on %s', (storeKind) => {
  const tmp = mkdtempSync(path.join(tmpdir(), `shard-it-${storeKind}-`));
  const cleanups: Array<() => Promise<void>> = [];
  let shard: RunningShard;
  let reversed: RunningShard;

  const boot = async (name: string, overrides: Record<string, unknown> = {}) => {
    let storeUrl = `sqlite:${path.join(tmp, name, 'lineage.db')}`;
    if (storeKind === 'postgres') {
      const db = await createTempDatabase(`shard_it_${name}`);
      cleanups.push(() => db.drop());
      storeUrl = db.url;
    }
    const running = await startShard(
      shardConfig({ port: 0, rpcPort: 0, rpcHost: '127.0.0.1', domain: `it-${name}`, storeUrl, maxBodyBytes: MAX_BODY, logLevel: 'error', ...overrides }),
    );
    cleanups.unshift(() => running.close());
    return Object.assign(running, { storeUrl });
  };

  beforeAll(async () => {
    shard = await boot('forward');
    reversed = await boot('reverse');
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('accepts every complete event on POST /api/v1/lineage, in replay order', async () => {
    for (const { file, event } of completeEvents) {
      const res = await postJson(`${shard.httpUrl}/api/v1/lineage`, event);
      const body = ((await res.json()) as any);
      expect({ file, status: res.status }).toEqual({ file, status: 200 });
      expect(['accepted', 'duplicate']).toContain(body.status);
    }
  });

  it("places each RunEvent's inputs and outputs around its job in /api/v1/lineage (as of the event time)", async () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { file, event } of runEvents) {
      const inputs = (event.inputs ?? []).map(dsId);
      const outputs = (event.outputs ?? []).map(dsId);
      if (inputs.length + outputs.length === 0) continue;
      const job = `job:${event.job.namespace}:${event.job.name}`;
      const { status, body } = await getJson(`${shard.httpUrl}/api/v1/lineage?${q({ nodeId: job, depth: 1, asOf: event.eventTime })}`);
      expect({ file, status }).toEqual({ file, status: 200 });
      const jobNode = body.graph.find((n: any) => n.id === job);
      expect(jobNode?.type).toBe('JOB');
      for (const id of inputs) {
        if (!jobNode.inEdges.some((e: any) => e.origin === id && e.destination === job)) missing.push(`${file}: input ${id}`);
        checked++;
      }
      for (const id of outputs) {
        if (!jobNode.outEdges.some((e: any) => e.origin === job && e.destination === id)) missing.push(`${file}: output ${id}`);
        checked++;
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it('answers column lineage for every output that declared a columnLineage facet, in Marquez shape', async () => {
    let checked = 0;
    for (const { file, event } of runEvents) {
      for (const output of event.outputs ?? []) {
        const fields = output.facets?.columnLineage?.fields;
        if (!fields) continue;
        const dataset = dsId(output);
        const { status, body } = await getJson(
          `${shard.httpUrl}/api/v1/column-lineage?${q({ nodeId: dataset, depth: 1, asOf: event.eventTime })}`,
        );
        expect({ file, status }).toEqual({ file, status: 200 });
        for (const [field, spec] of Object.entries<any>(fields)) {
          const fieldId = canonicalNodeId(`datasetField:${output.namespace}:${output.name}:${field}`);
          const node = body.graph.find((n: any) => n.id === fieldId);
          expect({ file, fieldId, found: !!node }).toEqual({ file, fieldId, found: true });
          expect(node.type).toBe('DATASET_FIELD');
          for (const input of spec.inputFields ?? []) {
            const inputId = canonicalNodeId(`datasetField:${input.namespace}:${input.name}:${input.field}`);
            expect({ file, fieldId, inputId, edge: node.inEdges.some((e: any) => e.destination === inputId) }).toEqual({
              file,
              fieldId,
              inputId,
              edge: true,
            });
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('gives the same graph and run states for the same events in reverse order, and for every event sent twice', async () => {
    const forward = await graphSnapshot(shard);
    const reverseBatch = [...completeEvents].reverse().map(({ event }) => event);
    const res = await postJson(`${reversed.httpUrl}/api/v1/lineage/batch`, reverseBatch);
    const batchBody = ((await res.json()) as any);
    expect(res.status).toBe(200);
    expect(batchBody).toMatchObject({ status: 'success', summary: { received: reverseBatch.length, failed: 0 }, failed_events: [] });
    expect(await graphSnapshot(reversed)).toEqual(forward);

    // Twice: everything again, through the batch endpoint this time; nothing changes, all are duplicates.
    const again = await postJson(`${shard.httpUrl}/api/v1/lineage/batch`, completeEvents.map(({ event }) => event));
    const againBody = ((await again.json()) as any);
    expect(again.status).toBe(200);
    expect(againBody).toMatchObject({ status: 'success', summary: { failed: 0 }, duplicates: completeEvents.length });
    expect(await graphSnapshot(shard)).toEqual(forward);
    expect(Object.values(forward.graphs).some((g) => Array.isArray(g) && g.length > 1)).toBe(true);
    expect(Object.values(forward.runs).filter((r: any) => r?.state === 'COMPLETED').length).toBeGreaterThan(5);
  });

  it('refuses the event without a runId with 400 naming the field, alone and inside a batch', async () => {
    const [noRunId] = negativeFile('event_no_run_id.json').events;
    const before = await storedState(shard);
    const res = await postJson(`${shard.httpUrl}/api/v1/lineage`, noRunId);
    expect(res.status).toBe(400);
    const body = ((await res.json()) as any);
    expect(body.message).toMatch(/runId/);
    expect(await storedState(shard)).toEqual(before);

    const valid = { ...noRunId, run: { runId: '5f0b1c3e-6f3a-4f6e-9a7d-2c3b4d5e6f70' }, eventTime: '2025-01-02T03:04:05Z' };
    const batch = await postJson(`${shard.httpUrl}/api/v1/lineage/batch`, [valid, noRunId]);
    expect(batch.status).toBe(200);
    const batchBody = ((await batch.json()) as any);
    expect(batchBody).toMatchObject({ status: 'partial_success', summary: { received: 2, successful: 1, failed: 1, retriable: 0, non_retriable: 1 } });
    expect(batchBody.failed_events).toHaveLength(1);
    expect(batchBody.failed_events[0]).toMatchObject({ index: 1, retriable: false, field: 'run.runId' });
    expect(batchBody.failed_events[0].reason).toMatch(/runId/);
    const run = await getJson(`${shard.httpUrl}/api/v1/jobs/runs/${valid.run.runId}`);
    expect(run.status).toBe(200);
    expect(run.body.state).toBe('COMPLETED');

    const allBad = await postJson(`${shard.httpUrl}/api/v1/lineage/batch`, [noRunId]);
    expect(allBad.status).toBe(200);
    expect((((await allBad.json()) as any))).toMatchObject({ status: 'partial_success', summary: { received: 1, successful: 0, failed: 1 } });
  });

  it('fails only the batch events the store refuses (over-long names, a run id of another job): 200 partial_success', async () => {
    const [template] = negativeFile('event_no_run_id.json').events;
    const ev = (runId: string, job: string, inputs: string[] = []) => ({
      ...template,
      eventType: 'START',
      eventTime: '2025-02-03T04:05:06Z',
      run: { runId },
      job: { namespace: 'limits-test', name: job },
      inputs: inputs.map((name) => ({ namespace: 'limits-test', name })),
      outputs: [],
    });
    const ok1 = ev('6a0b1c3e-6f3a-4f6e-9a7d-2c3b4d5e6f71', 'limits.ok1', ['in.a']);
    const ok2 = ev('6a0b1c3e-6f3a-4f6e-9a7d-2c3b4d5e6f72', 'limits.ok2');
    const before = await storedState(shard);
    const res = await postJson(`${shard.httpUrl}/api/v1/lineage/batch`, [
      ok1,
      ev('6a0b1c3e-6f3a-4f6e-9a7d-2c3b4d5e6f73', 'j'.repeat(LIMITS.nameBytes + 1)),
      ev('6a0b1c3e-6f3a-4f6e-9a7d-2c3b4d5e6f74', 'limits.bad-input', ['n'.repeat(LIMITS.nameBytes + 1)]),
      ok2,
      ev(ok1.run.runId, 'limits.other-job'),
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ status: 'partial_success', summary: { received: 5, successful: 2, failed: 3, non_retriable: 3 } });
    expect(body.failed_events.map((f: any) => [f.index, f.field])).toEqual([[1, 'job.name'], [2, 'inputs[0].name'], [4, 'run.runId']]);
    for (const ok of [ok1, ok2]) expect((await getJson(`${shard.httpUrl}/api/v1/jobs/runs/${ok.run.runId}`)).body.state).toBe('RUNNING');
    expect((await getJson(`${shard.httpUrl}/api/v1/jobs/runs/6a0b1c3e-6f3a-4f6e-9a7d-2c3b4d5e6f73`)).status).toBe(404);
    expect((await getJson(`${shard.httpUrl}/api/v1/namespaces/limits-test/jobs/limits.bad-input`)).status).toBe(404);
    expect((await getJson(`${shard.httpUrl}/api/v1/jobs/runs/${ok1.run.runId}`)).body.jobName ?? 'limits.ok1').toBe('limits.ok1');
    expect(before).not.toEqual(await storedState(shard)); // the two good events are stored
  });

  it('stores the invalid-facet events with a warning naming the facet', async () => {
    const files = negative.filter((f) => !f.file.endsWith('event_no_run_id.json'));
    expect(files.length).toBe(5);
    for (const file of files) {
      const [event] = file.events;
      const before = (await storedState(shard)).events;
      const res = await postJson(`${shard.httpUrl}/api/v1/lineage`, event);
      expect({ file: file.file, status: res.status }).toEqual({ file: file.file, status: 200 });
      const body = ((await res.json()) as any);
      expect({ file: file.file, warned: body.warnings.length > 0 }).toEqual({ file: file.file, warned: true });
      expect(body.warnings.join(' ')).toMatch(/ownership|dataQualityMetrics|outputStatistics|parent/);
      expect((await storedState(shard)).events).toBe(before + 1);
      const run = await getJson(`${shard.httpUrl}/api/v1/jobs/runs/${event.run.runId}`);
      expect(run.status).toBe(200);
    }
  });

  it('accepts a gzip-encoded event and a gzip-encoded batch', async () => {
    const event = {
      eventType: 'COMPLETE',
      eventTime: '2025-02-03T04:05:06Z',
      run: { runId: '7d1e5a0c-3b2f-4c1d-8e9f-0a1b2c3d4e5f' },
      job: { namespace: 'gzip-ns', name: 'gzip-job' },
      inputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.orders' }],
      outputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.daily' }],
      producer: 'https://example.com/test',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    };
    const res = await postGzip(`${shard.httpUrl}/api/v1/lineage`, event);
    expect(res.status).toBe(200);
    const lineage = await getJson(`${shard.httpUrl}/api/v1/lineage?${q({ nodeId: 'job:gzip-ns:gzip-job', depth: 1 })}`);
    expect(lineage.status).toBe(200);
    expect(lineage.body.graph.map((n: any) => n.id)).toEqual(
      expect.arrayContaining(['dataset:postgres://db:5432:shop.public.orders', 'dataset:postgres://db:5432:shop.public.daily']),
    );
    const batch = await postGzip(`${shard.httpUrl}/api/v1/lineage/batch`, [event]);
    expect(batch.status).toBe(200);
    expect(((await batch.json()) as any)).toMatchObject({ summary: { successful: 1 }, duplicates: 1 });
  });

  it('takes concurrent producers: every event durable and indexed when its 2xx arrives', async () => {
    const before = await storedState(shard);
    const events = Array.from({ length: 40 }, (_, i) => ({
      eventType: 'COMPLETE',
      eventTime: new Date(Date.UTC(2025, 5, 1, 0, 0, i)).toISOString(),
      run: { runId: `4a0e3f7c-0000-4000-8000-${String(i).padStart(12, '0')}` },
      job: { namespace: 'concurrent', name: `job_${i}` },
      inputs: [{ namespace: 'concurrent', name: `in_${i}` }],
      outputs: [{ namespace: 'concurrent', name: `out_${i}` }],
      producer: 'https://example.com/test',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    }));
    const answers = await Promise.all(
      events.map(async (event, i) => {
        const res = await postJson(`${shard.httpUrl}/api/v1/lineage`, event);
        // Readable as soon as its own answer is back.
        const lineage = await getJson(`${shard.httpUrl}/api/v1/lineage?${q({ nodeId: `job:concurrent:job_${i}`, depth: 1 })}`);
        return { status: res.status, nodes: lineage.body.graph.length };
      }),
    );
    expect(answers).toEqual(events.map(() => ({ status: 200, nodes: 3 })));
    const after = await storedState(shard);
    expect(after.events).toBe(before.events + 40);
    expect(after.version).toBeGreaterThanOrEqual(before.version + 40);
  });

  it('answers bad input with a 4xx and a message, never a 5xx, and leaves the stored graph unchanged', async () => {
    const before = await storedState(shard);
    const url = shard.httpUrl;
    const bigEvent = { eventType: 'START', run: { runId: '1' }, padding: 'x'.repeat(MAX_BODY + 10) };
    const cases: Array<{ name: string; send: () => Promise<Response>; status: number; message: RegExp }> = [
      { name: 'malformed JSON', send: () => postRaw(`${url}/api/v1/lineage`, '{"eventType": "START",'), status: 400, message: /JSON/i },
      { name: 'malformed JSON batch', send: () => postRaw(`${url}/api/v1/lineage/batch`, '[{"eventType": }]'), status: 400, message: /JSON/i },
      {
        name: 'wrong types',
        send: () => postJson(`${url}/api/v1/lineage`, { eventType: 5, eventTime: true, run: { runId: 7 }, job: { namespace: 1, name: [] }, producer: 3 }),
        status: 400,
        message: /./,
      },
      { name: 'array to the single endpoint', send: () => postJson(`${url}/api/v1/lineage`, [{}]), status: 400, message: /object/ },
      { name: 'object to the batch endpoint', send: () => postJson(`${url}/api/v1/lineage/batch`, { a: 1 }), status: 400, message: /array/ },
      { name: 'empty body', send: () => postRaw(`${url}/api/v1/lineage`, ''), status: 400, message: /./ },
      { name: 'JSON null', send: () => postRaw(`${url}/api/v1/lineage`, 'null'), status: 400, message: /./ },
      { name: 'oversized body', send: () => postJson(`${url}/api/v1/lineage`, bigEvent), status: 413, message: /limit/ },
      {
        name: 'gzip bomb (inflates past the limit)',
        send: () => postRaw(`${url}/api/v1/lineage`, gzipSync(Buffer.alloc(MAX_BODY * 3, 0x20)), { 'content-encoding': 'gzip' }),
        status: 413,
        message: /limit/,
      },
      {
        name: 'corrupt gzip',
        send: () => postRaw(`${url}/api/v1/lineage`, Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }),
        status: 400,
        message: /./,
      },
      {
        name: 'observed writes with a bad dataset id',
        send: () => postJson(`${url}/api/v1/observed-writes`, [{ dataset: 'table:x', sources: [], writtenAt: 1, queryId: 'q', connectorId: 'c' }]),
        status: 400,
        message: /dataset/,
      },
    ];
    const reads: Array<{ path: string; status: number; message: RegExp }> = [
      { path: '/api/v1/lineage?nodeId=nonsense', status: 400, message: /node id/ },
      { path: '/api/v1/lineage?nodeId=dataset:', status: 400, message: /node id/ },
      { path: '/api/v1/lineage', status: 400, message: /nodeId/ },
      { path: `/api/v1/lineage?${q({ nodeId: 'datasetField:ns:t:c' })}`, status: 400, message: /dataset or job/ },
      { path: `/api/v1/lineage?${q({ nodeId: 'job:gzip-ns:gzip-job', depth: 'deep' })}`, status: 400, message: /depth/ },
      { path: `/api/v1/lineage?${q({ nodeId: 'job:gzip-ns:gzip-job', asOf: 'yesterday' })}`, status: 400, message: /asOf/ },
      { path: `/api/v1/lineage?${q({ nodeId: 'job:nowhere:nothing' })}`, status: 404, message: /not found/ },
      { path: `/api/v1/column-lineage?${q({ nodeId: 'job:a:b' })}`, status: 400, message: /dataset or datasetField/ },
      { path: '/api/v1/search', status: 400, message: /q/ },
      { path: '/api/v1/events/lineage?sortDirection=sideways', status: 400, message: /sortDirection/ },
      { path: '/api/v1/namespaces/airflow/datasets?limit=-3', status: 400, message: /limit/ },
      { path: '/api/v1/jobs/runs/00000000-0000-0000-0000-000000000000', status: 404, message: /not found/ },
    ];
    for (const c of cases) {
      const res = await c.send();
      const text = await res.text();
      const body = JSON.parse(text);
      expect({ name: c.name, status: res.status }).toEqual({ name: c.name, status: c.status });
      expect({ name: c.name, message: c.message.test(body.message) }).toEqual({ name: c.name, message: true });
    }
    for (const r of reads) {
      const { status, body } = await getJson(`${url}${r.path}`);
      expect({ path: r.path, status }).toEqual({ path: r.path, status: r.status });
      expect({ path: r.path, message: r.message.test(body.message) }).toEqual({ path: r.path, message: true });
    }
    expect(await storedState(shard)).toEqual(before);
  });

  it('serves the Marquez read API shapes', async () => {
    const url = shard.httpUrl;
    const namespaces = await getJson(`${url}/api/v1/namespaces`);
    expect(namespaces.status).toBe(200);
    expect(namespaces.body.namespaces.map((n: any) => n.name)).toEqual(expect.arrayContaining(['airflow-prod', 'bigquery']));
    expect(namespaces.body.namespaces[0]).toEqual(expect.objectContaining({ name: expect.any(String), createdAt: expect.any(String) }));

    const datasets = await getJson(`${url}/api/v1/namespaces/bigquery/datasets?limit=2`);
    expect(datasets.status).toBe(200);
    expect(datasets.body.totalCount).toBeGreaterThanOrEqual(3);
    expect(datasets.body.datasets).toHaveLength(2);
    const fct = 'acme-analytics.marts.fct_orders';
    const upload = await getJson(`${url}/api/v1/namespaces/bigquery/datasets/${encodeURIComponent(fct)}`);
    expect(upload.status).toBe(200);
    expect(upload.body).toMatchObject({ id: { namespace: 'bigquery', name: fct }, namespace: 'bigquery', type: 'DB_TABLE' });
    expect(upload.body.fields.map((f: any) => f.name)).toEqual(expect.arrayContaining(['order_id', 'total_paid']));
    const versions = await getJson(`${url}/api/v1/namespaces/bigquery/datasets/${encodeURIComponent(fct)}/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body.versions.length).toBeGreaterThanOrEqual(1);
    expect(versions.body.versions[0]).toMatchObject({ id: { namespace: 'bigquery', name: fct } });

    const lakeDataset = await getJson(`${url}/api/v1/namespaces/${encodeURIComponent('s3://shop-lake')}/datasets/${encodeURIComponent('raw/orders/2024-06-01')}`);
    expect(lakeDataset.status).toBe(200);

    const jobs = await getJson(`${url}/api/v1/namespaces/airflow-prod/jobs`);
    expect(jobs.status).toBe(200);
    expect(jobs.body.jobs.map((j: any) => j.name)).toEqual(expect.arrayContaining(['shop_etl.extract_orders', 'shop_etl.load_orders', 'shop_etl.build_daily_revenue']));
    const job = await getJson(`${url}/api/v1/namespaces/airflow-prod/jobs/shop_etl.load_orders`);
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ id: { namespace: 'airflow-prod', name: 'shop_etl.load_orders' }, latestRun: { state: 'COMPLETED' } });
    expect(job.body.outputs).toEqual([{ namespace: 'snowflake://acme-prod', name: 'ANALYTICS.STAGING.ORDERS' }]);
    const runs = await getJson(`${url}/api/v1/namespaces/airflow-prod/jobs/shop_etl.load_orders/runs`);
    expect(runs.status).toBe(200);
    expect(runs.body.runs[0]).toMatchObject({ id: '0190a1b2-c3d4-7e5f-8a9b-000000000003', state: 'COMPLETED' });

    // asOf: before the first event the job stands alone; after its run, its inputs and outputs are there.
    const daily = 'job:airflow-prod:shop_etl.build_daily_revenue';
    const before = await getJson(`${url}/api/v1/lineage?${q({ nodeId: daily, asOf: '2024-01-01T00:00:00Z' })}`);
    expect(before.status).toBe(200);
    expect(before.body.graph.map((n: any) => n.id)).toEqual([daily]);
    const after = await getJson(`${url}/api/v1/lineage?${q({ nodeId: daily, asOf: Date.parse('2024-06-02T00:00:00Z') })}`);
    expect(after.body.graph.length).toBeGreaterThan(3);

    // A dataset known only from a DatasetEvent (no job touches it) still has a one-node lineage graph.
    const lonelyId = 'dataset:postgres://orders-db.internal:5432:shop.public.refunds';
    const lonely = await getJson(`${url}/api/v1/lineage?${q({ nodeId: lonelyId })}`);
    expect(lonely.status).toBe(200);
    expect(lonely.body.graph).toEqual([expect.objectContaining({ id: lonelyId, type: 'DATASET', inEdges: [], outEdges: [] })]);

    const childRun = '0190a1b2-c3d4-7e5f-8a9b-00000000000b'; // the Spark child run, with a parent facet
    const runFacets = await getJson(`${url}/api/v1/jobs/runs/${childRun}/facets?type=run`);
    expect(runFacets.status).toBe(200);
    expect(Object.keys(runFacets.body.facets)).toEqual(expect.arrayContaining(['parent']));
    const jobFacets = await getJson(`${url}/api/v1/jobs/runs/${childRun}/facets?type=job`);
    expect(jobFacets.status).toBe(200);
    expect(jobFacets.body.runId).toBe(childRun);

    const search = await getJson(`${url}/api/v1/search?q=orders`);
    expect(search.status).toBe(200);
    expect(search.body.totalCount).toBeGreaterThanOrEqual(2);
    expect(search.body.results[0]).toEqual(
      expect.objectContaining({ type: expect.stringMatching(/DATASET|JOB/), name: expect.any(String), namespace: expect.any(String), nodeId: expect.any(String) }),
    );

    const events = await getJson(`${url}/api/v1/events/lineage?limit=5&sortDirection=asc`);
    expect(events.status).toBe(200);
    expect(events.body.events).toHaveLength(5);
    expect(events.body.totalCount).toBeGreaterThanOrEqual(completeEvents.length);
  });

  it('stores lineage posted with x-lineage-provenance: observed as observed edges, and refuses an unknown provenance', async () => {
    const own = await boot('provenance');
    const event = {
      eventType: 'COMPLETE',
      eventTime: '2026-01-02T03:04:05.000Z',
      producer: 'https://example.com/connector',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: '0190b2a4-0000-7000-8000-00000000a001' },
      job: { namespace: 'redshift-connector', name: 'query.4242' },
      inputs: [{ namespace: 'redshift://c1.eu-west-1:5439', name: 'dev.public.src' }],
      outputs: [{ namespace: 'redshift://c1.eu-west-1:5439', name: 'dev.public.dst' }],
    };
    const refused = await postJson(`${own.httpUrl}/api/v1/lineage/batch`, [event], { 'x-lineage-provenance': 'rumour' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).field).toBe('x-lineage-provenance');
    const res = await postJson(`${own.httpUrl}/api/v1/lineage/batch`, [event], { 'x-lineage-provenance': 'observed' });
    expect(res.status).toBe(200);
    const reader = await createStore(own.storeUrl);
    try {
      const graph = await reader.loadGraph();
      const edges = graph.groups.find((g) => g.owner === 'job:redshift-connector:query.4242')?.edges ?? [];
      expect(edges.map((e) => [e.kind, e.provenance])).toEqual([
        ['reads', 'observed'],
        ['writes', 'observed'],
      ]);
    } finally {
      await reader.close();
    }
  });

  it('records and lists observed writes (provenance observed)', async () => {
    const write = {
      dataset: 'dataset:postgres://db:5432:shop.public.daily',
      sources: ['dataset:postgres://db:5432:shop.public.orders'],
      writtenAt: '2025-03-01T00:00:00Z',
      user: 'etl',
      queryId: 'q-1',
      queryText: 'insert into daily select * from orders',
      rows: 10,
      connectorId: 'pg-main',
    };
    const res = await postJson(`${shard.httpUrl}/api/v1/observed-writes`, [write]);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any)).toEqual({ inserted: 1, duplicates: 0 });
    const again = await postJson(`${shard.httpUrl}/api/v1/observed-writes`, [write]);
    expect(((await again.json()) as any)).toEqual({ inserted: 0, duplicates: 1 });
    const list = await getJson(`${shard.httpUrl}/api/v1/observed-writes?${q({ dataset: write.dataset })}`);
    expect(list.status).toBe(200);
    expect(list.body.observedWrites).toHaveLength(1);
    expect(list.body.observedWrites[0]).toMatchObject({ queryId: 'q-1', connectorId: 'pg-main', rows: 10 });
  });

  describe('microservice (TCP) endpoint, through the typed ShardClient', () => {
    let client: ClientProxy;
    const shards = new ShardClient();
    beforeAll(async () => {
      client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: shard.rpcPort } });
      await client.connect();
      shards.bind('it-forward', '127.0.0.1', shard.rpcPort);
    });
    afterAll(() => {
      client.close();
      shards.close();
    });
    const send = <M extends ShardMessageName>(pattern: M, data: ShardRequest<M>) => shards.call('it-forward', pattern, data, 10_000);
    const raw = (pattern: string, data: unknown) => firstValueFrom(client.send<any>(pattern, data));

    it('answers on the wire with {ok, value} or {ok: false, error: {code, message, field}}: no HTTP status, no path', async () => {
      expect(await raw(ShardRpcPatterns.version, {})).toEqual({ ok: true, value: { domain: 'it-forward', version: expect.any(Number), expandPort: expect.any(Number) } });
      const refused = await raw(ShardRpcPatterns.job, { namespace: 'airflow-prod', name: 'nope' });
      expect(refused).toEqual({ ok: false, error: { code: 'not-found', message: expect.stringContaining('job:airflow-prod:nope') } });
      const bad = await raw(ShardRpcPatterns.lineage, { nodeId: 'nonsense' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-argument', field: 'nodeId' } });
      expect(JSON.stringify([refused, bad])).not.toMatch(/status|\/api\//);
    });

    it('tells a shard that did not answer (ShardUnavailableError) from one that refused (ShardRefusedError)', async () => {
      const gone = new ShardClient();
      gone.bind('gone', '127.0.0.1', 1); // nothing listens on port 1
      await expect(gone.call('gone', ShardRpcPatterns.version, {}, 2_000)).rejects.toBeInstanceOf(ShardUnavailableError);
      await expect(gone.call('nobody', ShardRpcPatterns.version, {}, 2_000)).rejects.toMatchObject({ code: 'unavailable' });
      gone.close();
      await expect(send(ShardRpcPatterns.run, { runId: 'no-such-run' })).rejects.toBeInstanceOf(ShardRefusedError);
      await expect(send(ShardRpcPatterns.run, { runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not-found', domain: 'it-forward' });
    });

    it('lineage.expand walks the local graph and returns the frontier', async () => {
      const res: any = await send(ShardRpcPatterns.expand, {
        seeds: [{ id: LAKE_ORDERS, distance: 0 }],
        direction: 'downstream',
        depth: 1,
        maxNodes: 1000,
      });
      expect(res.domain).toBe('it-forward');
      expect(res.version).toBeGreaterThan(0);
      const ids = res.nodes.map((n: any) => n.id);
      const upload = STAGED_ORDERS;
      expect(ids).toEqual(expect.arrayContaining(['job:airflow-prod:shop_etl.load_orders', upload]));
      expect(ids).not.toContain('job:airflow-prod:shop_etl.build_daily_revenue'); // depth 1 stops after one job
      // The frontier: datasets reached with depth left, where another shard's edges may continue.
      expect(res.frontier.map((n: any) => n.id)).toEqual([LAKE_ORDERS]);
      expect(res.truncated).toBe(false);
      expect(res.unknownSeeds).toEqual([]);

      const deeper: any = await send(ShardRpcPatterns.expand, {
        seeds: [{ id: LAKE_ORDERS, distance: 0 }],
        direction: 'downstream',
        depth: 3,
        maxNodes: 1000,
      });
      expect(deeper.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining(['job:airflow-prod:shop_etl.build_daily_revenue']));
      expect(deeper.frontier.map((n: any) => n.id)).toContain(upload);
      expect(deeper.frontier.find((n: any) => n.id === upload).distance).toBe(1);
    });

    it('lineage.expand answers the same walk in the columnar and packed forms (packed straight from the index)', async () => {
      const request = { seeds: [{ id: LAKE_ORDERS, distance: 0 }], direction: 'downstream' as const, depth: 3, maxNodes: 1000 };
      const plain: any = await send(ShardRpcPatterns.expand, request);
      for (const format of ['columnar', 'packed'] as const) {
        const res: any = await send(ShardRpcPatterns.expand, { ...request, format });
        expect(res.nodes).toEqual([]);
        expect(res[format]).toBeDefined();
        expect(plainExpandAnswer(res)).toEqual(plain);
      }
      await expect(send(ShardRpcPatterns.expand, { ...request, format: 'xml' as 'packed' })).rejects.toMatchObject({ code: 'invalid-argument', field: 'format' });
    });

    it('lineage.expand over the lean port (advertised in shard.version) answers what the Nest pattern answers, in walk order', async () => {
      const { expandPort } = await send(ShardRpcPatterns.version, {});
      expect(expandPort).toEqual(expect.any(Number));
      const lean = new ShardClient();
      lean.bind('it-forward', '127.0.0.1', shard.rpcPort);
      lean.bindExpand('it-forward', expandPort);
      try {
        for (const [seed, direction] of [[LAKE_ORDERS, 'downstream'], [STAGED_ORDERS, 'upstream'], ['dataset:elsewhere:t', 'downstream']] as const) {
          const request = { seeds: [{ id: seed as NodeId, distance: 0 }], direction, depth: 3, maxNodes: 1000 };
          const viaLean: any = await lean.call('it-forward', ShardRpcPatterns.expand, request, 10_000);
          expect(viaLean.columnar).toBeDefined();
          // the same answer, its nodes in walk order (the gateway orders the merged answer itself)
          const sorted = (r: any) => ({
            ...r,
            nodes: [...r.nodes].sort((a: any, b: any) => a.distance - b.distance || (a.id < b.id ? -1 : 1)),
            frontier: [...r.frontier].sort((a: any, b: any) => a.distance - b.distance || (a.id < b.id ? -1 : 1)),
            edges: [...r.edges].sort((a: any, b: any) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
          });
          expect(sorted(plainExpandAnswer(viaLean))).toEqual(sorted(await send(ShardRpcPatterns.expand, request)));
        }
        expect(lean.expandsLean('it-forward')).toBe(true);
        await expect(lean.call('it-forward', ShardRpcPatterns.expand, { seeds: [{ id: 'nonsense' as NodeId, distance: 0 }], direction: 'downstream', depth: 1, maxNodes: 10 }, 10_000)).rejects.toMatchObject({
          name: 'ShardRefusedError',
          code: 'invalid-argument',
          field: 'seeds[0].id',
        });
      } finally {
        lean.close();
      }
    });

    it('lineage.expand names the seeds this shard does not hold', async () => {
      const res: any = await send(ShardRpcPatterns.expand, {
        seeds: [{ id: 'dataset:elsewhere:t' as NodeId, distance: 2 }, { id: 'job:airflow-prod:shop_etl.build_daily_revenue' as NodeId, distance: 0 }],
        direction: 'upstream',
        depth: 1,
        maxNodes: 100,
      });
      expect(res.unknownSeeds).toEqual(['dataset:elsewhere:t']);
      expect(res.nodes.map((n: any) => n.id)).toContain(STAGED_ORDERS);
    });

    it('lineage.expand refuses a bad request with an invalid-argument error naming the field', async () => {
      await expect(send(ShardRpcPatterns.expand, { seeds: [{ id: 'nonsense' as NodeId, distance: 0 }], direction: 'downstream', depth: 1, maxNodes: 10 })).rejects.toMatchObject(
        { code: 'invalid-argument', field: 'seeds[0].id' },
      );
      await expect(send(ShardRpcPatterns.expand, { seeds: [{ id: 'job:a:b' as NodeId, distance: 0 }], direction: 'sideways' as 'upstream', depth: 1, maxNodes: 10 })).rejects.toMatchObject({
        code: 'invalid-argument',
        field: 'direction',
      });
    });

    it('lineage.filter publishes a Bloom filter of the node ids, cached per graph version', async () => {
      const res: any = await send(ShardRpcPatterns.filter, {});
      expect(res.domain).toBe('it-forward');
      const filter = loadMembershipFilter(res.filter);
      expect(filter.mayHold('job:airflow-prod:shop_etl.load_orders')).toBe(true);
      expect(filter.mayHold(STAGED_ORDERS)).toBe(true);
      const again: any = await send(ShardRpcPatterns.filter, {});
      expect(again.version).toBe(res.version);
      expect(again.filter).toEqual(res.filter);
    });

    it('shard.info, the typed reads and lineage.ingest answer like the HTTP API', async () => {
      const info: any = await send(ShardRpcPatterns.info, {});
      expect(info).toMatchObject({ domain: 'it-forward', httpUrl: shard.httpUrl, rpc: { port: shard.rpcPort } });
      expect(info.stats.events).toBeGreaterThan(0);

      const read = await send(ShardRpcPatterns.lineage, { nodeId: 'job:airflow-prod:shop_etl.build_daily_revenue', depth: 1 });
      const http = await getJson(`${shard.httpUrl}/api/v1/lineage?${q({ nodeId: 'job:airflow-prod:shop_etl.build_daily_revenue', depth: 1 })}`);
      expect(read).toEqual(http.body);
      const ns = encodeURIComponent('snowflake://acme-prod');
      const datasets = await send(ShardRpcPatterns.datasets, { namespace: 'snowflake://acme-prod', limit: 2 });
      expect(datasets.datasets.length).toBeGreaterThan(0);
      expect(datasets).toEqual((await getJson(`${shard.httpUrl}/api/v1/namespaces/${ns}/datasets?limit=2`)).body);
      const search = await send(ShardRpcPatterns.search, { q: 'orders', filter: 'DATASET', limit: 5 });
      expect(search.results.length).toBeGreaterThan(0);
      expect(search).toEqual((await getJson(`${shard.httpUrl}/api/v1/search?q=orders&filter=DATASET&limit=5`)).body);
      await expect(send(ShardRpcPatterns.job, { namespace: 'airflow-prod', name: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
      await expect(send(ShardRpcPatterns.datasets, { namespace: 'snowflake://acme-prod', limit: 0 })).rejects.toMatchObject({ code: 'invalid-argument', field: 'limit' });
      await expect(send(ShardRpcPatterns.lineage, { nodeId: 'nonsense' })).rejects.toMatchObject({ code: 'invalid-argument', field: 'nodeId' });

      const event = {
        eventType: 'COMPLETE',
        eventTime: '2025-04-05T06:07:08Z',
        run: { runId: '0c9f8e7d-6c5b-4a39-8281-706f5e4d3c2b' },
        job: { namespace: 'rpc-ns', name: 'rpc-job' },
        outputs: [{ namespace: 'rpc-ns', name: 'rpc-out' }],
        producer: 'https://example.com/test',
        schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      };
      const ingested = await send(ShardRpcPatterns.ingest, { events: [event, { eventType: 'START' }] });
      expect(ingested).toMatchObject({ status: 'partial_success', summary: { successful: 1, failed: 1 } });
      expect(ingested.failed_events[0].index).toBe(1);
      await expect(send(ShardRpcPatterns.ingest, { events: 'not an array' as unknown as unknown[] })).rejects.toMatchObject({ code: 'invalid-argument', field: 'body' });

      const version: any = await send(ShardRpcPatterns.version, {});
      expect(version).toEqual({ domain: 'it-forward', version: info.version + 1, expandPort: info.expandPort });
      const lineage = await getJson(`${shard.httpUrl}/api/v1/lineage?${q({ nodeId: 'job:rpc-ns:rpc-job' })}`);
      expect(lineage.body.graph.map((n: any) => n.id)).toContain('dataset:rpc-ns:rpc-out');
    });
  });

  it('exposes /health and Prometheus /metrics with ingest counters, latency and graph size', async () => {
    const health = await getJson(`${shard.httpUrl}/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', domain: 'it-forward', store: { reachable: true } });
    expect(health.body.store.events).toBeGreaterThan(0);
    const metrics = await (await fetch(`${shard.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/lineage_ingest_events_total\{endpoint="lineage",result="accepted"\} [1-9]/);
    expect(metrics).toMatch(/lineage_ingest_events_total\{endpoint="lineage",result="rejected"\} [1-9]/);
    expect(metrics).toMatch(/lineage_ingest_commits [1-9]/);
    expect(metrics).toMatch(/lineage_ingest_commit_events [1-9]/);
    expect(metrics).toMatch(/lineage_ingest_duration_seconds_count\{endpoint="batch"\} [1-9]/);
    expect(metrics).toMatch(/lineage_ingest_errors_total\{[^}]*reason="invalid-event"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/lineage_graph_nodes [1-9]/);
    expect(metrics).toMatch(/http_request_duration_seconds_count/);
  });
});

describe('shard self-registration (REDIS_URL set)', () => {
  it('keeps its registry key alive in Redis while running and removes it on close', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'shard-it-redis-'));
    const domain = `it-reg-${process.pid}-${Date.now().toString(36)}`;
    const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    try {
      const running = await startShard(
        shardConfig({
          port: 0,
          rpcPort: 0,
          rpcHost: '127.0.0.1',
          domain,
          storeUrl: `sqlite:${path.join(tmp, 'lineage.db')}`,
          redisUrl: 'redis://127.0.0.1:6379',
          logLevel: 'error',
        }),
      );
      const record = JSON.parse((await redis.get(`${SHARD_REGISTRY_PREFIX}${domain}`)) ?? 'null');
      expect(record).toMatchObject({ domain, rpc: { host: '127.0.0.1', port: running.rpcPort }, httpUrl: running.httpUrl });
      await running.close();
      expect(await redis.get(`${SHARD_REGISTRY_PREFIX}${domain}`)).toBeNull();
    } finally {
      redis.disconnect();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
