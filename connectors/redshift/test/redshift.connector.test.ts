/**
 * The Redshift connector against its fake: a real PostgreSQL database with tables shaped like the system
 * views. Runs the SDK conformance suite, then Redshift specifics (text rebuild, retention gaps, window
 * splitting, serverless SYS_* views, time zone independence).
 */
import { collectPull, runConnectorConformance, testContext } from '@lineage-hub/connector-sdk/testing';
import { canonicalDataset, datasetId } from '@lineage-hub/model';
import { redshiftConnectorFactory } from '@lineage-hub/connector-redshift';
import * as redshiftTesting from '@lineage-hub/connector-redshift/testing';

const { RedshiftFake, TEMP_TABLE_ID, writeCustom } = redshiftTesting;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const NAMESPACE = 'redshift://analytics-cluster.eu-west-1:5439';

runConnectorConformance({
  name: 'redshift',
  factory: redshiftConnectorFactory,
  notDatasets: true,
  async setup() {
    const fake = await RedshiftFake.create();
    await fake.seed({ start: NOW - 6 * HOUR, count: 60, spacingMs: 5 * 60_000 });
    // A DELETE (STL_DELETE only) and a TRUNCATE (utility text) among the seeded inserts; temp table writes are seeded too.
    await writeCustom(fake, {
      statements: [{ query: 900_001, userid: 101, sql: 'DELETE FROM public.payments WHERE paid_at < 1', start: NOW - 3 * HOUR, deletes: [{ tbl: 100003, rows: 7 }] }],
      utility: [{ xid: 900_002, pid: 77, userid: 102, sql: 'TRUNCATE TABLE analytics.customer_ltv', start: NOW - 2 * HOUR }],
    });
    let undo: Array<() => Promise<void>> = [];
    return {
      config: fake.config({ windowMinutes: 120, overlapMinutes: 30, statementTimeoutMs: 1500 }),
      namespace: NAMESPACE,
      canonicalName: (name: string) => canonicalDataset(NAMESPACE, name).name,
      now: NOW,
      minWrites: 30,
      removals: ['900001', 'xid:900002:77'],
      failures: {
        'rate-limited': async () => {
          await fake.setConnectionLimit(0);
          undo.push(() => fake.setConnectionLimit(-1));
        },
        'auth-failed': async () => {
          await fake.setLogin(false);
          undo.push(() => fake.setLogin(true));
        },
        'not-found': async () => {
          await fake.hideTable('stl_query', true);
          undo.push(() => fake.hideTable('stl_query', false));
        },
        transient: async () => {
          undo.push(await fake.lockTable('stl_query'));
        },
      },
      async clearFailures() {
        for (const fn of undo.reverse()) await fn();
        undo = [];
      },
      requestCount: () => fake.connections(),
      teardown: () => fake.drop(),
    };
  },
});

