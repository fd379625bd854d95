/**
 * The BigQuery connector through the unmodified @google-cloud/bigquery SDK against a wire-level fake on 127.0.0.1.
 */
import { bigqueryConnectorFactory, type BigQueryConfig } from '@lineage-hub/connector-bigquery';
import { type ConnectorError, toConnectorError } from '@lineage-hub/connector-sdk';
import { collectPull, runConnectorConformance, testContext } from '@lineage-hub/connector-sdk/testkit';
import { canonicalDataset, createEventValidator } from '@lineage-hub/model';
import { BigQueryFake } from './fake/bigquery.fake';

const NOW = Date.parse('2024-03-02T00:00:00Z');

const configFor = (fake: BigQueryFake, overrides: Partial<BigQueryConfig> = {}): BigQueryConfig =>
  bigqueryConnectorFactory.configSchema.parse({
    projects: [
      { projectId: 'acme-analytics', regions: ['us', 'eu'] },
      { projectId: 'acme-raw', regions: ['us'] },
    ],
    apiEndpoint: fake.url,
    credentials: { kind: 'access-token', token: 'fake-token' },
    initialLookbackMs: 2 * 24 * 3600_000,
    maxWindowMs: 12 * 3600_000,
    pageSize: 2,
    ...overrides,
  });

const pullAll = async (fake: BigQueryFake, cursor: Record<string, unknown> | null = null, ctxOptions: Parameters<typeof testContext>[0] = {}, overrides: Partial<BigQueryConfig> = {}) => {
  const connector = bigqueryConnectorFactory.create(configFor(fake, overrides));
  try {
    return await collectPull(connector, cursor, testContext({ connectorId: 'bq-test', now: NOW, ...ctxOptions }));
  } finally {
    await connector.close?.();
  }
};

runConnectorConformance<BigQueryConfig>({
  name: 'bigquery',
  factory: bigqueryConnectorFactory,
  async setup() {
    const fake = new BigQueryFake();
    await fake.start();
    return {
      config: configFor(fake),
      namespace: 'bigquery',
      canonicalName: (name) => canonicalDataset('bigquery', name).name,
      now: NOW,
      minWrites: 6,
      failures: {
        'rate-limited': () => fake.inject('rateLimitExceeded', 1),
        transient: () => fake.inject('backendError', 1),
        'auth-failed': () => fake.inject('expiredCredentials', 1),
        'not-found': () => fake.inject('notFound', 1),
      },
      clearFailures: () => fake.clearInjections(),
      requestCount: () => fake.total(),
      teardown: () => fake.stop(),
    };
  },
});

