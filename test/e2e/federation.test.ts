/**
 * Three real shard processes and a real gateway process: cross-domain impact, drifted spellings, as-of,
 * column impact, paging, the federated Marquez reads, routed ingest, cache invalidation, and a shard that
 * hangs and then dies mid-session (partial answers that name it). Answers are checked against a plain BFS
 * over the union of the shards' own graphs (read from their SQLite stores).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '@lineage-hub/store';
import { buildMergedGraph, mergedGraphBfs } from '@lineage-hub/federation';
import type { ColumnEdge, LineageEdge, NodeId } from '@lineage-hub/model';
import { DEMO_NAMESPACE_DOMAINS, DEMO_QUERIES, demoEvents } from '../../apps/hub/src/demo/demo-mesh';
import { type AppProcess as Proc, startNode } from '../testing/process-kit';

jest.setTimeout(60_000);


const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as any };
};
const postJson = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

const DOMAINS = ['sales', 'marketing', 'finance'];
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lineage-federation-e2e-'));
const shards: Record<string, { proc: Proc; httpUrl: string; rpcPort: number; storeUrl: string }> = {};
let gateway: Proc;
let G: string;

const impact = (params: Record<string, string | number>) =>
  getJson(`${G}/api/v1/impact?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`);

/** Until every shard is up and the gateway holds its current filter. */
const filtersCurrent = async () => {
  for (let i = 0; i < 100; i++) {
    const { body } = await getJson(`${G}/health`);
    const actual = Object.fromEntries(await Promise.all(DOMAINS.map(async (d) => [d, (await getJson(`${shards[d].httpUrl}/health`)).body.version])));
    if (body.shards.length === DOMAINS.length && body.shards.every((s: any) => s.state === 'up' && s.filterVersion === actual[s.domain])) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the gateway never caught up with the shards');
};

/** The union of the shards' graphs, from their own stores. */
const unionGraph = async (asOf?: number) => {
  const edges: LineageEdge[] = [];
  const columns: ColumnEdge[] = [];
  for (const domain of DOMAINS) {
    const store = await createStore(shards[domain].storeUrl);
    const snapshot = await store.loadGraph();
    await store.close();
    for (const group of snapshot.groups) {
      edges.push(...group.edges);
      columns.push(...group.columnEdges);
    }
  }
  return { graph: buildMergedGraph(edges, columns, asOf), edges, columns };
};

beforeAll(async () => {
  await Promise.all(
    DOMAINS.map(async (domain) => {
      const storeUrl = `sqlite:${path.join(dataDir, domain, 'lineage.db')}`;
      const proc = startNode('apps/shard/src/main.js', { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', SHARD_DOMAIN: domain, STORE_URL: storeUrl, REDIS_URL: '' });
      const started = await proc.waitFor((l) => l.msg === 'shard started');
      shards[domain] = { proc, httpUrl: started.httpUrl, rpcPort: started.rpcPort, storeUrl };
    }),
  );
  gateway = startNode('apps/gateway/src/main.js', {
    PORT: '0',
    HOST: '127.0.0.1',
    SHARDS: DOMAINS.map((d) => `${d}=127.0.0.1:${shards[d].rpcPort}`).join(','),
    NAMESPACE_DOMAINS: Object.entries(DEMO_NAMESPACE_DOMAINS).map(([ns, d]) => `${ns}=${d}`).join(','),
    SHARD_TIMEOUT_MS: '700',
    QUERY_BUDGET_MS: '3000',
    FILTER_REFRESH_MS: '200',
    REDIS_URL: '',
  });
  G = (await gateway.waitFor((l) => l.msg === 'gateway listening')).url;
  // Producers post to the gateway; each event is routed to its domain's shard.
  const events = demoEvents({ filler: 6 });
  for (let i = 0; i < events.length; i += 150) {
    const { status, body } = await postJson(`${G}/api/v1/lineage/batch`, events.slice(i, i + 150));
    expect({ status, failed: body.summary.failed }).toEqual({ status: 200, failed: 0 });
  }
  await filtersCurrent();
});

afterAll(async () => {
  const all = [gateway, ...Object.values(shards).map((s) => s.proc)].filter(Boolean);
  for (const p of all) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(all.map((p) => (p.child.exitCode === null && p.child.signalCode === null ? new Promise((r) => p.child.once('exit', r)) : null)));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('federated impact across three shard processes', () => {
  it('routes posted events to the shard owning their namespace', async () => {
    const { body } = await getJson(`${shards.finance.httpUrl}/api/v1/namespaces`);
    const names = body.namespaces.map((n: any) => n.name);
    expect(names).toEqual(expect.arrayContaining(['airflow-finance', 'dbt-finance']));
    expect(names).not.toContain('airflow-sales');
    expect(names).not.toContain('spark-marketing');
  });

  it('answers a cross-domain chain with a summary by domain, complete, in few round trips', async () => {
    const { status, body } = await impact({ nodeId: DEMO_QUERIES.ordersTable, direction: 'downstream', depth: 10 });
    expect(status).toBe(200);
    expect(body.complete).toBe(true);
    expect(body.missingDomains).toEqual([]);
    expect(body.truncated).toBe(false);
    const ids = body.nodes.map((n: any) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'job:spark-marketing:attribution.build',
        'dataset:bigquery:acme-marketing.attribution.channel_attribution',
        'job:dbt-finance:acme_finance.marketing_roi',
        'dataset:s3://acme-finance-exports:reports/board/monthly.parquet',
      ]),
    );
    expect(Object.keys(body.summary.byDomain).sort()).toEqual(['finance', 'marketing', 'sales']);
    expect(body.nodes.find((n: any) => n.id === 'job:spark-marketing:attribution.build')).toMatchObject({ type: 'JOB', domain: 'marketing' });
    // sales -> marketing -> finance (and sales -> finance): two crossings on the longest path
    expect(body.stats.roundTrips).toBeLessThanOrEqual(4);
    const edge = body.edges.find((e: any) => e.to === 'job:spark-marketing:attribution.build');
    expect(edge).toMatchObject({ from: 'dataset:snowflake://acme-sales:ANALYTICS.MARTS.FCT_ORDERS', kind: 'reads' });
  });

  it('lands a drifted spelling on the same node and merges the shards holding it', async () => {
    const { body } = await impact({ nodeId: 'dataset:snowflake://ACME-SALES:analytics.public.orders', depth: 1 });
    expect(body.nodeId).toBe('dataset:snowflake://acme-sales:ANALYTICS.PUBLIC.ORDERS');
    const seed = body.nodes.find((n: any) => n.distance === 0);
    expect(seed.id).toBe('dataset:snowflake://acme-sales:ANALYTICS.PUBLIC.ORDERS');
    expect(seed.domains).toEqual(['finance', 'sales']); // finance's job read it as analytics.public.orders
    expect(seed.domain).toBe('sales'); // written by sales' dbt model
    expect(body.nodes.map((n: any) => n.id)).toEqual(
      expect.arrayContaining(['job:airflow-finance:finance_load.orders_snapshot', 'job:dbt-sales:acme_sales.fct_orders']),
    );
  });

  it('equals a plain BFS over the union of the shards, both directions, datasets, jobs and columns', async () => {
    const { graph, edges, columns } = await unionGraph();
    const datasets = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((id) => id.startsWith('dataset:'));
    const jobs = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((id) => id.startsWith('job:'));
    const fields = [...new Set(columns.flatMap((e) => [e.from, e.to]))].filter((id) => id.startsWith('datasetField:'));
    const seeds = [...datasets.filter((_, i) => i % 3 === 0), ...jobs.filter((_, i) => i % 5 === 0), ...fields.filter((_, i) => i % 4 === 0)];
    expect(seeds.length).toBeGreaterThan(20);
    let compared = 0;
    for (const seed of seeds) {
      for (const direction of ['downstream', 'upstream'] as const) {
        for (const depth of [1, 3, 10]) {
          const expected = mergedGraphBfs(graph, seed as NodeId, direction, depth);
          const { body } = await impact({ nodeId: seed, direction, depth, limit: 10000 });
          expect(body.complete).toBe(true);
          const got = Object.fromEntries(body.nodes.map((n: any) => [n.id, n.distance]));
          expect({ seed, direction, depth, nodes: got }).toEqual({ seed, direction, depth, nodes: Object.fromEntries([...expected].map(([id, n]) => [id, n.distance])) });
          compared++;
        }
      }
    }
    expect(compared).toBe(seeds.length * 6);
  });

  it('answers as of a past time (attribution read raw orders before it switched to the mart)', async () => {
    const rawOrders = 'dataset:snowflake://acme-sales:RAW.SHOP.ORDERS';
    const past = await impact({ nodeId: rawOrders, depth: 1, asOf: DEMO_QUERIES.beforeSwitch });
    const now = await impact({ nodeId: rawOrders, depth: 1 });
    expect(past.body.nodes.map((n: any) => n.id)).toContain('job:spark-marketing:attribution.build');
    expect(now.body.nodes.map((n: any) => n.id)).not.toContain('job:spark-marketing:attribution.build');
    const { graph } = await unionGraph(Date.parse(DEMO_QUERIES.beforeSwitch));
    const deep = await impact({ nodeId: rawOrders, depth: 10, asOf: DEMO_QUERIES.beforeSwitch });
    expect(Object.fromEntries(deep.body.nodes.map((n: any) => [n.id, n.distance]))).toEqual(
      Object.fromEntries([...mergedGraphBfs(graph, rawOrders as NodeId, 'downstream', 10)].map(([id, n]) => [id, n.distance])),
    );
  });

  it('follows a column across domains (column-level impact), spelled any way', async () => {
    const { body } = await impact({ nodeId: 'datasetField:snowflake://acme-sales:analytics.marts.fct_orders:AMOUNT', depth: 5 });
    expect(body.nodeId).toBe(DEMO_QUERIES.amountColumn);
    const byId = Object.fromEntries(body.nodes.map((n: any) => [n.id, n]));
    expect(byId['datasetField:bigquery:acme-marketing.attribution.channel_attribution:attributed_amount']).toMatchObject({ distance: 1, type: 'DATASET_FIELD' });
    expect(byId['datasetField:s3://acme-finance-exports:reports/board/monthly.parquet:roi']).toMatchObject({ distance: 3 });
    expect(byId['datasetField:bigquery:acme-marketing.attribution.channel_attribution:channel']).toBeUndefined();
    expect(body.edges.every((e: any) => e.kind === 'column')).toBe(true);
  });

  it('crosses domains through a symlink: a table one shard knows by its location and another only by that location is one node', async () => {
    const run = (job: string, inputs: unknown[], outputs: unknown[]) => ({
      eventType: 'COMPLETE',
      eventTime: '2026-01-05T06:00:00.000Z',
      producer: 'https://example.com/e2e',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId: job === 'load_orders_s3' ? '6f1d2f6e-0000-4000-8000-000000000001' : '6f1d2f6e-0000-4000-8000-000000000002' },
      job: { namespace: 'alias-e2e', name: job },
      inputs,
      outputs,
    });
    const location = { namespace: 's3://lake', name: 'warehouse/orders_e2e' };
    const symlinks = { _producer: 'e2e', _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/SymlinksDatasetFacet.json', identifiers: [{ ...location, type: 'LOCATION' }] };
    // marketing's loader writes the location; sales' Spark job reads the Hive table, whose symlink is that location
    expect((await postJson(`${shards.marketing.httpUrl}/api/v1/lineage`, run('load_orders_s3', [{ namespace: 'postgres://app:5432', name: 'app.public.orders_src' }], [location]))).status).toBe(200);
    const hive = { namespace: 'hive://metastore:9083', name: 'default.orders_e2e', facets: { symlinks } };
    expect((await postJson(`${shards.sales.httpUrl}/api/v1/lineage`, run('spark_daily', [hive], [{ namespace: 'hive://metastore:9083', name: 'default.daily_e2e' }]))).status).toBe(200);
    await filtersCurrent();
    const down = await impact({ nodeId: 'dataset:postgres://app:5432:app.public.orders_src', direction: 'downstream', depth: 5 });
    expect(down.status).toBe(200);
    const ids = down.body.nodes.map((n: any) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['dataset:hive://metastore:9083:default.orders_e2e', 'job:alias-e2e:spark_daily', 'dataset:hive://metastore:9083:default.daily_e2e']));
    expect(ids).not.toContain('dataset:s3://lake:warehouse/orders_e2e');
    // and upstream from the Hive side, into the domain that only knows the location
    const up = await impact({ nodeId: 'dataset:hive://metastore:9083:default.daily_e2e', direction: 'upstream', depth: 5 });
    expect(up.body.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining(['job:alias-e2e:load_orders_s3', 'dataset:postgres://app:5432:app.public.orders_src']));
  });

  it('filters column impact by transformation type', async () => {
    const price = 'datasetField:snowflake://acme-sales:RAW.SHOP.ORDER_ITEMS:PRICE';
    const all = await impact({ nodeId: price, depth: 5 });
    const amount = 'datasetField:snowflake://acme-sales:ANALYTICS.MARTS.FCT_ORDERS:AMOUNT';
    expect(all.body.nodes.map((n: any) => n.id)).toContain(amount); // SUM(price): DIRECT/AGGREGATION
    const identity = await impact({ nodeId: price, depth: 5, transformations: 'DIRECT/IDENTITY' });
    expect(identity.body.complete).toBe(true);
    expect(identity.body.nodes.map((n: any) => n.id)).not.toContain(amount);
    const aggregation = await impact({ nodeId: price, depth: 5, transformations: 'direct/aggregation' });
    expect(aggregation.body.nodes.map((n: any) => n.id)).toContain(amount);
  });

  it('pages with a cursor, and every page together is the whole answer', async () => {
    const full = await impact({ nodeId: DEMO_QUERIES.ordersTable, depth: 10, limit: 10000 });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { body }: { body: any } = await impact({ nodeId: DEMO_QUERIES.ordersTable, depth: 10, limit: 7, ...(cursor ? { cursor } : {}) });
      expect(body.nodes.length).toBeLessThanOrEqual(7);
      seen.push(...body.nodes.map((n: any) => n.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(2);
    expect(seen).toEqual(full.body.nodes.map((n: any) => n.id));
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    expect((await impact({ nodeId: 'table:x' })).body).toMatchObject({ error: 'invalid-argument', field: 'nodeId' });
    expect((await impact({ nodeId: DEMO_QUERIES.ordersTable, direction: 'sideways' })).body.field).toBe('direction');
    expect((await impact({ nodeId: DEMO_QUERIES.ordersTable, depth: -1 })).status).toBe(400);
    expect((await impact({ nodeId: DEMO_QUERIES.ordersTable, cursor: 'nope' })).body.field).toBe('cursor');
    expect((await impact({ nodeId: DEMO_QUERIES.ordersTable, asOf: 'yesterday' })).body.field).toBe('asOf');
    expect((await impact({ nodeId: 'dataset:postgres://nowhere:5432:db.public.none' })).status).toBe(404);
  });

  it('refuses the Marquez reads\' bad parameters as strictly as a shard does, naming the same field', async () => {
    const node = encodeURIComponent('dataset:bigquery:acme-marketing.attribution.channel_attribution');
    const cases: Array<[string, string]> = [
      ['events/lineage?before=garbage', 'before'],
      ['events/lineage?after=1&after=2', 'after'],
      ['events/lineage?sortDirection=sideways', 'sortDirection'],
      ['events/lineage?limit=0', 'limit'],
      ['search?q=orders&sort=bogus', 'sort'],
      ['search?q=orders&filter=TABLE', 'filter'],
      ['search?q=a&q=b', 'q'],
      ['search?q=orders&limit=abc', 'limit'],
      [`lineage?nodeId=${node}&direction=sideways`, 'direction'],
      [`lineage?nodeId=${node}&maxNodes=0`, 'maxNodes'],
      [`lineage?nodeId=${node}&depth=x`, 'depth'],
      [`lineage?nodeId=${node}&asOf=1&asOf=2`, 'asOf'],
      [`column-lineage?nodeId=${node}&withDownstream=maybe`, 'withDownstream'],
      ['namespaces/spark-marketing/jobs?offset=-1', 'offset'],
    ];
    for (const [query, field] of cases) {
      const atGateway = await getJson(`${G}/api/v1/${query}`);
      const atShard = await getJson(`${shards.marketing.httpUrl}/api/v1/${query}`);
      expect({ query, status: atGateway.status, field: atGateway.body.field }).toEqual({ query, status: 400, field });
      expect({ query, status: atShard.status, field: atShard.body.field }).toEqual({ query, status: 400, field });
    }
    // A good query with the same parameters is complete and honours them.
    const up = await getJson(`${G}/api/v1/lineage?nodeId=${node}&depth=2&direction=upstream`);
    expect(up.body.complete).toBe(true);
    expect(up.body.graph.map((n: any) => n.id)).not.toContain('job:dbt-finance:acme_finance.marketing_roi');
  });

  it('serves the Marquez reads across shards', async () => {
    const ns = await getJson(`${G}/api/v1/namespaces`);
    expect(ns.body.namespaces.map((n: any) => n.name)).toEqual(expect.arrayContaining(Object.keys(DEMO_NAMESPACE_DOMAINS).filter((k) => !k.includes(':'))));
    expect(ns.body.complete).toBe(true);
    const sf = await getJson(`${G}/api/v1/namespaces/${encodeURIComponent('snowflake://acme-sales')}/datasets?limit=100`);
    const fct = sf.body.datasets.find((d: any) => d.name === 'ANALYTICS.MARTS.FCT_ORDERS');
    expect(fct.domains.sort()).toEqual(['finance', 'marketing', 'sales']);
    expect(sf.body.datasets.filter((d: any) => d.name === 'ANALYTICS.MARTS.FCT_ORDERS')).toHaveLength(1);
    const one = await getJson(`${G}/api/v1/namespaces/${encodeURIComponent('snowflake://ACME-SALES')}/datasets/${encodeURIComponent('analytics.marts.fct_orders')}`);
    expect(one.status).toBe(200);
    expect(one.body.name).toBe('ANALYTICS.MARTS.FCT_ORDERS');
    const job = await getJson(`${G}/api/v1/namespaces/spark-marketing/jobs/attribution.build`);
    expect(job.body).toMatchObject({ name: 'attribution.build', domains: ['marketing'] });
    const runs = await getJson(`${G}/api/v1/namespaces/spark-marketing/jobs/attribution.build/runs?limit=50`);
    expect(runs.body.runs).toHaveLength(7);
    const run = await getJson(`${G}/api/v1/jobs/runs/${runs.body.runs[0].id}`);
    expect(run.body.id).toBe(runs.body.runs[0].id);
    const search = await getJson(`${G}/api/v1/search?q=orders&limit=50`);
    const hits = search.body.results.map((r: any) => r.nodeId);
    expect(hits).toEqual(expect.arrayContaining(['dataset:snowflake://acme-sales:ANALYTICS.PUBLIC.ORDERS', 'dataset:redshift://finance.us-east-1:5439:finance.public.orders_snapshot']));
    expect(new Set(hits).size).toBe(hits.length);
    const lineage = await getJson(`${G}/api/v1/lineage?nodeId=${encodeURIComponent('dataset:bigquery:acme-marketing.attribution.channel_attribution')}&depth=2`);
    const graphIds = lineage.body.graph.map((n: any) => n.id);
    expect(graphIds).toEqual(expect.arrayContaining(['job:spark-marketing:attribution.build', 'job:dbt-finance:acme_finance.marketing_roi', 'dataset:snowflake://acme-sales:ANALYTICS.MARTS.FCT_ORDERS']));
    const columns = await getJson(`${G}/api/v1/column-lineage?nodeId=${encodeURIComponent('datasetField:redshift://finance.us-east-1:5439:finance.reporting.marketing_roi:roi')}&depth=3`);
    expect(columns.body.graph.map((n: any) => n.id)).toContain('datasetField:bigquery:acme-marketing.attribution.channel_attribution:attributed_amount');
    expect((await getJson(`${G}/api/v1/namespaces/nope/datasets/nothing`)).status).toBe(404);
    // The shards' own refusal passes through with its code, field and message (not "unavailable"): a 400.
    const badTime = await getJson(`${G}/api/v1/events/lineage?before=not-a-time`);
    expect(badTime.status).toBe(400);
    expect(badTime.body).toMatchObject({ error: 'invalid-argument', field: 'before' });
    const events = await getJson(`${G}/api/v1/events/lineage?limit=5`);
    expect(events.body.events).toHaveLength(5);
    expect(events.body.totalCount).toBeGreaterThanOrEqual(demoEvents({ filler: 6 }).length);
  });

  it('fails an event whose namespace no domain owns, alone (the batch answer lists it), writing nothing for it', async () => {
    const event = { ...demoEvents({ filler: 0 })[0], job: { namespace: 'orphan-namespace', name: 'x' } };
    const { status, body } = await postJson(`${G}/api/v1/lineage/batch`, [demoEvents({ filler: 0 })[1], event]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'partial_success', summary: { received: 2, successful: 1, failed: 1, non_retriable: 1 } });
    expect(body.failed_events).toEqual([expect.objectContaining({ index: 1, field: '[1].job.namespace', retriable: false })]);
    const ns = await getJson(`${G}/api/v1/namespaces`);
    expect(ns.body.namespaces.map((n: any) => n.name)).not.toContain('orphan-namespace');
  });

  it('invalidates a cached answer as soon as a shard graph changes', async () => {
    const seed = 'dataset:s3://acme-finance-exports:reports/board/monthly.parquet';
    const first = await impact({ nodeId: seed, depth: 3 });
    const second = await impact({ nodeId: seed, depth: 3 });
    expect(second.body.stats.cached).toBe(true);
    expect(second.body.nodes).toEqual(first.body.nodes);
    // marketing starts consuming finance's board report; posted straight to marketing's shard
    const [template] = demoEvents({ filler: 0 });
    const event = {
      ...template,
      eventType: 'COMPLETE',
      eventTime: new Date().toISOString(),
      run: { runId: '0193a1c2-0000-4000-8000-000000000001' },
      job: { namespace: 'spark-marketing', name: 'board_report_mirror' },
      inputs: [{ namespace: 's3://acme-finance-exports', name: 'reports/board/monthly.parquet' }],
      outputs: [{ namespace: 'bigquery', name: 'acme-marketing.web.board_mirror' }],
    };
    expect((await postJson(`${shards.marketing.httpUrl}/api/v1/lineage`, event)).status).toBeLessThan(300);
    const third = await impact({ nodeId: seed, depth: 3 });
    expect(third.body.stats.cached).toBe(false);
    expect(third.body.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining(['job:spark-marketing:board_report_mirror', 'dataset:bigquery:acme-marketing.web.board_mirror']));
  });

  it('exposes health per shard and federation metrics', async () => {
    const health = await getJson(`${G}/health`);
    expect(health.body.status).toBe('ok');
    expect(health.body.shards.map((s: any) => [s.domain, s.state])).toEqual([['finance', 'up'], ['marketing', 'up'], ['sales', 'up']]);
    // the impact queries above went over the shards' lean expand ports (advertised in shard.version)
    expect(health.body.shards.map((s: any) => [s.domain, s.expand])).toEqual([['finance', 'lean'], ['marketing', 'lean'], ['sales', 'lean']]);
    const metrics = await (await fetch(`${G}/metrics`)).text();
    expect(metrics).toMatch(/gateway_query_duration_seconds_bucket\{.*query="impact"/);
    expect(metrics).toMatch(/gateway_query_fanout_messages_count\{query="impact"\} [1-9]/);
    expect(metrics).toMatch(/gateway_filter_false_positive_rate \d/);
    expect(gateway.lines.some((l) => l.level === 'info' && l.service === 'gateway')).toBe(true);
  });

  it('answers partially, naming the domain, when a shard hangs and then when it is killed', async () => {
    const marketing = shards.marketing.proc.child;
    marketing.kill('SIGSTOP'); // hangs mid-session: its socket is open but nothing answers
    try {
      const started = Date.now();
      const hung = await impact({ nodeId: DEMO_QUERIES.ordersTable, depth: 10 });
      expect(hung.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3500);
      expect(hung.body.complete).toBe(false);
      expect(hung.body.missingDomains).toEqual(['marketing']);
      const ids = hung.body.nodes.map((n: any) => n.id);
      expect(ids).toContain('job:dbt-sales:acme_sales.fct_orders');
      expect(ids).toContain('job:airflow-finance:finance_load.orders_snapshot');
      expect(ids).not.toContain('job:spark-marketing:attribution.build');
    } finally {
      marketing.kill('SIGKILL');
    }
    await new Promise((r) => marketing.once('exit', r));
    const dead = await impact({ nodeId: DEMO_QUERIES.ordersTable, depth: 10 });
    expect(dead.status).toBe(200);
    expect(dead.body).toMatchObject({ complete: false, missingDomains: ['marketing'] });
    const reads = await getJson(`${G}/api/v1/namespaces`);
    expect(reads.body).toMatchObject({ complete: false, missingDomains: ['marketing'] });
    // A record only the dead shard holds: unavailable (503), not "not found".
    const gone = await getJson(`${G}/api/v1/namespaces/spark-marketing/jobs/attribution.build`);
    expect(gone.status).toBe(503);
    for (let i = 0; i < 50; i++) {
      const { body } = await getJson(`${G}/health`);
      if (body.shards.find((s: any) => s.domain === 'marketing').state === 'down') {
        expect(body.status).toBe('degraded');
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('health never reported marketing down');
  });
});