describe('redshift connector specifics', () => {
  let fake: Awaited<ReturnType<typeof RedshiftFake.create>>;

  beforeAll(async () => {
    fake = await RedshiftFake.create();
  });
  afterAll(async () => {
    await fake?.drop();
  });
  beforeEach(async () => {
    await fake.clear();
  });

  const connector = (overrides: Record<string, unknown> = {}) =>
    redshiftConnectorFactory.create(redshiftConnectorFactory.configSchema.parse(fake.config(overrides)));

  it('reports who wrote which table, from which tables, with rows, user and the rebuilt SQL', async () => {
    const seeded = await fake.seed({ start: NOW - 2 * HOUR, count: 20, spacingMs: 60_000 });
    const result = await collectPull(connector(), null, testContext({ now: NOW, connectorId: 'rs-1' }));
    const expected = seeded.filter((s) => s.writes);
    expect(result.writes.map((w) => w.queryId)).toEqual(expected.map((s) => String(s.query)));
    const first = expected[0];
    const write = result.writes[0];
    expect(write.dataset).toBe(datasetId(NAMESPACE, `${first.target!.database}.${first.target!.schema}.${first.target!.name}`.toLowerCase()));
    expect(write.sources).toEqual(first.sources.map((s) => datasetId(NAMESPACE, `${s.database}.${s.schema}.${s.name}`)));
    expect(write.rows).toBe(first.rows);
    expect(write.actor).toBe(first.user);
    expect(write.writtenAt).toBe(first.end);
    expect(write.queryText).toBe(first.sql);
    expect(write.connectorId).toBe('rs-1');
    expect(write.operation).toBe('INSERT');
    // The mixed-case table folds to lower case; the temporary table (not in SVV_TABLE_INFO) is skipped with a warning.
    expect(result.writes.some((w) => w.dataset === datasetId(NAMESPACE, 'dev.sales.regions'))).toBe(true);
    const temp = seeded.filter((s) => s.kind === 'temp');
    expect(temp.length).toBeGreaterThan(0);
    expect(result.writes.some((w) => temp.some((t) => String(t.query) === w.queryId))).toBe(false);
    const event = result.events[0];
    expect(event.eventType).toBe('COMPLETE');
    expect(event.job.facets.sql.query).toBe(first.sql);
    expect(event.outputs[0].outputFacets.outputStatistics.rowCount).toBe(first.rows);
    expect(event.run.facets.externalQuery.externalQueryId).toBe(String(first.query));
  });

  it('skips written table ids it cannot name without recording a gap (a gap is a window it could not read)', async () => {
    await fake.seed({ start: NOW - 2 * HOUR, count: 20, spacingMs: 60_000 });
    const ctx = testContext({ now: NOW });
    const result = await collectPull(connector(), null, ctx);
    expect(ctx.logs.find((l) => l.level === 'debug' && Array.isArray(l.meta?.tableIds))?.meta?.tableIds).toEqual([TEMP_TABLE_ID]);
    expect(result.batches.flatMap((b) => b.coverage.gaps)).toEqual([]);
  });

  it('reads timestamps as UTC whatever the process time zone', async () => {
    const seeded = await fake.seed({ start: NOW - 2 * HOUR, count: 5, spacingMs: 60_000 });
    const previous = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const result = await collectPull(connector(), null, testContext({ now: NOW }));
      expect(result.writes[0].writtenAt).toBe(seeded[0].end);
    } finally {
      process.env.TZ = previous;
    }
  });

  it('records a retention gap when the cursor is older than the retention horizon', async () => {
    await fake.seed({ start: NOW - 2 * HOUR, count: 5, spacingMs: 60_000 });
    const old = NOW - 10 * 24 * HOUR;
    const result = await collectPull(connector({ retentionDays: 7 }), { watermark: old, seen: [] }, testContext({ now: NOW }));
    const gaps = result.batches.flatMap((b) => b.coverage.gaps);
    expect(gaps[0]).toMatchObject({ kind: 'retention-horizon', from: old - 30 * 60_000, to: NOW - 7 * 24 * HOUR });
    expect(result.writes.length).toBeGreaterThan(0);
  });

  it('records a gap when the oldest retained statement is newer than the cursor', async () => {
    await fake.seed({ start: NOW - 2 * HOUR, count: 5, spacingMs: 60_000 });
    const watermark = NOW - 5 * HOUR;
    const result = await collectPull(connector(), { watermark, seen: [] }, testContext({ now: NOW }));
    const gap = result.batches[0].coverage.gaps.find((g) => g.kind === 'retention-horizon');
    expect(gap).toMatchObject({ from: watermark, to: NOW - 2 * HOUR });
  });

  it('splits a window holding more statements than the cap instead of dropping them', async () => {
    const seeded = await fake.seed({ start: NOW - 2 * HOUR, count: 40, spacingMs: 60_000 });
    const result = await collectPull(connector({ maxStatementsPerWindow: 7, windowMinutes: 180 }), null, testContext({ now: NOW }));
    expect(result.writes.map((w) => w.queryId)).toEqual(seeded.filter((s) => s.writes).map((s) => String(s.query)));
    expect(result.batches.length).toBeGreaterThan(4);
    expect(result.batches.flatMap((b) => b.coverage.gaps)).toEqual([]);
  });

  it('records cap-hit when one second holds more statements than the cap', async () => {
    await fake.seed({ start: NOW - 2 * HOUR, count: 12, spacingMs: 10 });
    const result = await collectPull(connector({ maxStatementsPerWindow: 3 }), null, testContext({ now: NOW }));
    const gaps = result.batches.flatMap((b) => b.coverage.gaps);
    expect(gaps.some((g) => g.kind === 'cap-hit')).toBe(true);
  });

  it('reads the SYS_* views in serverless mode', async () => {
    const seeded = await fake.seed({ start: NOW - 2 * HOUR, count: 20, spacingMs: 60_000, serverless: true, firstQuery: 500_000 });
    const result = await collectPull(connector({ mode: 'serverless' }), null, testContext({ now: NOW }));
    const expected = seeded.filter((s) => s.writes);
    expect(result.writes.map((w) => w.queryId)).toEqual(expected.map((s) => String(s.query)));
    expect(result.writes[0].queryText).toBe(expected[0].sql);
    expect(result.writes[0].sources.length).toBe(2);
  });

  it('adds column lineage when the worker lends SQL lineage, and says why not when it does not', async () => {
    await fake.seed({ start: NOW - 2 * HOUR, count: 3, spacingMs: 60_000 });
    const plain = await collectPull(connector(), null, testContext({ now: NOW }));
    const stats = plain.batches.map((b) => b.coverage.columnLineage!).find((c) => c.statements > 0)!;
    expect(stats.withColumns).toBe(0);
    expect(stats.reason).toMatch(/table lineage only/);
    const ctx = testContext({ now: NOW });
    ctx.sqlLineage = (req) => [
      {
        target: /INSERT INTO (\S+)/.exec(req.sql)![1].replace(/"/g, ''),
        columns: [{ column: 'amount', sources: [{ table: /FROM (\S+) a/.exec(req.sql)![1], column: 'amount' }] }],
      },
    ];
    const withColumns = await collectPull(connector(), null, ctx);
    const output = withColumns.events[0].outputs[0];
    expect(output.facets.columnLineage.fields.amount.inputFields[0]).toMatchObject({ namespace: NAMESPACE, field: 'amount' });
    expect(withColumns.batches.some((b) => (b.coverage.columnLineage?.withColumns ?? 0) > 0)).toBe(true);
  });

  it('refuses a malformed cursor as cursor-invalid', async () => {
    await expect(collectPull(connector(), { watermark: 'yesterday' }, testContext({ now: NOW }))).rejects.toMatchObject({ code: 'cursor-invalid' });
    await expect(collectPull(connector(), { watermark: NOW + 24 * HOUR }, testContext({ now: NOW }))).rejects.toMatchObject({ code: 'cursor-invalid' });
  });
});
