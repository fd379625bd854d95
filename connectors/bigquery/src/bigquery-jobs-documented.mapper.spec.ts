/**
 * INFORMATION_SCHEMA.JOBS rows written from Google's documentation (JOBS view schema, QueryStatementType,
 * ErrorProto, table decorators, wildcard tables, multi-statement queries), none of them in test/fixtures/jobs.json.
 * Each asserts the lineage and the observed write a user would expect (OpenLineage name `bigquery` /
 * `project.dataset.table`, VENDOR-FORMATS.md 1.D).
 */
import { type JobRow, mapJob, type MapContext } from './bigquery-jobs.mapper';

const ctx = (over: Partial<MapContext> = {}): MapContext => ({ connectorId: 'bq-1', location: 'us', jobNamespace: 'bigquery-jobs', columns: new Map(), ...over });
const t = (project_id: string, dataset_id: string, table_id: string) => ({ project_id, dataset_id, table_id });
const ds = (name: string) => `dataset:bigquery:${name}`;

const job = (over: Partial<JobRow>): JobRow => ({
  job_id: 'bquxjob_0001',
  creation_time: { value: '2024-05-02T09:00:00.000000Z' },
  end_time: { value: '2024-05-02T09:00:05.000000Z' },
  project_id: 'acme-dw',
  user_email: 'etl@acme-dw.iam.gserviceaccount.com',
  job_type: 'QUERY',
  statement_type: 'INSERT',
  query: null,
  state: 'DONE',
  error_result: null,
  destination_table: null,
  referenced_tables: [],
  parent_job_id: null,
  total_bytes_processed: 1024,
  dml_statistics: null,
  labels: [],
  ...over,
});

