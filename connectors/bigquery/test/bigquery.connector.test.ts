/**
 * The BigQuery connector through the unmodified @google-cloud/bigquery SDK against a wire-level fake on 127.0.0.1.
 */
import { bigqueryConnectorFactory, type BigQueryConfig } from '@lineage-hub/connector-bigquery';
import { type ConnectorError, toConnectorError } from '@lineage-hub/connector-sdk';
import { collectPull, runConnectorConformance, testContext } from '@lineage-hub/connector-sdk/testing';
import { canonicalDataset, createEventValidator } from '@lineage-hub/model';
import { BigQueryFake } from '@lineage-hub/connector-bigquery/testing';

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

/** Job rows written from Google's INFORMATION_SCHEMA.JOBS documentation, one per rule (README "What is lineage"). */
export const ruleJobs = (): Record<string, unknown>[] => {
  const job = (id: string, minute: number, extra: Record<string, unknown>) => ({
    job_id: id,
    creation_time: `2024-03-01T14:${String(minute).padStart(2, '0')}:00.000Z`,
    end_time: `2024-03-01T14:${String(minute).padStart(2, '0')}:02.000Z`,
    project_id: 'acme-analytics',
    user_email: 'etl@acme-analytics.iam.gserviceaccount.com',
    job_type: 'QUERY',
    state: 'DONE',
    error_result: null,
    referenced_tables: [],
    parent_job_id: null,
    total_bytes_processed: '10',
    dml_statistics: null,
    labels: [],
    ...extra,
  });
  const dest = (dataset_id: string, table_id: string) => ({ project_id: 'acme-analytics', dataset_id, table_id });
  return [
    job('rule_delete', 1, {
      statement_type: 'DELETE',
      query: 'DELETE FROM `acme-analytics.sales.orders_daily` WHERE amount < 0',
      destination_table: dest('sales', 'orders_daily'),
      referenced_tables: [dest('sales', 'orders_daily')],
      dml_statistics: { inserted_row_count: '0', deleted_row_count: '3', updated_row_count: '0' },
    }),
    job('rule_truncate', 2, { statement_type: 'TRUNCATE_TABLE', query: 'TRUNCATE TABLE `acme-analytics.sales.staging`', destination_table: dest('sales', 'staging') }),
    // A session's temporary table is an anonymous dataset: neither output nor input.
    job('rule_session_temp', 3, {
      statement_type: 'CREATE_TABLE_AS_SELECT',
      query: 'CREATE TEMP TABLE t AS SELECT * FROM `acme-analytics.sales.orders_daily`',
      destination_table: dest('_SESSION', 't'),
      referenced_tables: [dest('sales', 'orders_daily')],
    }),
    job('rule_from_session', 4, {
      statement_type: 'INSERT',
      query: 'INSERT INTO `acme-analytics.sales.summary` SELECT * FROM _SESSION.t',
      destination_table: dest('sales', 'summary'),
      referenced_tables: [dest('_5e1d2c3b4a', 't')],
      dml_statistics: { inserted_row_count: '5', deleted_row_count: '0', updated_row_count: '0' },
      labels: [
        { key: 'airflow-dag', value: 'daily_sales' },
        { key: 'airflow-task', value: 'build-summary' },
      ],
    }),
    // BigQuery's own work: a background job and an automatic materialized-view refresh.
    job('rule_background', 5, { job_type: null, statement_type: null, query: null, destination_table: dest('sales', 'summary') }),
    job('materialized_view_refresh_1a2b3c', 6, {
      statement_type: 'INSERT',
      user_email: 'bigquery-adminbot@system.gserviceaccount.com',
      query: null,
      destination_table: dest('sales', 'mv_daily'),
      referenced_tables: [dest('sales', 'orders_daily')],
    }),
    // dbt with query-comment job-label: true (labels) and its comment prepended to the SQL.
    job('rule_dbt', 7, {
      statement_type: 'MERGE',
      query: '/* {"app": "dbt", "node_id": "model.acme.orders_by_country"} */\nMERGE `acme-analytics.sales.by_country` t USING `acme-analytics.sales.orders_daily` s ON t.c = s.country WHEN NOT MATCHED THEN INSERT ROW',
      destination_table: dest('sales', 'by_country'),
      referenced_tables: [dest('sales', 'orders_daily'), dest('sales', 'by_country')],
      dml_statistics: { inserted_row_count: '2', deleted_row_count: '1', updated_row_count: '3' },
      labels: [
        { key: 'app', value: 'dbt' },
        { key: 'node_id', value: 'model_acme_orders_by_country' },
      ],
    }),
    // A script (dbt-bigquery's insert_overwrite, submitted by Airflow): the labels and the dbt comment are on the
    // SCRIPT job only; its child job has its own text and no labels.
    job('rule_script', 11, {
      statement_type: 'SCRIPT',
      end_time: '2024-03-01T14:13:00.000Z',
      query: '/* {"app": "dbt", "node_id": "model.acme.daily_revenue", "invocation_id": "5f1c"} */\ndeclare dbt_partitions_for_replacement array<date>;\nmerge into `acme-analytics.sales.daily_revenue` ...',
      destination_table: null,
      referenced_tables: [dest('sales', 'orders_daily')],
      labels: [
        { key: 'airflow-dag', value: 'dbt_daily' },
        { key: 'airflow-task', value: 'run_models' },
      ],
    }),
    job('rule_script_child', 12, {
      statement_type: 'MERGE',
      parent_job_id: 'rule_script',
      query: 'merge into `acme-analytics.sales.daily_revenue` as DBT_INTERNAL_DEST using (select * from `acme-analytics.sales.orders_daily`) as DBT_INTERNAL_SOURCE on FALSE when not matched then insert row',
      destination_table: dest('sales', 'daily_revenue'),
      referenced_tables: [dest('sales', 'orders_daily'), dest('sales', 'daily_revenue')],
      dml_statistics: { inserted_row_count: '7', deleted_row_count: '0', updated_row_count: '0' },
    }),
  ];
};