describe('bigquery connector against the wire-level fake', () => {
  let fake: BigQueryFake;

  beforeEach(async () => {
    fake = new BigQueryFake();
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  const eventWriting = (events: Record<string, any>[], name: string): Record<string, any> => {
    const found = events.find((e) => e.outputs.some((o: any) => o.name === name));
    if (!found) throw new Error(`no event writes ${name}`);
    return found;
  };

  it('turns JOBS rows into table lineage: referenced tables -> destination, with user, job id, bytes and schema', async () => {
    const { events, writes } = await pullAll(fake);
    const ctas = eventWriting(events, 'acme-analytics.sales.orders_daily');
    expect(ctas.inputs).toEqual([
      { namespace: 'bigquery', name: 'acme-raw.shop.orders' },
      { namespace: 'bigquery', name: 'acme-raw.shop.customers' },
    ]);
    expect(ctas.outputs[0].facets.schema.fields).toEqual([
      { name: 'order_id', type: 'INT64' },
      { name: 'amount', type: 'NUMERIC' },
      { name: 'country', type: 'STRING' },
    ]);
    expect(ctas.run.facets.externalQuery.externalQueryId).toBe('acme-analytics:US.bquxjob_1a2b3c_ctas');
    expect(ctas.run.facets.bigqueryJob).toEqual(
      expect.objectContaining({
        jobId: 'bquxjob_1a2b3c_ctas',
        statementType: 'CREATE_TABLE_AS_SELECT',
        user: 'dbt-runner@acme-analytics.iam.gserviceaccount.com',
        totalBytesProcessed: '104857600',
      }),
    );
    expect(ctas.job.facets.sql.query).toContain('CREATE OR REPLACE TABLE');
    const write = writes.find((w) => w.queryId === 'acme-analytics:US.bquxjob_1a2b3c_ctas')!;
    expect(write).toEqual(
      expect.objectContaining({
        dataset: 'dataset:bigquery:acme-analytics.sales.orders_daily',
        sources: ['dataset:bigquery:acme-raw.shop.orders', 'dataset:bigquery:acme-raw.shop.customers'],
        user: 'dbt-runner@acme-analytics.iam.gserviceaccount.com',
        writtenAt: Date.parse('2024-03-01T10:00:07.250Z'),
        connectorId: 'bq-test',
      }),
    );
    // A load job writes without sources; a MERGE does not list its own target as a source.
    expect(writes.find((w) => w.queryId === 'acme-raw:US.bquxjob_load_orders')).toEqual(
      expect.objectContaining({ dataset: 'dataset:bigquery:acme-raw.shop.orders', sources: [] }),
    );
    const merge = writes.find((w) => w.queryId.endsWith('script_job_7f8e9d_1'))!;
    expect(merge.sources).toEqual(['dataset:bigquery:acme-raw.shop.customers']);
    expect(merge.rows).toBe(12);
  });

  it('drops anonymous result tables and failed jobs, and uses SCRIPT children (with their parent) instead of the parent', async () => {
    const { events, writes } = await pullAll(fake);
    const all = JSON.stringify(events);
    expect(all).not.toContain('_8b0c3a1f2e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b');
    expect(writes.map((w) => w.queryId)).not.toContain('acme-analytics:US.bquxjob_failed_write');
    expect(writes.map((w) => w.queryId)).not.toContain('acme-analytics:US.script_job_7f8e9d');
    const children = events.filter((e) => e.run.facets.parent);
    expect(children.map((e) => e.outputs[0].name).sort()).toEqual(['acme-analytics.sales.customers_dim', 'acme-analytics.sales.revenue']);
    expect(new Set(children.map((e) => e.run.facets.parent.run.runId)).size).toBe(1);
    expect(children[0].run.facets.parent.job.name).toBe('acme-analytics.script_script_job_7f8e9d');
  });

  it('recognises date-sharded tables as one family node (as libs/sql-lineage names them) with the shard as a symlink', async () => {
    const { events, writes } = await pullAll(fake);
    const shard = eventWriting(events, 'acme-analytics.web.events');
    expect(shard.outputs[0].facets.symlinks.identifiers).toEqual([{ namespace: 'bigquery', name: 'acme-analytics.web.events_20240301', type: 'TABLE' }]);
    expect(shard.outputs[0].facets.schema.fields.map((f: any) => f.name)).toEqual(['event_id', 'user_id', 'url']);
    expect(writes.map((w) => w.dataset)).toContain('dataset:bigquery:acme-analytics.web.events');
  });

  it('reads several projects and regions, each region with its own location and its case kept', async () => {
    const { writes } = await pullAll(fake);
    expect(writes.map((w) => w.dataset)).toContain('dataset:bigquery:acme-analytics.gdpr.Customers_EU');
    const jobQueries = fake.queries.filter((q) => q.includes('INFORMATION_SCHEMA.JOBS'));
    expect(jobQueries.some((q) => q.includes('`acme-analytics`.`region-eu`'))).toBe(true);
    expect(jobQueries.some((q) => q.includes('`acme-raw`.`region-us`'))).toBe(true);
    expect(fake.requests.filter((r) => r.route === 'POST /projects/{p}/jobs').every((r) => r.headers.authorization === 'Bearer fake-token')).toBe(true);
  });

  it('pages through results with pageToken and polls a job that is not complete yet', async () => {
    await fake.stop();
    fake = new BigQueryFake({ pollsUntilComplete: 1 });
    await fake.start();
    const { writes } = await pullAll(fake);
    expect(writes).toHaveLength(6);
    const pages = fake.requests.filter((r) => r.route === 'GET /projects/{p}/queries/{id}');
    expect(pages.some((r) => r.query.get('pageToken'))).toBe(true);
    expect(pages.every((r) => r.query.get('maxResults') !== null)).toBe(true);
  });

  it('rides out rateLimitExceeded: the pull stops rate-limited and the last cursor resumes without losing a window', async () => {
    const full = await pullAll(fake);
    // Throttle the 4th results page onward once.
    let seen = 0;
    fake.injectWhen('rateLimitExceeded', 1, (route) => route === 'GET /projects/{p}/queries/{id}' && ++seen === 4);
    const connector = bigqueryConnectorFactory.create(configFor(fake));
    const ctx = testContext({ connectorId: 'bq-test', now: NOW });
    const delivered: any[] = [];
    let error: ConnectorError | undefined;
    try {
      for await (const batch of connector.pull(null, ctx)) delivered.push(batch);
    } catch (err) {
      error = toConnectorError(err, bigqueryConnectorFactory.mapError);
    }
    expect(error?.code).toBe('rate-limited');
    const cursor = delivered.length ? delivered[delivered.length - 1].cursor : null;
    const rest = await pullAll(fake, cursor);
    const writes = [...delivered.flatMap((b) => b.observedWrites), ...rest.writes].map((w) => w.queryId).sort();
    expect(writes).toEqual(full.writes.map((w) => w.queryId).sort());
    expect(rest.cursor).toEqual(full.cursor);
  });

  it('maps an expired token (401) to auth-failed and quotaExceeded to a long rate-limit', async () => {
    fake.rotateToken('a-newer-token');
    let expired: unknown;
    await pullAll(fake).catch((err) => (expired = err));
    expect(toConnectorError(expired, bigqueryConnectorFactory.mapError).code).toBe('auth-failed');
    fake.rotateToken('fake-token');
    fake.inject('quotaExceeded', 1);
    let caught: unknown;
    await pullAll(fake).catch((err) => (caught = err));
    const mapped = toConnectorError(caught, bigqueryConnectorFactory.mapError);
    expect(mapped.code).toBe('rate-limited');
    expect(mapped.retryAfterMs).toBeGreaterThanOrEqual(60_000);
  });

  it('takes column lineage from the hub SQL lineage it is lent, qualified with the job project, and says when it had none', async () => {
    const { events, batches } = await pullAll(fake, null, {}, {});
    expect(events.every((e) => !e.outputs[0].facets?.columnLineage)).toBe(true);
    const connector = bigqueryConnectorFactory.create(configFor(fake));
    const ctx = Object.assign(testContext({ connectorId: 'bq-test', now: NOW }), {
      sqlLineage: ({ sql }: { sql: string }) =>
        sql.startsWith('INSERT INTO sales.revenue')
          ? [{ target: 'sales.revenue', columns: [{ column: 'amount', sources: [{ table: 'sales.orders_daily', column: 'amount', transformation: { type: 'DIRECT', subtype: 'AGGREGATION' } }] }] }]
          : null,
    });
    const withLineage = await collectPull(connector, null, ctx);
    const revenue = eventWriting(withLineage.events, 'acme-analytics.sales.revenue');
    expect(revenue.outputs[0].facets.columnLineage.fields.amount.inputFields).toEqual([
      { namespace: 'bigquery', name: 'acme-analytics.sales.orders_daily', field: 'amount', transformations: [{ type: 'DIRECT', subtype: 'AGGREGATION' }] },
    ]);
    // Statements the SQL lineage could not read keep their table lineage; coverage says how many had columns.
    const counts = withLineage.batches.reduce(
      (acc, b) => ({ statements: acc.statements + (b.coverage.columnLineage?.statements ?? 0), withColumns: acc.withColumns + (b.coverage.columnLineage?.withColumns ?? 0) }),
      { statements: 0, withColumns: 0 },
    );
    expect(counts).toEqual({ statements: 5, withColumns: 1 });
    expect(withLineage.batches.some((b) => /could not read/.test(b.coverage.columnLineage?.reason ?? ''))).toBe(true);
    expect(withLineage.batches.flatMap((b) => b.coverage.gaps)).toEqual([]);
    expect(batches.every((b) => b.coverage.columnLineage?.withColumns === 0)).toBe(true);
  });

  it('leaves schemas out, but keeps the lineage, when INFORMATION_SCHEMA.COLUMNS of a project is not readable', async () => {
    fake.injectWhen('notFound', 1, (route) => route === 'POST /projects/{p}/jobs' && fake.queries.length > 0 && /INFORMATION_SCHEMA\.COLUMNS/.test(fake.lastBody()));
    const { events, writes } = await pullAll(fake);
    expect(writes).toHaveLength(6);
    const ctas = eventWriting(events, 'acme-analytics.sales.orders_daily');
    expect(ctas.outputs[0].facets?.schema).toBeUndefined();
    expect(eventWriting(events, 'acme-analytics.gdpr.Customers_EU').outputs[0].facets.schema.fields).toHaveLength(2);
  });

  it('emits valid OpenLineage RunEvents whose standard facets the shard keeps', async () => {
    const { events } = await pullAll(fake);
    const validator = createEventValidator();
    for (const event of events) {
      const result = validator.validate(event);
      expect(result).toEqual(expect.objectContaining({ ok: true, warnings: [] }));
    }
  });

  it('refuses a cursor it cannot read as cursor-invalid', async () => {
    let caught: unknown;
    await pullAll(fake, { v: 7, positions: 'nope' }).catch((err) => (caught = err));
    expect(toConnectorError(caught, bigqueryConnectorFactory.mapError).code).toBe('cursor-invalid');
  });

  it('holds the cursor before a job that is still running and reports the window as partial', async () => {
    const rows = fake.jobs.get('acme-analytics/us')!;
    rows.push({ ...rows[0], job_id: 'bquxjob_still_running', creation_time: '2024-03-01T10:02:00.000Z', state: 'RUNNING' });
    const first = await pullAll(fake);
    expect(first.writes.map((w) => w.queryId)).not.toContain('acme-analytics:US.script_job_7f8e9d_0');
    const gaps = first.batches.flatMap((b) => b.coverage.gaps);
    expect(gaps.some((g) => g.kind === 'partial' && g.reason.includes('bquxjob_still_running'))).toBe(true);
    rows[rows.length - 1].state = 'DONE';
    const second = await pullAll(fake, first.cursor);
    expect(second.writes.map((w) => w.queryId)).toEqual(
      expect.arrayContaining(['acme-analytics:US.bquxjob_still_running', 'acme-analytics:US.script_job_7f8e9d_0']),
    );
    expect(second.writes.map((w) => w.queryId)).not.toContain('acme-analytics:US.bquxjob_1a2b3c_ctas');
  });
});
