/**
 * The Snowflake connector through the unmodified snowflake-sdk against a wire-level fake on 127.0.0.1.
 */
import { type ConnectorError, toConnectorError } from '@lineage-hub/connector-sdk';
import { collectPull, runConnectorConformance, testContext } from '@lineage-hub/connector-sdk/testing';
import { snowflakeConnectorFactory, type SnowflakeConfig } from '@lineage-hub/connector-snowflake';
import { canonicalDataset, createEventValidator, datasetId } from '@lineage-hub/model';
import { SnowflakeFake } from '@lineage-hub/connector-snowflake/testing';

const NOW = Date.parse('2024-03-02T00:00:00Z');
const NS = 'snowflake://acme-prod';

const configFor = (fake: SnowflakeFake, overrides: Partial<SnowflakeConfig> = {}): SnowflakeConfig =>
  snowflakeConnectorFactory.configSchema.parse({
    account: 'acme-prod',
    accessUrl: fake.url,
    username: 'LINEAGE_HUB',
    password: 'fake-password',
    warehouse: 'LINEAGE_WH',
    role: 'LINEAGE_READER',
    pageSize: 2,
    ...overrides,
  });

const pullAll = async (
  fake: SnowflakeFake,
  cursor: Record<string, unknown> | null = null,
  overrides: Partial<SnowflakeConfig> = {},
  window?: { from: number; to: number },
) => {
  const connector = snowflakeConnectorFactory.create(configFor(fake, overrides));
  try {
    return await collectPull(connector, cursor, testContext({ connectorId: 'sf-test', now: NOW, window }));
  } finally {
    await connector.close?.();
  }
};

