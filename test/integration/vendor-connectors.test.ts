/**
 * The done-when path for the BigQuery, Snowflake and Salesforce connectors, each against its wire-level fake
 * through its unmodified SDK: configured through the worker's admin API, run on schedule by the worker
 * (real Redis: BullMQ, shared limiter, state), throttled by the fake and riding it out, with the lineage
 * landing in the owning domain's shard (real shard app) under canonical ids that stitch with OpenLineage
 * events for the same tables, and the run history showing coverage.
 */
import { datasetId } from '@lineage-hub/model';
import { startShard, type RunningShard } from '../../apps/shard/src/shard-app';
import { loadShardConfig } from '../../apps/shard/src/shard.config';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker-app';
import { dropPrefix, http, uniquePrefix, waitFor, workerTestConfig } from '../../apps/worker/src/testing/worker-test-kit';
import { BigQueryFake } from '@lineage-hub/connector-bigquery/testing';
import { SalesforceFake } from '@lineage-hub/connector-salesforce/testing';
import { SnowflakeFake } from '@lineage-hub/connector-snowflake/testing';

jest.setTimeout(90_000);

const HOUR = 3_600_000;
const SNOWFLAKE_NS = 'snowflake://acme-prod';
const SALESFORCE_NS = 'salesforce://acme.my.salesforce.com';

/** Moves fixture instants so the earliest lands at `start`, keeping their spacing. */
const retime = <T extends Record<string, any>>(rows: T[], fields: string[], start: number, format: (ms: number) => string = (ms) => new Date(ms).toISOString()) => {
  const times = rows.flatMap((r) => fields.map((f) => r[f]).filter(Boolean).map((v: string) => Date.parse(v.replace(/\+0000$/, 'Z'))));
  const shift = start - Math.min(...times);
  for (const row of rows) for (const f of fields) if (row[f]) (row as any)[f] = format(Date.parse(String(row[f]).replace(/\+0000$/, 'Z')) + shift);
};

const olEvent = (job: { namespace: string; name: string }, inputs: Array<{ namespace: string; name: string }>, outputs: Array<{ namespace: string; name: string }>, producer: string) => ({
  eventType: 'COMPLETE',
  eventTime: new Date().toISOString(),
  producer,
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: crypto.randomUUID() },
  job,
  inputs,
  outputs,
});

const lineageNodes = async (shardUrl: string, nodeId: string) => {
  const { status, body } = await http('GET', `${shardUrl}/api/v1/lineage?nodeId=${encodeURIComponent(nodeId)}&depth=2`);
  expect(status).toBe(200);
  return body.graph as Array<{ id: string; type: string; inEdges: Array<{ origin: string; destination: string }>; outEdges: Array<{ origin: string; destination: string }> }>;
};

const succeededRun = (workerUrl: string, id: string, extra: (run: any) => boolean = () => true) =>
  waitFor(
    async () => {
      const { body } = await http('GET', `${workerUrl}/api/v1/connectors/${id}/runs`);
      return body.runs?.find((r: any) => r.state === 'succeeded' && r.counts.observedWrites > 0 && extra(r));
    },
    45_000,
    `a succeeded run of ${id}`,
  );