runConnectorConformance<BigQueryConfig>({
  name: 'bigquery',
  factory: bigqueryConnectorFactory,
  notDatasets: true,
  async setup() {
    const fake = new BigQueryFake();
    await fake.start();
    fake.jobs.set('acme-analytics/us', [...fake.jobs.get('acme-analytics/us')!, ...ruleJobs()]);
    return {
      config: configFor(fake),
      namespace: 'bigquery',
      canonicalName: (name) => canonicalDataset('bigquery', name).name,
      now: NOW,
      minWrites: 6,
      removals: ['acme-analytics:US.rule_delete', 'acme-analytics:US.rule_truncate'],
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

describe('bigquery rules (README "What is lineage") on the fake', () => {
  let fake: BigQueryFake;
  beforeAll(async () => {
    fake = new BigQueryFake();
    await fake.start();
    fake.jobs.set('acme-analytics/us', ruleJobs());
  });
  afterAll(async () => {
    await fake.stop();
  });
  const byJob = (writes: Array<{ queryId: string }>, id: string) => writes.filter((w) => w.queryId === `acme-analytics:US.${id}`);

  it('DELETE and TRUNCATE TABLE are reported with their operation, never as writes of data', async () => {
    const { events, writes } = await pullAll(fake);
    expect(byJob(writes, 'rule_delete')).toEqual([
      expect.objectContaining({ dataset: 'dataset:bigquery:acme-analytics.sales.orders_daily', operation: 'DELETE', rows: 3, sources: [] }),
    ]);
    expect(byJob(writes, 'rule_truncate')).toEqual([expect.objectContaining({ operation: 'TRUNCATE', sources: [] })]);
    const ids = events.map((e) => e.run.facets.externalQuery.externalQueryId);
    expect(ids).not.toContain('acme-analytics:US.rule_delete');
    expect(ids).not.toContain('acme-analytics:US.rule_truncate');
  });

  it('_SESSION and other anonymous temporary tables are never datasets, and never gaps', async () => {
    const { events, writes, batches } = await pullAll(fake);
    expect(byJob(writes, 'rule_session_temp')).toEqual([]);
    expect(byJob(writes, 'rule_from_session')).toEqual([expect.objectContaining({ dataset: 'dataset:bigquery:acme-analytics.sales.summary', sources: [], operation: 'INSERT', rows: 5 })]);
    const names = events.flatMap((e) => [...e.inputs, ...e.outputs].map((d: any) => d.name));
    expect(names.filter((n: string) => /_SESSION|_5e1d2c3b4a|\.t$/.test(n))).toEqual([]);
    expect(batches.flatMap((b) => b.coverage.gaps)).toEqual([]);
  });

  it("BigQuery's own work (background jobs, automatic MV refresh) yields nothing", async () => {
    const { events, writes } = await pullAll(fake);
    expect(byJob(writes, 'rule_background')).toEqual([]);
    expect(byJob(writes, 'materialized_view_refresh_1a2b3c')).toEqual([]);
    expect(events.some((e) => e.outputs.some((o: any) => o.name === 'acme-analytics.sales.mv_daily'))).toBe(false);
  });

  it('carries job labels (Airflow, dbt job-label) and the dbt query comment as hints; MERGE rows are inserted + updated', async () => {
    const { writes } = await pullAll(fake);
    expect(byJob(writes, 'rule_from_session')[0]).toMatchObject({ hints: { airflowDag: 'daily_sales', airflowTask: 'build-summary' } });
    expect(byJob(writes, 'rule_dbt')[0]).toMatchObject({
      operation: 'MERGE',
      rows: 5,
      sources: ['dataset:bigquery:acme-analytics.sales.orders_daily'],
      hints: { dbtNode: 'model.acme.orders_by_country', labels: { app: 'dbt', node_id: 'model_acme_orders_by_country' } },
    });
  });

  it("a SCRIPT's child jobs carry the script's labels and dbt comment as their hints; the script itself writes nothing", async () => {
    const { writes } = await pullAll(fake);
    expect(byJob(writes, 'rule_script')).toEqual([]);
    expect(byJob(writes, 'rule_script_child')).toEqual([
      expect.objectContaining({
        dataset: 'dataset:bigquery:acme-analytics.sales.daily_revenue',
        operation: 'MERGE',
        hints: expect.objectContaining({ airflowDag: 'dbt_daily', airflowTask: 'run_models', dbtNode: 'model.acme.daily_revenue', dbtInvocation: '5f1c' }),
        // the script's job reference: a run declaring the script (Airflow names its job id) names this child too
        rootQueryId: 'acme-analytics:US.rule_script',
      }),
    ]);
    // a job that is no script's child inherits nothing
    expect(byJob(writes, 'rule_truncate')[0]).not.toHaveProperty('hints');
    expect(byJob(writes, 'rule_truncate')[0]).not.toHaveProperty('rootQueryId');
  });

  it('explicit windows are half-open: adjacent windows give exactly what one window over both gives', async () => {
    const key = (w: { queryId: string; dataset: string }) => `${w.queryId}|${w.dataset}`;
    const from = Date.parse('2024-03-01T14:00:00Z');
    const border = Date.parse('2024-03-01T14:04:00Z');
    const to = Date.parse('2024-03-01T14:10:00Z');
    const whole = await pullAll(fake, null, { window: { from, to } });
    const a = await pullAll(fake, null, { window: { from, to: border } });
    const b = await pullAll(fake, null, { window: { from: border, to } });
    expect(whole.writes.length).toBe(4);
    expect([...a.writes, ...b.writes].map(key).sort()).toEqual(whole.writes.map(key).sort());
    expect(b.writes.some((w) => w.queryId.endsWith('rule_from_session'))).toBe(true);
    expect(a.writes.some((w) => w.queryId.endsWith('rule_from_session'))).toBe(false);
  });
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
        actor: 'dbt-runner@acme-analytics.iam.gserviceaccount.com',
        operation: 'CTAS',
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