/** ACCESS_HISTORY x QUERY_HISTORY rows written from Snowflake's documentation, one per rule (README "What is lineage"). */
const ruleRows = (): Array<Record<string, any> & { QUERY_ID: string; QUERY_START_TIME: string }> => {
  const table = (objectId: number, objectName: string, columns: string[] = ['ID']) => ({
    objectDomain: 'Table',
    objectId,
    objectName,
    columns: columns.map((columnName, i) => ({ columnId: objectId * 10 + i, columnName })),
  });
  const row = (id: string, minute: number, extra: Record<string, unknown>) => ({
    QUERY_ID: `01b3-rule-${id}`,
    QUERY_START_TIME: `2024-03-01T12:${String(minute).padStart(2, '0')}:00.000000000Z`,
    END_TIME: `2024-03-01T12:${String(minute).padStart(2, '0')}:03.000Z`,
    USER_NAME: 'ETL_SERVICE',
    DIRECT_OBJECTS_ACCESSED: [],
    BASE_OBJECTS_ACCESSED: [],
    OBJECTS_MODIFIED: [],
    OBJECT_MODIFIED_BY_DDL: null,
    PARENT_QUERY_ID: null,
    ROOT_QUERY_ID: null,
    DATABASE_NAME: 'ANALYTICS',
    SCHEMA_NAME: 'MART',
    ROWS_WRITTEN: 0,
    QUERY_TAG: '',
    ...extra,
  });
  return [
    row('delete', 1, { QUERY_TYPE: 'DELETE', QUERY_TEXT: 'DELETE FROM ANALYTICS.MART.ORDERS WHERE AMOUNT < 0', OBJECTS_MODIFIED: [table(7001, 'ANALYTICS.MART.ORDERS')], BASE_OBJECTS_ACCESSED: [table(7001, 'ANALYTICS.MART.ORDERS')], ROWS_WRITTEN: 4 }),
    row('truncate', 2, { QUERY_TYPE: 'TRUNCATE_TABLE', QUERY_TEXT: 'TRUNCATE TABLE ANALYTICS.MART.STAGING', OBJECTS_MODIFIED: [table(7002, 'ANALYTICS.MART.STAGING')] }),
    // A temporary table: created, filled, read, none of it a dataset.
    row('temp_create', 3, { QUERY_TYPE: 'CREATE_TABLE', QUERY_TEXT: 'CREATE OR REPLACE TEMPORARY TABLE TMP_ORDERS (ID NUMBER)', OBJECT_MODIFIED_BY_DDL: { objectDomain: 'Table', objectId: 7003, objectName: 'ANALYTICS.MART.TMP_ORDERS', operationType: 'CREATE', properties: {} } }),
    row('temp_fill', 4, { QUERY_TYPE: 'INSERT', QUERY_TEXT: 'INSERT INTO TMP_ORDERS SELECT ID FROM ANALYTICS.MART.ORDERS', OBJECTS_MODIFIED: [table(7003, 'ANALYTICS.MART.TMP_ORDERS')], BASE_OBJECTS_ACCESSED: [table(7001, 'ANALYTICS.MART.ORDERS')], ROWS_WRITTEN: 9 }),
    // Reads the temporary table and an internal stage; writes a TRANSIENT table (a dataset), tagged by Airflow.
    row('from_temp', 5, {
      QUERY_TYPE: 'INSERT',
      QUERY_TEXT: 'INSERT INTO ANALYTICS.MART.ORDERS_TRANSIENT SELECT t.ID FROM TMP_ORDERS t',
      OBJECTS_MODIFIED: [table(7004, 'ANALYTICS.MART.ORDERS_TRANSIENT')],
      BASE_OBJECTS_ACCESSED: [table(7003, 'ANALYTICS.MART.TMP_ORDERS'), { objectDomain: 'Stage', objectId: 9100, objectName: 'ANALYTICS.MART.LOAD_STAGE', stageKind: 'Internal Named' }],
      ROWS_WRITTEN: 9,
      QUERY_TAG: '{"dag_id": "orders_daily", "task_id": "publish"}',
    }),
    // COPY INTO from an internal stage: the stage is no input.
    row('copy', 6, { QUERY_TYPE: 'COPY', QUERY_TEXT: 'COPY INTO ANALYTICS.MART.RAW_EVENTS FROM @LOAD_STAGE', OBJECTS_MODIFIED: [table(7005, 'ANALYTICS.MART.RAW_EVENTS')], BASE_OBJECTS_ACCESSED: [{ objectDomain: 'Stage', objectId: 9100, objectName: 'ANALYTICS.MART.LOAD_STAGE', stageKind: 'Internal Named' }], ROWS_WRITTEN: 100 }),
    // Snowflake's own serverless work.
    row('system', 7, { USER_NAME: 'SYSTEM', QUERY_TYPE: 'INSERT', QUERY_TEXT: 'insert into ANALYTICS.MART.ORDERS_MV ...', OBJECTS_MODIFIED: [table(7006, 'ANALYTICS.MART.ORDERS_MV')], BASE_OBJECTS_ACCESSED: [table(7001, 'ANALYTICS.MART.ORDERS')] }),
    // dbt on Snowflake appends its query comment.
    row('dbt', 8, {
      USER_NAME: 'DBT_RUNNER',
      QUERY_TYPE: 'MERGE',
      QUERY_TEXT: 'merge into ANALYTICS.MART.CUSTOMERS t using ANALYTICS.MART.ORDERS s on t.ID = s.ID when matched then update set t.ID = s.ID\n/* {"app": "dbt", "node_id": "model.acme.customers"} */',
      OBJECTS_MODIFIED: [table(7007, 'ANALYTICS.MART.CUSTOMERS')],
      BASE_OBJECTS_ACCESSED: [table(7001, 'ANALYTICS.MART.ORDERS'), table(7007, 'ANALYTICS.MART.CUSTOMERS')],
      ROWS_WRITTEN: 2,
    }),
    // The CALLs of nested stored procedures (QUERY_HISTORY rows that modify nothing themselves): Airflow submitted
    // the outer one with its query tag; the inner one runs in the procedure, untagged.
    row('call_parent', 9, {
      QUERY_ID: '01b3-call-myproc_parent',
      QUERY_TYPE: 'CALL',
      QUERY_TEXT: 'CALL ANALYTICS.MART.MYPROC_PARENT()',
      QUERY_TAG: '{"dag_id": "orders_daily", "task_id": "run_procedures"}',
    }),
    row('call_child', 10, {
      QUERY_ID: '01b3-call-myproc_child',
      QUERY_TYPE: 'CALL',
      QUERY_TEXT: 'CALL ANALYTICS.MART.MYPROC_CHILD()',
      PARENT_QUERY_ID: '01b3-call-myproc_parent',
      ROOT_QUERY_ID: '01b3-call-myproc_parent',
    }),
    // A statement of a nested stored procedure: its parent is the inner CALL, its root the CALL a client submitted.
    row('nested', 11, {
      QUERY_TYPE: 'INSERT',
      QUERY_TEXT: 'INSERT INTO ANALYTICS.MART.NESTED SELECT ID FROM ANALYTICS.MART.ORDERS',
      OBJECTS_MODIFIED: [table(7008, 'ANALYTICS.MART.NESTED')],
      BASE_OBJECTS_ACCESSED: [table(7001, 'ANALYTICS.MART.ORDERS')],
      PARENT_QUERY_ID: '01b3-call-myproc_child',
      ROOT_QUERY_ID: '01b3-call-myproc_parent',
      ROWS_WRITTEN: 1,
    }),
  ];
};