describe('vendor connectors end to end (worker + shards + wire-level fakes)', () => {
  let warehouse: RunningShard;
  let crm: RunningShard;
  let worker: RunningWorker;
  let bigquery: BigQueryFake;
  let snowflake: SnowflakeFake;
  let salesforce: SalesforceFake;
  const prefix = uniquePrefix('vendors');
  const now = Date.now();

  beforeAll(async () => {
    const shardEnv = { PORT: '0', RPC_PORT: '0', RPC_HOST: '127.0.0.1', STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'warn' };
    warehouse = await startShard(loadShardConfig({ ...shardEnv, SHARD_DOMAIN: 'warehouse' }));
    crm = await startShard(loadShardConfig({ ...shardEnv, SHARD_DOMAIN: 'crm' }));

    bigquery = new BigQueryFake();
    await bigquery.start();
    for (const rows of bigquery.jobs.values()) retime(rows, ['creation_time', 'end_time'], now - 5 * HOUR);

    snowflake = await SnowflakeFake.start();
    const readable = snowflake.rows.filter((r) => !r.QUERY_ID.endsWith('a008'));
    retime(readable, ['QUERY_START_TIME', 'END_TIME'], now - 8 * HOUR);
    const filling = snowflake.rows.find((r) => r.QUERY_ID.endsWith('a008'))!;
    filling.QUERY_START_TIME = new Date(now - HOUR).toISOString();
    filling.END_TIME = new Date(now - HOUR + 1000).toISOString();

    salesforce = await SalesforceFake.start({ pageSize: 2 });
    const sfTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
    // The invoice modified weeks before the others stays outside the 24 h window.
    const [stale] = salesforce.records.Invoice__c.splice(2, 1);
    for (const rows of Object.values(salesforce.records)) retime(rows, ['LastModifiedDate'], now - 20 * HOUR, sfTime);
    salesforce.records.Invoice__c.push({ ...stale, LastModifiedDate: sfTime(now - 30 * 24 * HOUR) });

    worker = await startWorker(
      workerTestConfig({
        REDIS_PREFIX: prefix,
        SHARDS: `warehouse=127.0.0.1:${warehouse.rpcPort},crm=127.0.0.1:${crm.rpcPort}`,
        LH_TEST_BQ_TOKEN: 'fake-token',
        LH_TEST_SNOWFLAKE_PASSWORD: 'fake-password',
        LH_TEST_SFDC_SECRET: 'fake-client-secret',
        LH_TEST_SFDC_PASSWORD: 'fake-password',
      }),
    );
  });

  afterAll(async () => {
    await worker?.close();
    await warehouse?.close();
    await crm?.close();
    await bigquery?.stop();
    await snowflake?.stop();
    await salesforce?.stop();
    await dropPrefix(prefix);
  });

  it('BigQuery: configured by the admin API, rides out rateLimitExceeded, lands in the shard and stitches with OpenLineage', async () => {
    bigquery.inject('rateLimitExceeded', 2);
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'bq-acme',
      kind: 'bigquery',
      domain: 'warehouse',
      schedule: { every: '2s' },
      rateLimit: { requestsPerSecond: 100 },
      settings: {
        projects: [
          { projectId: 'acme-analytics', regions: ['us', 'eu'] },
          { projectId: 'acme-raw', regions: ['us'] },
        ],
        apiEndpoint: bigquery.url,
        credentials: { kind: 'access-token', token: { env: 'LH_TEST_BQ_TOKEN' } },
      },
    });
    expect(created.status).toBe(201);

    const run = await succeededRun(worker.url, 'bq-acme');
    expect(run.counts.rateLimitWaits).toBeGreaterThanOrEqual(2);
    expect(run.counts.observedWrites).toBe(6);
    expect(run.coverage.complete).toBe(true);
    expect(run.coverage.windowsCovered).toBeGreaterThan(0);
    expect(run.coverage.columnLineage.withColumns).toBeGreaterThan(0);

    const { body } = await http('GET', `${warehouse.httpUrl}/api/v1/observed-writes?limit=1000`);
    const writes = body.observedWrites.filter((w: any) => w.connectorId === 'bq-acme');
    expect(writes.map((w: any) => w.queryId).sort()).toEqual(
      [
        'acme-analytics:EU.bquxjob_eu_copy',
        'acme-analytics:US.bquxjob_1a2b3c_ctas',
        'acme-analytics:US.bquxjob_events_shard',
        'acme-analytics:US.script_job_7f8e9d_0',
        'acme-analytics:US.script_job_7f8e9d_1',
        'acme-raw:US.bquxjob_load_orders',
      ].sort(),
    );

    // An Airflow task declares it reads the table the warehouse was seen writing: one node, both jobs.
    const airflow = { namespace: 'airflow://acme', name: 'country_sales.build' };
    const posted = await http(
      'POST',
      `${warehouse.httpUrl}/api/v1/lineage`,
      olEvent(airflow, [{ namespace: 'bigquery', name: 'acme-analytics.sales.orders_daily' }], [{ namespace: 'bigquery', name: 'acme-analytics.marts.country_sales' }], 'https://github.com/apache/airflow/tree/providers-openlineage/1.10.0'),
    );
    expect(posted.status).toBeLessThan(300);
    const graph = await lineageNodes(warehouse.httpUrl, datasetId('bigquery', 'acme-analytics.sales.orders_daily'));
    const node = graph.find((n) => n.id === datasetId('bigquery', 'acme-analytics.sales.orders_daily'))!;
    expect(node.inEdges.some((e) => e.origin.startsWith('job:bigquery:acme-analytics.query_'))).toBe(true);
    expect(node.outEdges.some((e) => e.destination === `job:${airflow.namespace}:${airflow.name}`)).toBe(true);

    // A date shard is an alias (symlink) of its family node: asked for by the shard's name, the shard answers the family.
    const shard = await lineageNodes(warehouse.httpUrl, datasetId('bigquery', 'acme-analytics.web.events_20240301'));
    expect(shard.some((n) => n.id === datasetId('bigquery', 'acme-analytics.web.events'))).toBe(true);

    // Column lineage from the query text through libs/sql-lineage, lent by the worker.
    const columns = await http('GET', `${warehouse.httpUrl}/api/v1/column-lineage?nodeId=${encodeURIComponent('datasetField:bigquery:acme-analytics.sales.orders_daily:country')}&depth=1`);
    expect(columns.status).toBe(200);
    expect(JSON.stringify(columns.body)).toContain('datasetField:bigquery:acme-raw.shop.customers:country');
  });

  it('Snowflake: rides out 57014, never reads the last 3 h, and a dbt lower-case name is the same node as ACCESS_HISTORY upper case', async () => {
    snowflake.injectStatementTimeout(2);
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'snowflake-acme',
      kind: 'snowflake',
      domain: 'warehouse',
      schedule: { every: '2s' },
      rateLimit: { requestsPerSecond: 100 },
      settings: { account: 'acme-prod', accessUrl: snowflake.url, username: 'LINEAGE_HUB', password: { env: 'LH_TEST_SNOWFLAKE_PASSWORD' }, pageSize: 3 },
    });
    expect(created.status).toBe(201);

    const run = await succeededRun(worker.url, 'snowflake-acme');
    expect(run.counts.rateLimitWaits).toBeGreaterThanOrEqual(2);
    expect(run.coverage.complete).toBe(true);
    expect(Date.parse(run.window.to)).toBeLessThanOrEqual(now - 3 * HOUR + 60_000);

    const { body } = await http('GET', `${warehouse.httpUrl}/api/v1/observed-writes?limit=1000`);
    const writes = body.observedWrites.filter((w: any) => w.connectorId === 'snowflake-acme');
    expect(writes.map((w: any) => w.queryId).sort()).toEqual(['a001', 'a002', 'a003', 'a007'].map((s) => `01b2c3d4-0000-1111-0000-00000000${s}`));
    expect(writes.map((w: any) => w.dataset)).toContain(datasetId(SNOWFLAKE_NS, 'ANALYTICS.MART.ORDERS'));

    // dbt names the model in lower case, under the account's upper-case namespace spelling.
    const dbt = { namespace: 'dbt://acme', name: 'analytics.mart.orders' };
    const posted = await http(
      'POST',
      `${warehouse.httpUrl}/api/v1/lineage`,
      olEvent(dbt, [{ namespace: 'snowflake://ACME-PROD', name: 'analytics.staging.stg_orders' }], [{ namespace: 'snowflake://ACME-PROD', name: 'analytics.mart.orders' }], 'https://github.com/OpenLineage/OpenLineage/tree/1.19.0/integration/dbt'),
    );
    expect(posted.status).toBeLessThan(300);
    const id = datasetId(SNOWFLAKE_NS, 'ANALYTICS.MART.ORDERS');
    const graph = await lineageNodes(warehouse.httpUrl, id);
    const node = graph.find((n) => n.id === id)!;
    const writers = node.inEdges.map((e) => e.origin);
    expect(writers).toContain(`job:${dbt.namespace}:${dbt.name}`);
    expect(writers.some((w) => w.startsWith(`job:${SNOWFLAKE_NS}:query_`))).toBe(true);
    expect(graph.some((n) => n.id === datasetId(SNOWFLAKE_NS, 'analytics.mart.orders'))).toBe(false);
    // A rename seen in object_modified_by_ddl: the old name now resolves to the renamed table.
    const renamed = await lineageNodes(warehouse.httpUrl, datasetId(SNOWFLAKE_NS, 'ANALYTICS.MART.ORDERS_OLD'));
    expect(renamed.some((n) => n.id === datasetId(SNOWFLAKE_NS, 'ANALYTICS.MART.ORDERS_ARCHIVE'))).toBe(true);
    // Asked for by the dbt spelling, the shard answers with the same node.
    const byDbtName = await lineageNodes(warehouse.httpUrl, datasetId('snowflake://ACME-PROD', 'analytics.mart.orders'));
    expect(byDbtName.some((n) => n.id === id)).toBe(true);
  });

  it('Salesforce: rides out REQUEST_LIMIT_EXCEEDED and lands objects, relations, formulas and writes in the crm shard only', async () => {
    salesforce.injectRequestLimitExceeded(1, 'ConcurrentRequests');
    const created = await http('POST', `${worker.url}/api/v1/connectors`, {
      id: 'sfdc-acme',
      kind: 'salesforce',
      domain: 'crm',
      schedule: { every: '2s' },
      rateLimit: { requestsPerSecond: 100 },
      settings: {
        myDomain: 'acme.my.salesforce.com',
        apiVersion: '62.0',
        auth: {
          kind: 'password',
          loginUrl: salesforce.url,
          clientId: 'fake-client-id',
          clientSecret: { env: 'LH_TEST_SFDC_SECRET' },
          username: 'integration@acme.com',
          password: { env: 'LH_TEST_SFDC_PASSWORD' },
        },
        maxBudgetShare: 0.5,
      },
    });
    expect(created.status).toBe(201);

    const run = await succeededRun(worker.url, 'sfdc-acme');
    expect(run.counts.rateLimitWaits).toBeGreaterThanOrEqual(1);
    expect(run.counts.events).toBe(6);
    expect(run.coverage.complete).toBe(true);

    const { body } = await http('GET', `${crm.httpUrl}/api/v1/observed-writes?limit=1000`);
    const writes = body.observedWrites.filter((w: any) => w.connectorId === 'sfdc-acme');
    expect(writes.map((w: any) => `${w.dataset}|${w.user}|${w.rows}`).sort()).toEqual([
      `${datasetId(SALESFORCE_NS, 'Account')}|005000000000001AAA|3`,
      `${datasetId(SALESFORCE_NS, 'Account')}|005000000000002AAA|2`,
      `${datasetId(SALESFORCE_NS, 'Invoice__c')}|005000000000003AAA|2`,
    ]);
    const inWarehouse = await http('GET', `${warehouse.httpUrl}/api/v1/observed-writes?limit=1000`);
    expect(inWarehouse.body.observedWrites.some((w: any) => w.connectorId === 'sfdc-acme')).toBe(false);

    // A formula across two lookups is column lineage inside the org.
    const field = `datasetField:${SALESFORCE_NS}:Contact:Account_Owner_Name__c`;
    const columns = await http('GET', `${crm.httpUrl}/api/v1/column-lineage?nodeId=${encodeURIComponent(field)}&depth=1`);
    expect(columns.status).toBe(200);
    expect(JSON.stringify(columns.body)).toContain(`datasetField:${SALESFORCE_NS}:User:Name`);

    // An ELT job declaring it reads Account (as OpenLineage) meets the connector's relation edges on one node.
    const elt = { namespace: 'airbyte://acme', name: 'salesforce_to_warehouse' };
    const posted = await http(
      'POST',
      `${crm.httpUrl}/api/v1/lineage`,
      olEvent(elt, [{ namespace: 'salesforce://ACME.my.salesforce.com', name: 'Account' }], [{ namespace: 'bigquery', name: 'acme-raw.crm.accounts' }], 'https://github.com/airbytehq/airbyte'),
    );
    expect(posted.status).toBeLessThan(300);
    const graph = await lineageNodes(crm.httpUrl, datasetId(SALESFORCE_NS, 'Account'));
    const node = graph.find((n) => n.id === datasetId(SALESFORCE_NS, 'Account'))!;
    const readers = node.outEdges.map((e) => e.destination);
    expect(readers).toContain(`job:${elt.namespace}:${elt.name}`);
    expect(readers).toContain(`job:${SALESFORCE_NS}:sobject.Contact`);
  });
});