describe('BigQuery JOBS rows from the documentation', () => {
  it('a SCRIPT parent carries nothing; its CTAS child names the script as root and carries the parent facet', () => {
    const parent = job({
      job_id: 'script_job_a1b2c3',
      statement_type: 'SCRIPT',
      query: 'DECLARE d DATE DEFAULT CURRENT_DATE(); CREATE OR REPLACE TABLE mart.sessions AS SELECT * FROM raw.events WHERE DATE(ts) = d;',
      referenced_tables: [t('acme-dw', 'raw', 'events')],
    });
    expect(mapJob(parent, ctx())).toBeNull();
    const child = job({
      job_id: 'script_job_a1b2c3_1',
      parent_job_id: 'script_job_a1b2c3',
      statement_type: 'CREATE_TABLE_AS_SELECT',
      query: 'CREATE OR REPLACE TABLE mart.sessions AS SELECT * FROM raw.events WHERE DATE(ts) = d',
      destination_table: t('acme-dw', 'mart', 'sessions'),
      referenced_tables: [t('acme-dw', 'raw', 'events')],
    });
    const mapped = mapJob(child, ctx())!;
    expect(mapped.write).toMatchObject({
      dataset: ds('acme-dw.mart.sessions'),
      sources: [ds('acme-dw.raw.events')],
      operation: 'CTAS',
      queryId: 'acme-dw:US.script_job_a1b2c3_1',
      rootQueryId: 'acme-dw:US.script_job_a1b2c3',
    });
    expect(mapped.event!.run.facets.parent.job.name).toBe('acme-dw.script_script_job_a1b2c3');
  });

  it("a script's TEMP TABLE (an anonymous `_script…` dataset) is neither an output nor an input of the next statement", () => {
    const temp = t('acme-dw', '_script7f3a9c2e1d4b5a6f', 'stage_orders');
    expect(mapJob(job({ job_id: 's_1', parent_job_id: 's', statement_type: 'CREATE_TABLE_AS_SELECT', destination_table: temp, referenced_tables: [t('acme-dw', 'raw', 'orders')] }), ctx())).toBeNull();
    const next = mapJob(
      job({
        job_id: 's_2',
        parent_job_id: 's',
        statement_type: 'INSERT',
        destination_table: t('acme-dw', 'mart', 'orders'),
        referenced_tables: [temp, t('acme-dw', 'raw', 'customers')],
        dml_statistics: { inserted_row_count: 40, deleted_row_count: 0, updated_row_count: 0 },
      }),
      ctx(),
    )!;
    expect(next.event!.inputs).toEqual([{ namespace: 'bigquery', name: 'acme-dw.raw.customers' }]);
    expect(next.write).toMatchObject({ sources: [ds('acme-dw.raw.customers')], rows: 40 });
  });

  it('a cancelled job (DONE with error_result.reason "stopped") and a failed one yield nothing', () => {
    const base = { destination_table: t('acme-dw', 'mart', 'orders'), referenced_tables: [t('acme-dw', 'raw', 'orders')] };
    expect(mapJob(job({ ...base, error_result: { reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' } }), ctx())).toBeNull();
    expect(mapJob(job({ ...base, error_result: { reason: 'invalidQuery', message: 'Syntax error: Unexpected keyword FROM at [1:8]' } }), ctx())).toBeNull();
    expect(mapJob(job({ ...base, state: 'RUNNING', end_time: null }), ctx())).toBeNull();
  });

  it('MERGE: the target is no source of itself; rows are inserted + updated', () => {
    const mapped = mapJob(
      job({
        statement_type: 'MERGE',
        query: 'MERGE `acme-dw.mart.customers` T USING `acme-dw.staging.customers_delta` S ON T.id = S.id WHEN MATCHED THEN UPDATE SET name = S.name WHEN NOT MATCHED THEN INSERT ROW WHEN NOT MATCHED BY SOURCE THEN DELETE',
        destination_table: t('acme-dw', 'mart', 'customers'),
        referenced_tables: [t('acme-dw', 'mart', 'customers'), t('acme-dw', 'staging', 'customers_delta')],
        dml_statistics: { inserted_row_count: 5, deleted_row_count: 2, updated_row_count: 7 },
      }),
      ctx(),
    )!;
    expect(mapped.event!.inputs.map((i: { name: string }) => i.name)).toEqual(['acme-dw.staging.customers_delta']);
    expect(mapped.write).toMatchObject({ operation: 'MERGE', rows: 12, sources: [ds('acme-dw.staging.customers_delta')] });
  });

  it('DELETE is reported with its deleted rows and no sources; TRUNCATE TABLE likewise', () => {
    const del = mapJob(
      job({
        statement_type: 'DELETE',
        destination_table: t('acme-dw', 'mart', 'orders'),
        referenced_tables: [t('acme-dw', 'mart', 'orders'), t('acme-dw', 'ref', 'blocked_users')],
        dml_statistics: { inserted_row_count: 0, deleted_row_count: 13, updated_row_count: 0 },
      }),
      ctx(),
    )!;
    expect(del.event).toBeNull();
    expect(del.write).toMatchObject({ operation: 'DELETE', rows: 13, sources: [] });
    const trunc = mapJob(job({ statement_type: 'TRUNCATE_TABLE', destination_table: t('acme-dw', 'mart', 'orders') }), ctx())!;
    expect(trunc.event).toBeNull();
    expect(trunc.write).toMatchObject({ operation: 'TRUNCATE', sources: [] });
  });

  it('a LOAD job into a partition decorator (`table$20240501`) writes the table itself', () => {
    const mapped = mapJob(
      job({ job_type: 'LOAD', statement_type: null, query: null, destination_table: t('acme-dw', 'raw', 'clicks$20240501'), referenced_tables: null, total_bytes_processed: null }),
      ctx(),
    )!;
    expect(mapped.event!.outputs.map((o: { name: string }) => o.name)).toEqual(['acme-dw.raw.clicks']);
    expect(mapped.write).toMatchObject({ dataset: ds('acme-dw.raw.clicks'), operation: 'LOAD', sources: [] });
    expect(mapped.event!.job.name).toBe('acme-dw.load.raw.clicks');
  });

  it('a LOAD DATA statement (query job, statement_type LOAD_DATA) is a load', () => {
    const mapped = mapJob(
      job({
        statement_type: 'LOAD_DATA',
        query: "LOAD DATA INTO raw.orders FROM FILES (format = 'PARQUET', uris = ['gs://acme-landing/orders/*.parquet'])",
        destination_table: t('acme-dw', 'raw', 'orders'),
      }),
      ctx(),
    )!;
    expect(mapped.write).toMatchObject({ dataset: ds('acme-dw.raw.orders'), operation: 'LOAD' });
  });

  it('a COPY job writes its destination with operation COPY', () => {
    const mapped = mapJob(job({ job_type: 'COPY', statement_type: null, query: null, destination_table: t('acme-dw', 'backup', 'orders_copy') }), ctx())!;
    expect(mapped.write).toMatchObject({ dataset: ds('acme-dw.backup.orders_copy'), operation: 'COPY' });
  });

  it('an EXTRACT job and an EXPORT DATA statement write no table', () => {
    expect(mapJob(job({ job_type: 'EXTRACT', statement_type: null, destination_table: null, referenced_tables: null }), ctx())).toBeNull();
    // whatever table the row names, an extract only reads it (to Cloud Storage)
    expect(mapJob(job({ job_type: 'EXTRACT', statement_type: null, destination_table: t('acme-dw', 'mart', 'orders') }), ctx())).toBeNull();
    expect(
      mapJob(
        job({
          statement_type: 'EXPORT_DATA',
          query: "EXPORT DATA OPTIONS (uri = 'gs://acme-out/orders-*.csv', format = 'CSV') AS SELECT * FROM mart.orders",
          destination_table: t('acme-dw', 'mart', 'orders'),
          referenced_tables: [t('acme-dw', 'mart', 'orders')],
        }),
        ctx(),
      ),
    ).toBeNull();
  });

  it('a wildcard query over date shards reads one family node; mixed-case dataset and table names keep their case', () => {
    const mapped = mapJob(
      job({
        statement_type: 'INSERT',
        query: "INSERT INTO Reporting.DailyActiveUsers SELECT event_date, COUNT(DISTINCT user_pseudo_id) FROM `acme-dw.analytics_301234567.events_*` WHERE _TABLE_SUFFIX BETWEEN '20240501' AND '20240503' GROUP BY 1",
        destination_table: t('acme-dw', 'Reporting', 'DailyActiveUsers'),
        referenced_tables: [
          t('acme-dw', 'analytics_301234567', 'events_20240501'),
          t('acme-dw', 'analytics_301234567', 'events_20240502'),
          t('acme-dw', 'analytics_301234567', 'events_20240503'),
        ],
      }),
      ctx(),
    )!;
    expect(mapped.event!.inputs).toEqual([{ namespace: 'bigquery', name: 'acme-dw.analytics_301234567.events' }]);
    expect(mapped.write!.dataset).toBe(ds('acme-dw.Reporting.DailyActiveUsers'));
  });

  it('a cached SELECT (cache_hit, no referenced_tables, anonymous destination) and a background job yield nothing', () => {
    expect(mapJob(job({ statement_type: 'SELECT', destination_table: t('acme-dw', '_a8f3e2d1c0b9', 'anon5d4c3b2a1f0e'), referenced_tables: [] }), ctx())).toBeNull();
    expect(mapJob(job({ job_type: null, statement_type: null, destination_table: t('acme-dw', 'mart', 'orders') }), ctx())).toBeNull();
  });

  it('a SELECT with a user-named destination table is an INSERT into it', () => {
    const mapped = mapJob(
      job({ statement_type: 'SELECT', destination_table: t('acme-dw', 'scratch', 'top_customers'), referenced_tables: [t('acme-dw', 'mart', 'customers')] }),
      ctx(),
    )!;
    expect(mapped.write).toMatchObject({ operation: 'INSERT', sources: [ds('acme-dw.mart.customers')] });
  });

  it('reads TIMESTAMPs in BigQuery text form, as ISO text and as epoch microseconds', () => {
    const at = (end_time: unknown) => mapJob(job({ end_time, destination_table: t('acme-dw', 'mart', 'x') }), ctx())!.write!.writtenAt;
    const expected = Date.UTC(2024, 4, 2, 9, 0, 5, 123);
    expect(at('2024-05-02 09:00:05.123456 UTC')).toBe(expected);
    expect(at({ value: '2024-05-02T09:00:05.123456Z' })).toBe(expected);
    expect(at('1714640405123456')).toBe(expected);
    expect(at(String(expected))).toBe(expected);
  });

  it('an INSERT … VALUES (empty referenced_tables) writes with no sources; null referenced_tables is the same', () => {
    for (const referenced_tables of [[], null]) {
      const mapped = mapJob(job({ destination_table: t('acme-dw', 'ops', 'audit_log'), referenced_tables, dml_statistics: { inserted_row_count: '1' } }), ctx())!;
      expect(mapped.event!.inputs).toEqual([]);
      expect(mapped.write).toMatchObject({ sources: [], rows: 1, operation: 'INSERT' });
    }
  });

  describe('held back until the fixes were in (self-check)', () => {
    it('a wildcard table named as such in referenced_tables (`events_*`) is the family node libs/sql-lineage names', () => {
      const mapped = mapJob(job({ destination_table: t('acme-dw', 'mart', 'ga_daily'), referenced_tables: [t('acme-dw', 'analytics_301234567', 'events_*')] }), ctx())!;
      expect(mapped.write!.sources).toEqual([ds('acme-dw.analytics_301234567.events')]);
    });

    it('CREATE VIEW carries the lineage from its tables to the view but is no write of data', () => {
      const mapped = mapJob(
        job({
          statement_type: 'CREATE_VIEW',
          query: 'CREATE OR REPLACE VIEW `acme-dw.mart.v_orders` AS SELECT * FROM `acme-dw.raw.orders`',
          destination_table: t('acme-dw', 'mart', 'v_orders'),
          referenced_tables: [t('acme-dw', 'raw', 'orders')],
        }),
        ctx(),
      )!;
      expect(mapped.event!.inputs).toEqual([{ namespace: 'bigquery', name: 'acme-dw.raw.orders' }]);
      expect(mapped.event!.outputs[0].name).toBe('acme-dw.mart.v_orders');
      expect(mapped.write).toBeNull();
    });

    it('DROP VIEW is a DROP lifecycle change and no write; ALTER TABLE an ALTER one', () => {
      const drop = mapJob(job({ statement_type: 'DROP_VIEW', query: 'DROP VIEW mart.v_orders', destination_table: t('acme-dw', 'mart', 'v_orders') }), ctx())!;
      expect(drop.write).toBeNull();
      expect(drop.event!.outputs[0].facets.lifecycleStateChange.lifecycleStateChange).toBe('DROP');
      const alter = mapJob(job({ statement_type: 'ALTER_TABLE', query: 'ALTER TABLE mart.orders ADD COLUMN note STRING', destination_table: t('acme-dw', 'mart', 'orders') }), ctx())!;
      expect(alter.write).toBeNull();
      expect(alter.event!.outputs[0].facets.lifecycleStateChange.lifecycleStateChange).toBe('ALTER');
    });

    it('a COPY into a partition (`t$20240101`) from a snapshot-decorated source (`s@1714000000000`) names both tables plainly', () => {
      const mapped = mapJob(
        job({ job_type: 'COPY', statement_type: null, destination_table: t('acme-dw', 'mart', 'orders$20240101'), referenced_tables: [t('acme-dw', 'raw', 'orders@1714000000000')] }),
        ctx(),
      )!;
      expect(mapped.write).toMatchObject({ dataset: ds('acme-dw.mart.orders'), sources: [ds('acme-dw.raw.orders')], operation: 'COPY' });
    });

    it('an error_result with a message and no reason is still a failed job', () => {
      expect(mapJob(job({ destination_table: t('acme-dw', 'mart', 'orders'), error_result: { reason: null, message: 'Resources exceeded during query execution' } }), ctx())).toBeNull();
    });
  });
});