describe('snowflake rules (README "What is lineage") on the fake', () => {
  let fake: SnowflakeFake;
  beforeAll(async () => {
    fake = await SnowflakeFake.start();
    fake.rows = ruleRows();
  });
  afterAll(async () => {
    await fake.stop();
  });
  const of = (writes: Array<{ queryId: string }>, id: string) => writes.filter((w) => w.queryId === `01b3-rule-${id}`);

  it('a nested stored procedure\'s statement names the outermost CALL (root_query_id) as the statement that ran it, not the inner one', async () => {
    const { writes } = await pullAll(fake);
    expect(of(writes, 'nested')).toEqual([expect.objectContaining({ dataset: datasetId(NS, 'ANALYTICS.MART.NESTED'), rootQueryId: '01b3-call-myproc_parent' })]);
    expect(of(writes, 'dbt')[0]).not.toHaveProperty('rootQueryId');
    expect(writes.filter((w) => w.queryId.startsWith('01b3-call-'))).toEqual([]); // a CALL writes nothing itself
  });

  it('a stored procedure\'s statement inherits the query tag of the CALL a client submitted; its own hints win', async () => {
    const { writes } = await pullAll(fake);
    expect(of(writes, 'nested')[0]).toMatchObject({ hints: { airflowDag: 'orders_daily', airflowTask: 'run_procedures' } });
    const own = { ...fake.rows.find((r) => r.QUERY_ID === '01b3-rule-nested')!, QUERY_ID: '01b3-rule-nested_tagged', QUERY_TAG: '{"dag_id": "orders_daily", "task_id": "own_task"}' };
    fake.rows.push(own);
    try {
      const again = await pullAll(fake);
      expect(of(again.writes, 'nested_tagged')[0]).toMatchObject({ hints: { airflowDag: 'orders_daily', airflowTask: 'own_task' } });
    } finally {
      fake.rows.pop();
    }
    // a statement no procedure ran inherits nothing
    expect(of(writes, 'copy')[0]).not.toHaveProperty('hints');
  });

  it('DELETE and TRUNCATE_TABLE are reported with their operation, never as writes of data', async () => {
    const { events, writes } = await pullAll(fake);
    expect(of(writes, 'delete')).toEqual([expect.objectContaining({ dataset: datasetId(NS, 'ANALYTICS.MART.ORDERS'), operation: 'DELETE', rows: 4, sources: [] })]);
    expect(of(writes, 'truncate')).toEqual([expect.objectContaining({ operation: 'TRUNCATE', sources: [] })]);
    const ids = events.map((e) => e.run.facets.externalQuery.externalQueryId);
    expect(ids).not.toContain('01b3-rule-delete');
    expect(ids).not.toContain('01b3-rule-truncate');
  });

  it('temporary tables and stages are never datasets; transient tables are', async () => {
    const { events, writes, batches } = await pullAll(fake);
    expect(of(writes, 'temp_create')).toEqual([]);
    expect(of(writes, 'temp_fill')).toEqual([]);
    expect(of(writes, 'from_temp')).toEqual([expect.objectContaining({ dataset: datasetId(NS, 'ANALYTICS.MART.ORDERS_TRANSIENT'), sources: [], operation: 'INSERT' })]);
    expect(of(writes, 'copy')).toEqual([expect.objectContaining({ dataset: datasetId(NS, 'ANALYTICS.MART.RAW_EVENTS'), sources: [], operation: 'COPY', rows: 100 })]);
    const names = events.flatMap((e) => [...e.inputs, ...e.outputs].map((d: any) => d.name));
    expect(names.filter((n: string) => /TMP_ORDERS|LOAD_STAGE/.test(n))).toEqual([]);
    expect(batches.flatMap((b) => b.coverage.gaps)).toEqual([]);
  });

  it('remembers a temporary table across pulls through the cursor', async () => {
    const first = await pullAll(fake, null, {}, undefined);
    expect((first.cursor as { temporary?: number[] }).temporary).toContain(7003);
  });

  it("Snowflake's own SYSTEM work yields nothing", async () => {
    const { events, writes } = await pullAll(fake);
    expect(of(writes, 'system')).toEqual([]);
    expect(events.some((e) => e.outputs.some((o: any) => o.name === 'ANALYTICS.MART.ORDERS_MV'))).toBe(false);
  });

  it('carries QUERY_TAG (JSON: Airflow) and the appended dbt query comment as hints', async () => {
    const { writes } = await pullAll(fake);
    expect(of(writes, 'from_temp')[0]).toMatchObject({ actor: 'ETL_SERVICE', hints: { airflowDag: 'orders_daily', airflowTask: 'publish' } });
    expect(of(writes, 'dbt')[0]).toMatchObject({ actor: 'DBT_RUNNER', operation: 'MERGE', hints: { dbtNode: 'model.acme.customers' }, sources: [datasetId(NS, 'ANALYTICS.MART.ORDERS')] });
  });

  it('explicit windows are half-open: adjacent windows give exactly what one window over both gives', async () => {
    const key = (w: { queryId: string; dataset: string }) => `${w.queryId}|${w.dataset}`;
    const from = Date.parse('2024-03-01T12:00:00Z');
    const border = Date.parse('2024-03-01T12:05:00Z');
    const to = Date.parse('2024-03-01T12:10:00Z');
    // The temporary table is created before the border: the second window must still know it, so both run from one connector's view of the first.
    const whole = await pullAll(fake, null, {}, { from, to });
    const a = await pullAll(fake, null, {}, { from, to: border });
    const b = await pullAll(fake, a.cursor, {}, { from: border, to });
    expect(whole.writes.length).toBe(5);
    expect([...a.writes, ...b.writes].map(key).sort()).toEqual(whole.writes.map(key).sort());
    expect(a.writes.some((w) => w.queryId === '01b3-rule-from_temp')).toBe(false);
  });
});

