/**
 * The Snowflake connector through the unmodified snowflake-sdk against a wire-level fake on 127.0.0.1.
 */
import { type ConnectorError, toConnectorError } from '@lineage-hub/connector-sdk';
import { collectPull, runConnectorConformance, testContext } from '@lineage-hub/connector-sdk/testkit';
import { snowflakeConnectorFactory, type SnowflakeConfig } from '@lineage-hub/connector-snowflake';
import { canonicalDataset, createEventValidator, datasetId } from '@lineage-hub/model';
import { SnowflakeFake } from './fake/snowflake.fake';

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

const pullAll = async (fake: SnowflakeFake, cursor: Record<string, unknown> | null = null, overrides: Partial<SnowflakeConfig> = {}) => {
  const connector = snowflakeConnectorFactory.create(configFor(fake, overrides));
  try {
    return await collectPull(connector, cursor, testContext({ connectorId: 'sf-test', now: NOW }));
  } finally {
    await connector.close?.();
  }
};

runConnectorConformance<SnowflakeConfig>({
  name: 'snowflake',
  factory: snowflakeConnectorFactory,
  async setup() {
    const fake = await SnowflakeFake.start();
    return {
      config: configFor(fake),
      namespace: NS,
      canonicalName: (name) => canonicalDataset(NS, name).name,
      now: NOW,
      minWrites: 4,
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
        user: 'DBT_RUNNER',
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
