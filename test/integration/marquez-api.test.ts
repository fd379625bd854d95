/**
 * The Marquez endpoints the web UI and clients use (Marquez 0.51's resources), on a shard and federated on the
 * gateway, checked against Marquez's field names and types (test/testing/marquez-shapes.ts): the dashboard's stats,
 * jobs of every namespace (runStates), tags, run facets, v2beta search, Dataset.columnLineage, dataset versions
 * per writing run with createdByRun, derived job/dataset version uuids, totalCount independent of limit, and
 * search updatedAt equal to the dataset's. Two real shards (SQLite) and a real gateway over the typed RPC.
 */
import { randomUUID } from 'node:crypto';
import { startGateway, type RunningGateway } from '../../apps/gateway/src/gateway-app';
import { loadGatewayConfig } from '../../apps/gateway/src/gateway.config';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { loadShardConfig } from '../../apps/shard/src/shard.config';
import { getJson, postJson } from '../testing/shard-test-kit';
import * as M from '../testing/marquez-shapes';

jest.setTimeout(90_000);

const PRODUCER = 'https://github.com/lineage-hub/lineage-hub/tree/main/test/integration';
const SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const SALES_NS = 'snowflake://acme-sales';
const PG_NS = 'postgres://db:5432';
/** The same map on the gateway and the shards; PG_NS is in no domain. */
const NAMESPACE_DOMAINS = `airflow-sales=sales,${SALES_NS}=sales,airflow-finance=finance,s3://*=finance`;
const facet = (name: string) => ({ _producer: PRODUCER, _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${name}.json` });

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

const runEvent = (eventType: string, runId: string, job: { namespace: string; name: string }, minutesAgo: number, io: { inputs?: unknown[]; outputs?: unknown[] } = {}) => ({
  eventType,
  eventTime: at(minutesAgo),
  producer: PRODUCER,
  schemaURL: SCHEMA_URL,
  run: { runId, facets: eventType === 'FAIL' ? { errorMessage: { ...facet('ErrorMessageRunFacet'), message: 'boom', programmingLanguage: 'python' } } : {} },
  job: { ...job, facets: { jobType: { ...facet('JobTypeJobFacet'), processingType: 'BATCH', integration: 'AIRFLOW', jobType: 'TASK' } } },
  inputs: io.inputs ?? [],
  outputs: io.outputs ?? [],
});

const orders = (withLineage: boolean) => ({
  namespace: SALES_NS,
  name: 'sales.orders',
  facets: {
    schema: { ...facet('SchemaDatasetFacet'), fields: [{ name: 'order_id', type: 'NUMBER' }, { name: 'amount', type: 'NUMBER' }] },
    ...(withLineage
      ? {
          columnLineage: {
            ...facet('ColumnLineageDatasetFacet'),
            fields: {
              order_id: { inputFields: [{ namespace: PG_NS, name: 'public.raw_orders', field: 'id', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY', description: 'copied' }] }] },
              amount: { inputFields: [{ namespace: PG_NS, name: 'public.raw_orders', field: 'total', transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }] }] },
            },
          },
        }
      : {}),
  },
});
const rawOrders = { namespace: PG_NS, name: 'public.raw_orders', facets: { schema: { ...facet('SchemaDatasetFacet'), fields: [{ name: 'id', type: 'INT' }, { name: 'total', type: 'NUMERIC' }] } } };

describe('Marquez API: shard and gateway', () => {
  let sales: RunningShard;
  let finance: RunningShard;
  let gateway: RunningGateway;
  const load = { namespace: 'airflow-sales', name: 'etl.load_orders' };
  const broken = { namespace: 'airflow-sales', name: 'etl.broken' };
  const revenue = { namespace: 'airflow-finance', name: 'etl.revenue' };
  const run1 = randomUUID();
  const run2 = randomUUID();
  const run3 = randomUUID();
  const run4 = randomUUID();

  const shards = () => [
    ['shard', sales.httpUrl],
    ['gateway', gateway.url],
  ] as const;

  beforeAll(async () => {
    const shardOf = (domain: string) =>
      startShard(loadShardConfig({ PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'error', NAMESPACE_DOMAINS }));
    [sales, finance] = await Promise.all([shardOf('sales'), shardOf('finance')]);
    const salesEvents = [
      runEvent('START', run1, load, 50, { inputs: [rawOrders], outputs: [orders(true)] }),
      runEvent('COMPLETE', run1, load, 45, { inputs: [rawOrders], outputs: [orders(true)] }),
      runEvent('START', run2, load, 20, { inputs: [rawOrders], outputs: [orders(true)] }),
      runEvent('COMPLETE', run2, load, 15, { inputs: [rawOrders], outputs: [orders(true)] }),
      runEvent('START', run3, broken, 10),
      runEvent('FAIL', run3, broken, 9),
    ];
    const financeEvents = [
      runEvent('START', run4, revenue, 5, { inputs: [orders(false)], outputs: [{ namespace: 's3://finance', name: 'revenue' }] }),
      runEvent('COMPLETE', run4, revenue, 4, { inputs: [orders(false)], outputs: [{ namespace: 's3://finance', name: 'revenue' }] }),
    ];
    for (const [shard, events] of [[sales, salesEvents], [finance, financeEvents]] as const) {
      const res = await postJson(`${shard.httpUrl}/api/v1/lineage/batch`, events);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { summary: { failed: number } }).summary.failed).toBe(0);
    }
    gateway = await startGateway(
      loadGatewayConfig({
        PORT: '0',
        SHARDS: `sales=127.0.0.1:${sales.rpcPort},finance=127.0.0.1:${finance.rpcPort}`,
        NAMESPACE_DOMAINS,
        LOG_LEVEL: 'error',
        SHARD_TIMEOUT_MS: '5000',
      }),
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([sales?.close(), finance?.close()]);
  });

  const expectShape = (value: unknown, shape: M.Shape) => expect(M.shapeErrors(value, shape)).toEqual([]);

  describe.each(['shard', 'gateway'])('on the %s', (where) => {
    const base = () => (where === 'shard' ? sales.httpUrl : gateway.url);
    const get = (path: string) => getJson(`${base()}${path}`);
    const gatewaySums = where === 'gateway';

    it('GET /api/v1/stats/lineage-events: 24 hourly LineageMetrics (DAY), 7 daily (WEEK in a time zone)', async () => {
      const day = await get('/api/v1/stats/lineage-events?period=DAY&timezone=UTC');
      expect(day.status).toBe(200);
      expect(day.body).toHaveLength(24);
      expectShape(day.body, [M.LineageMetric]);
      const sum = (field: string) => day.body.reduce((n: number, b: any) => n + b[field], 0);
      expect({ start: sum('start'), complete: sum('complete'), fail: sum('fail'), abort: sum('abort') }).toEqual(
        gatewaySums ? { start: 4, complete: 3, fail: 1, abort: 0 } : { start: 3, complete: 2, fail: 1, abort: 0 },
      );
      const week = await get('/api/v1/stats/lineage-events?period=WEEK&timezone=Europe/Paris');
      expect(week.status).toBe(200);
      expect(week.body).toHaveLength(7);
      expectShape(week.body, [M.LineageMetric]);
      expect(week.body[6].start + week.body[5].start).toBe(gatewaySums ? 4 : 3);
    });

    // The gateway sums the shards' counts; each shard counts only the datasets (and sources) of its own domain or of
    // none (NAMESPACE_DOMAINS), so the sales dataset finance reads counts once: 3 distinct datasets, 3 sources.
    it.each([
      ['jobs', 2, 3],
      ['datasets', 2, 3],
      ['sources', 2, 3],
    ])('GET /api/v1/stats/%s: cumulative IntervalMetrics', async (kind, onShard, onGateway) => {
      for (const query of ['period=DAY', 'period=WEEK&timezone=America/New_York']) {
        const res = await get(`/api/v1/stats/${kind}?${query}`);
        expect(res.status).toBe(200);
        expectShape(res.body, [M.IntervalMetric]);
        expect(res.body.at(-1).count).toBe(gatewaySums ? onGateway : onShard);
      }
    });

    it('refuses a stats period that is missing or unknown, and WEEK without a time zone, naming the parameter', async () => {
      for (const [query, field] of [['', 'period'], ['?period=MONTH', 'period'], ['?period=WEEK', 'timezone'], ['?period=WEEK&timezone=Mars/Base', 'timezone']]) {
        const res = await get(`/api/v1/stats/jobs${query}`);
        expect(res.status).toBe(400);
        expect(res.body.field).toBe(field);
      }
      expect((await get('/api/v1/stats/nothing?period=DAY')).status).toBe(400);
    });

    it('GET /api/v1/jobs: jobs of every namespace, runStates, totalCount independent of limit', async () => {
      const all = await get('/api/v1/jobs?limit=100');
      expect(all.status).toBe(200);
      expectShape(all.body, { totalCount: 'int', jobs: [M.Job] });
      expect(all.body.jobs.map((j: any) => `${j.namespace}/${j.name}`)).toEqual(
        gatewaySums ? ['airflow-finance/etl.revenue', 'airflow-sales/etl.broken', 'airflow-sales/etl.load_orders'] : ['airflow-sales/etl.broken', 'airflow-sales/etl.load_orders'],
      );
      const one = await get('/api/v1/jobs?limit=1&offset=1');
      expect(one.body.totalCount).toBe(all.body.totalCount);
      expect(one.body.jobs).toHaveLength(1);
      expect(one.body.jobs[0].name).toBe(all.body.jobs[1].name);
      const failed = await get('/api/v1/jobs?runStates=FAILED');
      expect(failed.body).toMatchObject({ totalCount: 1, jobs: [{ name: 'etl.broken', latestRun: { state: 'FAILED' } }] });
      const either = await get('/api/v1/jobs?runStates=FAILED&runStates=COMPLETED');
      expect(either.body.totalCount).toBe(all.body.totalCount);
      expect((await get('/api/v1/jobs?runStates=EXPLODED')).status).toBe(400);
    });

    it('GET /api/v1/tags and /api/v1/jobs/runs/{id}/facets?type=run|job', async () => {
      const tags = await get('/api/v1/tags');
      expect(tags.status).toBe(200);
      expectShape(tags.body, { tags: [M.Tag] });
      const runFacets = await get(`/api/v1/jobs/runs/${run3}/facets?type=run`);
      expect(runFacets.status).toBe(200);
      expectShape(runFacets.body, M.RunFacets);
      expect(runFacets.body.facets.errorMessage.message).toBe('boom');
      const jobFacets = await get(`/api/v1/jobs/runs/${run3}/facets?type=job`);
      expect(jobFacets.body.facets.jobType.integration).toBe('AIRFLOW');
      expect((await get(`/api/v1/jobs/runs/${run3}/facets?type=dataset`)).status).toBe(400);
      expect((await get(`/api/v1/jobs/runs/${randomUUID()}/facets?type=run`)).status).toBe(404);
    });

    it('GET /api/v2beta/search/jobs|datasets: hits with highlights', async () => {
      const jobs = await get('/api/v2beta/search/jobs?q=orders');
      expect(jobs.status).toBe(200);
      expectShape(jobs.body, M.SearchV2(M.JobDocument));
      expect(jobs.body.hits.map((h: any) => h.name)).toEqual(['etl.load_orders']);
      expect(jobs.body.hits[0]).toMatchObject({ run_id: run2, eventType: 'COMPLETE', namespace: 'airflow-sales' });
      expect(jobs.body.highlights[0]).toEqual({ name: ['etl.load_<em>orders</em>'] });
      const datasets = await get('/api/v2beta/search/datasets?q=ORDERS');
      expectShape(datasets.body, M.SearchV2(M.DatasetDocument));
      // Snowflake names are canonically upper case
      expect(datasets.body.hits.map((h: any) => h.name).sort()).toEqual(['SALES.ORDERS', 'public.raw_orders']);
      expect(datasets.body.hits.find((h: any) => h.name === 'SALES.ORDERS').run_id).toBe(run2);
      expect((await get('/api/v2beta/search/jobs')).status).toBe(400);
      expect((await get('/api/v2beta/search/things?q=x')).status).toBe(400);
    });

    it('datasets carry Marquez columnLineage (list and get) and their newest version', async () => {
      const list = await get(`/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets`);
      expectShape(list.body, { totalCount: 'int', datasets: [M.Dataset] });
      const got = await get(`/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders`);
      expect(got.status).toBe(200);
      expectShape(got.body, M.Dataset);
      expect(list.body.datasets[0].columnLineage).toEqual(got.body.columnLineage);
      expect(got.body.columnLineage).toEqual([
        expect.objectContaining({ name: 'amount', inputFields: [expect.objectContaining({ namespace: PG_NS, dataset: 'public.raw_orders', field: 'total', transformationType: 'TRANSFORMATION' })] }),
        expect.objectContaining({
          name: 'order_id',
          transformationType: 'IDENTITY',
          transformationDescription: 'copied',
          inputFields: [expect.objectContaining({ namespace: PG_NS, dataset: 'public.raw_orders', field: 'id', transformationType: 'IDENTITY' })],
        }),
      ]);
      const raw = await get(`/api/v1/namespaces/${encodeURIComponent(PG_NS)}/datasets/public.raw_orders`);
      expect(raw.body.columnLineage).toBeNull();
    });

    it('dataset versions: one per writing run with createdByRun, ids matching the runs; run versions are stable uuids', async () => {
      const path = `/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders/versions`;
      const versions = await get(path);
      expect(versions.status).toBe(200);
      expectShape(versions.body, { totalCount: 'int', versions: [M.DatasetVersion] });
      expect(versions.body.totalCount).toBe(2);
      expect(versions.body.versions.map((v: any) => v.createdByRun.id)).toEqual([run2, run1]);
      expect(versions.body.versions[0].fields.map((f: any) => f.name)).toEqual(['order_id', 'amount']);
      const limited = await get(`${path}?limit=1`);
      expect(limited.body.totalCount).toBe(2);
      expect(limited.body.versions[0].version).toBe(versions.body.versions[0].version);

      const run = await get(`/api/v1/jobs/runs/${run2}`);
      expectShape(run.body, M.Run);
      expect(run.body.outputDatasetVersions[0].datasetVersionId.version).toBe(versions.body.versions[0].version);
      expect(run.body.jobVersion.version).toBe((await get(`/api/v1/jobs/runs/${run2}`)).body.jobVersion.version);
      const dataset = await get(`/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders`);
      expect(dataset.body.currentVersion).toBe(versions.body.versions[0].version);

      const runs = await get(`/api/v1/namespaces/airflow-sales/jobs/etl.load_orders/runs`);
      expectShape(runs.body, { totalCount: 'int', runs: [M.Run] });
      expect(runs.body.runs.map((r: any) => r.id)).toEqual([run2, run1]);
      const job = await get('/api/v1/namespaces/airflow-sales/jobs/etl.load_orders');
      expectShape(job.body, M.Job);
      expect(job.body.currentVersion).toBe(run.body.jobVersion.version);
    });

    it('refuses an unknown transformations= value with a 400 naming the parameter and listing the valid ones', async () => {
      const node = encodeURIComponent(`datasetField:${SALES_NS}:SALES.ORDERS:amount`);
      const paths = [`/api/v1/column-lineage?nodeId=${node}&transformations=DIRECT,MAGIC`, ...(where === 'gateway' ? [`/api/v1/impact?nodeId=${node}&transformations=MAGIC`] : [])];
      for (const path of paths) {
        const res = await get(path);
        expect({ path, status: res.status, field: res.body.field }).toEqual({ path, status: 400, field: 'transformations' });
        expect(res.body.message).toMatch(/"MAGIC".*valid: DIRECT, DIRECT\/IDENTITY/);
      }
      const ok = await get(`/api/v1/column-lineage?nodeId=${node}&transformations=direct/transformation`);
      expect(ok.status).toBe(200);
      expect(ok.body.graph.map((n: any) => n.id)).toContain(`datasetField:${PG_NS}:public.raw_orders:total`);
    });

    it('search: totalCount independent of limit, updatedAt equal to the dataset\'s', async () => {
      const all = await get('/api/v1/search?q=orders&limit=10');
      const one = await get('/api/v1/search?q=orders&limit=1');
      expect(all.body.totalCount).toBe(3);
      expect(one.body.totalCount).toBe(3);
      expect(one.body.results).toHaveLength(1);
      const hit = all.body.results.find((r: any) => r.name === 'SALES.ORDERS');
      const dataset = await get(`/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders`);
      expect(hit.updatedAt).toBe(dataset.body.updatedAt);
      const datasets = await get(`/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets?limit=1`);
      expect(datasets.body.totalCount).toBe((await get(`/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets?limit=50`)).body.totalCount);
    });
  });

  it('a run of another domain reads the owner\'s dataset version: on the gateway, every answer carrying the run names it', async () => {
    const path = `/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders/versions`;
    const ownerVersions = (await getJson(`${sales.httpUrl}${path}`)).body.versions;
    // run4 (finance) started after run2 (sales) wrote SALES.ORDERS: it read run2's version
    const expected = ownerVersions.find((v: any) => v.createdByRun.id === run2).version;
    const inputOf = (run: any) => run.inputDatasetVersions.find((i: any) => i.datasetVersionId.name === 'SALES.ORDERS').datasetVersionId;
    // finance's own shard only knows the schema it read, not sales' runs
    const onFinance = await getJson(`${finance.httpUrl}/api/v1/jobs/runs/${run4}`);
    expect(inputOf(onFinance.body).version).not.toBe(expected);

    const run = await getJson(`${gateway.url}/api/v1/jobs/runs/${run4}`);
    expect(run.status).toBe(200);
    expect(inputOf(run.body)).toEqual({ namespace: SALES_NS, name: 'SALES.ORDERS', version: expected });
    expect(run.body.complete).toBe(true);
    const runs = await getJson(`${gateway.url}/api/v1/namespaces/airflow-finance/jobs/etl.revenue/runs`);
    expect(inputOf(runs.body.runs[0]).version).toBe(expected);
    const job = await getJson(`${gateway.url}/api/v1/namespaces/airflow-finance/jobs/etl.revenue`);
    expect(inputOf(job.body.latestRun).version).toBe(expected);
    const jobs = await getJson(`${gateway.url}/api/v1/jobs?limit=10`);
    expect(inputOf(jobs.body.jobs.find((j: any) => j.name === 'etl.revenue').latestRun).version).toBe(expected);
    const revenueVersions = await getJson(`${gateway.url}/api/v1/namespaces/s3%3A%2F%2Ffinance/datasets/revenue/versions`);
    expect(inputOf(revenueVersions.body.versions[0].createdByRun).version).toBe(expected);
    const graph = await getJson(`${gateway.url}/api/v1/lineage?nodeId=${encodeURIComponent('job:airflow-finance:etl.revenue')}&depth=1`);
    const jobNode = graph.body.graph.find((n: any) => n.id === 'job:airflow-finance:etl.revenue');
    expect(inputOf(jobNode.data.latestRun).version).toBe(expected);
    // an input the run's own domain owns (or no domain owns) keeps the reading shard's id: run2 read raw_orders (no domain)
    const run2Answer = await getJson(`${gateway.url}/api/v1/jobs/runs/${run2}`);
    const direct = await getJson(`${sales.httpUrl}/api/v1/jobs/runs/${run2}`);
    expect(run2Answer.body.inputDatasetVersions).toEqual(direct.body.inputDatasetVersions);
  });

  it('the gateway picks the owning domain\'s copy of a dataset and its versions (finance only read it)', async () => {
    const fromFinance = await getJson(`${finance.httpUrl}/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders/versions`);
    expect(fromFinance.body.versions.every((v: any) => v.createdByRun === null)).toBe(true);
    const merged = await getJson(`${gateway.url}/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders/versions`);
    expect(merged.body.totalCount).toBe(2);
    expect(merged.body.versions.map((v: any) => v.createdByRun.id)).toEqual([run2, run1]);
    const dataset = await getJson(`${gateway.url}/api/v1/namespaces/${encodeURIComponent(SALES_NS)}/datasets/sales.orders`);
    expect(dataset.body.domains.sort()).toEqual(['finance', 'sales']);
    expect(dataset.body.currentVersion).toBe(merged.body.versions[0].version);
    expect(shards()).toHaveLength(2);
  });
});