runConnectorConformance<SnowflakeConfig>({
  name: 'snowflake',
  factory: snowflakeConnectorFactory,
  notDatasets: true,
  async setup() {
    const fake = await SnowflakeFake.start();
    fake.rows = [...fake.rows, ...ruleRows()];
    return {
      config: configFor(fake),
      namespace: NS,
      canonicalName: (name) => canonicalDataset(NS, name).name,
      now: NOW,
      minWrites: 4,
      removals: ['01b3-rule-delete', '01b3-rule-truncate'],
      failures: {
        'rate-limited': () => fake.injectStatementTimeout(1),
        transient: () => fake.injectQueryError('000603', 'XX000', 'Processing aborted due to error 300005:4035471270; incident 1234.'),
        'auth-failed': () => fake.injectLoginFailure(1),
        'not-found': () => fake.injectQueryError('002003', '02000', "SQL compilation error:\nSchema 'SNOWFLAKE.ACCOUNT_USAGE' does not exist or not authorized."),
      },
      clearFailures: () => fake.server.clearInjections(),
      requestCount: () => fake.count(),
      teardown: () => fake.stop(),
    };
  },
});

describe('snowflake connector against the wire-level fake', () => {
  let fake: SnowflakeFake;

  beforeEach(async () => {
    fake = await SnowflakeFake.start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  const eventWriting = (events: Record<string, any>[], name: string): Record<string, any> => {
    const found = events.find((e) => e.outputs.some((o: any) => o.name === name));
    if (!found) throw new Error(`no event writes ${name}`);
    return found;
  };

  it('turns objects_modified columns and their direct/base sources into column lineage, base objects into table lineage', async () => {
    const { events, writes, batches } = await pullAll(fake);
    expect(batches.reduce((n, b) => n + (b.coverage.columnLineage?.withColumns ?? 0), 0)).toBe(4);
    const orders = eventWriting(events, 'ANALYTICS.MART.ORDERS');
    expect(orders.inputs.map((i: any) => i.name).sort()).toEqual(['ANALYTICS.STAGING.STG_ORDERS', 'ANALYTICS.STAGING.V_CUSTOMERS', 'RAW.CRM.CUSTOMERS']);
    const fields = orders.outputs[0].facets.columnLineage.fields;
    expect(fields.CUSTOMER_NAME.inputFields).toEqual([
      { namespace: NS, name: 'ANALYTICS.STAGING.V_CUSTOMERS', field: 'NAME' },
      { namespace: NS, name: 'RAW.CRM.CUSTOMERS', field: 'FULL_NAME' },
    ]);
    expect(fields.ORDER_ID.inputFields).toEqual([{ namespace: NS, name: 'ANALYTICS.STAGING.STG_ORDERS', field: 'ID' }]);
    expect(orders.run.facets.externalQuery.externalQueryId).toBe('01b2c3d4-0000-1111-0000-00000000a001');
    const write = writes.find((w) => w.queryId === '01b2c3d4-0000-1111-0000-00000000a001')!;
    expect(write).toEqual(
      expect.objectContaining({
        dataset: datasetId(NS, 'ANALYTICS.MART.ORDERS'),
        actor: 'DBT_RUNNER',
        rows: 1250,
        writtenAt: Date.parse('2024-03-01T08:00:04.500Z'),
        connectorId: 'sf-test',
      }),
    );
    // A MERGE does not list its own target as a source; a COPY INTO a stage writes no table.
    const merge = writes.find((w) => w.queryId.endsWith('a007'))!;
    expect(merge.sources).toEqual([datasetId(NS, 'RAW.CRM.CUSTOMERS')]);
    expect(writes.map((w) => w.queryId)).not.toContain('01b2c3d4-0000-1111-0000-00000000a006');
  });

  it('keeps quoted mixed-case identifiers (with or without quotes in objectName) and folds the rest to upper case', async () => {
    const { events, writes } = await pullAll(fake);
    expect(writes.map((w) => w.dataset)).toEqual(
      expect.arrayContaining([datasetId(NS, 'ANALYTICS.MART."DailyRevenue"'), datasetId(NS, 'ANALYTICS.MART."CustomerLTV"')]),
    );
    const ltv = eventWriting(events, 'ANALYTICS.MART."CustomerLTV"');
    expect(Object.keys(ltv.outputs[0].facets.columnLineage.fields)).toEqual(['"customerId"']);
    expect(ltv.run.facets.parent.run.runId).toEqual(expect.any(String));
    // a stored procedure's statement names its CALL (a run declaring the CALL names it too); others name none
    const ltvWrite = writes.find((w) => w.dataset === datasetId(NS, 'ANALYTICS.MART."CustomerLTV"'))!;
    expect(ltvWrite.rootQueryId).toBe('01b2c3d4-0000-1111-0000-00000000a0ff');
    expect(writes.find((w) => w.dataset === datasetId(NS, 'ANALYTICS.MART."DailyRevenue"'))).not.toHaveProperty('rootQueryId');
  });

  it('is one node with the lower-case name a dbt OpenLineage event uses for the same table', async () => {
    const { writes } = await pullAll(fake);
    const fromDbt = canonicalDataset('snowflake://ACME-PROD.snowflakecomputing.com', 'analytics.mart.orders');
    expect(writes.map((w) => w.dataset)).toContain(datasetId(fromDbt.namespace, fromDbt.name));
  });

  it('reports renames and drops from object_modified_by_ddl as lifecycle changes, without observed writes', async () => {
    const { events, writes } = await pullAll(fake);
    const renamed = eventWriting(events, 'ANALYTICS.MART.ORDERS_ARCHIVE');
    expect(renamed.outputs[0].facets.lifecycleStateChange).toEqual(
      expect.objectContaining({ lifecycleStateChange: 'RENAME', previousIdentifier: { namespace: NS, name: 'ANALYTICS.MART.ORDERS_OLD' } }),
    );
    const dropped = eventWriting(events, 'ANALYTICS.STAGING.TMP_LOAD');
    expect(dropped.outputs[0].facets.lifecycleStateChange.lifecycleStateChange).toBe('DROP');
    expect(writes.map((w) => w.queryId)).not.toEqual(expect.arrayContaining(['01b2c3d4-0000-1111-0000-00000000a004']));
  });

  it('never reads a window the view may still be filling (now - 3 h), and refuses a shorter latency', async () => {
    const { writes, batches } = await pullAll(fake);
    expect(writes.map((w) => w.queryId)).not.toContain('01b2c3d4-0000-1111-0000-00000000a008');
    const readUpTo = NOW - 3 * 3600_000;
    expect(Math.max(...batches.map((b) => b.coverage.windowEnd))).toBe(readUpTo);
    for (const s of fake.statements) expect(Number(s.bindings!['2'].value)).toBeLessThanOrEqual(readUpTo);
    const parsed = snowflakeConnectorFactory.configSchema.safeParse({ ...configFor(fake), latencyMs: 45 * 60_000 });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('latencyMs');
  });

  it('asks for JSON results, with every statement inside the keyset (same start time split across pages)', async () => {
    const { writes } = await pullAll(fake, null, { pageSize: 1 });
    expect(writes.map((w) => w.queryId).sort()).toEqual([
      '01b2c3d4-0000-1111-0000-00000000a001',
      '01b2c3d4-0000-1111-0000-00000000a002',
      '01b2c3d4-0000-1111-0000-00000000a003',
      '01b2c3d4-0000-1111-0000-00000000a007',
    ]);
    expect(fake.statements.length).toBeGreaterThan(5);
    for (const s of fake.statements) expect(s.parameters).toEqual(expect.objectContaining({ QUERY_RESULT_FORMAT: 'JSON' }));
  });

  it('rides out an expired session: the SDK renews it with the master token and the pull completes', async () => {
    const connector = snowflakeConnectorFactory.create(configFor(fake));
    const ctx = testContext({ connectorId: 'sf-test', now: NOW });
    const writes: string[] = [];
    let expired = false;
    for await (const batch of connector.pull(null, ctx)) {
      writes.push(...batch.observedWrites.map((w) => w.queryId));
      if (!expired) {
        fake.expireSession();
        expired = true;
      }
    }
    await connector.close?.();
    expect(fake.count('renew')).toBe(1);
    expect(fake.count('login')).toBe(1);
    expect(writes).toHaveLength(4);
  });

  it('rides out a statement timeout (57014): rate-limited, and the last cursor resumes without losing a window', async () => {
    const full = await pullAll(fake);
    const connector = snowflakeConnectorFactory.create(configFor(fake));
    const delivered: any[] = [];
    let error: ConnectorError | undefined;
    try {
      for await (const batch of connector.pull(null, testContext({ connectorId: 'sf-test', now: NOW }))) {
        delivered.push(batch);
        if (delivered.length === 3) fake.injectStatementTimeout(1);
      }
    } catch (err) {
      error = toConnectorError(err, snowflakeConnectorFactory.mapError);
    } finally {
      await connector.close?.();
    }
    expect(error?.code).toBe('rate-limited');
    const rest = await pullAll(fake, delivered[delivered.length - 1].cursor);
    const all = [...delivered.flatMap((b) => b.observedWrites), ...rest.writes].map((w) => w.queryId).sort();
    expect(all).toEqual(full.writes.map((w) => w.queryId).sort());
    expect(rest.cursor).toEqual(full.cursor);
  });

  it('emits valid OpenLineage RunEvents whose standard facets the shard keeps', async () => {
    const { events } = await pullAll(fake);
    const validator = createEventValidator();
    for (const event of events) expect(validator.validate(event)).toEqual(expect.objectContaining({ ok: true, warnings: [] }));
  });

  it('refuses a cursor it cannot read as cursor-invalid', async () => {
    let caught: unknown;
    await pullAll(fake, { v: 1, ns: 'yesterday', after: '' }).catch((err) => (caught = err));
    expect(toConnectorError(caught, snowflakeConnectorFactory.mapError).code).toBe('cursor-invalid');
  });

  it('maps a refused login (390100) to auth-failed', async () => {
    let caught: unknown;
    await pullAll(fake, null, { password: 'wrong' }).catch((err) => (caught = err));
    expect(toConnectorError(caught, snowflakeConnectorFactory.mapError).code).toBe('auth-failed');
  });
});
