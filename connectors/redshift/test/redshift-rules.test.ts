/**
 * Redshift's rules (README "What is lineage"), each on the wire-level fake with STL rows written from AWS's
 * documentation of STL_QUERY, STL_INSERT, STL_DELETE, STL_SCAN, SVV_TABLE_INFO, SVL_STATEMENTTEXT and
 * materialized-view refresh. Also: explicit windows are half-open, so adjacent windows add up exactly.
 */
import { collectPull, testContext } from '@lineage-hub/connector-sdk/testing';
import { datasetId } from '@lineage-hub/model';
import { redshiftConnectorFactory } from '@lineage-hub/connector-redshift';
import * as redshiftTesting from '@lineage-hub/connector-redshift/testing';

const { RedshiftFake, writeCustom } = redshiftTesting;
const HOUR = 3_600_000;
const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const NS = 'redshift://analytics-cluster.eu-west-1:5439';
const ds = (name: string) => datasetId(NS, name);

describe('redshift rules on the fake', () => {
  let fake: Awaited<ReturnType<typeof RedshiftFake.create>>;
  const T0 = NOW - 3 * HOUR;

  beforeAll(async () => {
    fake = await RedshiftFake.create();
    await writeCustom(fake, {
      users: [
        [1, 'rdsdb'],
        [120, 'dbt_runner'],
      ],
      tables: [
        { id: 300001, database: 'dev', schema: 'sales', name: 'mv_tbl__mv_daily__0' },
        { id: 300002, database: 'dev', schema: 'pg_temp_7', name: 'stage_orders' },
        { id: 300003, database: 'dev', schema: 'public', name: 'events' },
      ],
      statements: [
        // Automatic MV refresh and housekeeping by rdsdb: the system's, not lineage.
        { query: 5001, userid: 1, sql: 'padb_fetch_sample: select count(*) from orders', start: T0, inserts: [{ tbl: 300001, rows: 3 }], scans: [100001] },
        // The MV's definition, by a user: named by the view, read from its base table.
        { query: 5002, userid: 100, sql: 'CREATE MATERIALIZED VIEW sales.mv_daily AUTO REFRESH YES AS SELECT order_date, sum(amount) FROM public.orders GROUP BY 1', start: T0 + 1 * MIN, inserts: [{ tbl: 300001, rows: 30 }], scans: [100001] },
        // A manual refresh: delete + insert on the backing table is one REFRESH of the view.
        { query: 5003, userid: 100, sql: 'REFRESH MATERIALIZED VIEW sales.mv_daily', start: T0 + 2 * MIN, inserts: [{ tbl: 300001, rows: 4 }], deletes: [{ tbl: 300001, rows: 2 }], scans: [100001, 300001] },
        // A session temp table (listed while it lives): not a dataset.
        { query: 5004, userid: 100, sql: 'INSERT INTO stage_orders SELECT * FROM public.orders', start: T0 + 3 * MIN, inserts: [{ tbl: 300002, rows: 9 }], scans: [100001] },
        // Reads a volt_tt_ rewrite table (unlisted) and a temp table: neither is a source.
        { query: 5005, userid: 100, sql: 'INSERT INTO public.events SELECT * FROM stage_orders', start: T0 + 4 * MIN, inserts: [{ tbl: 300003, rows: 9 }], scans: [300002, 987654] },
        // A DELETE: reported, never a write of data.
        { query: 5006, userid: 101, sql: "DELETE FROM public.customers USING public.orders WHERE customers.id = orders.customer_id AND orders.status = 'x'", start: T0 + 5 * MIN, deletes: [{ tbl: 100002, rows: 4 }], scans: [100001, 100002] },
        // An UPDATE (Redshift logs delete + insert of the changed rows).
        { query: 5007, userid: 100, sql: 'UPDATE public.orders SET amount = c.credit FROM public.customers c WHERE orders.customer_id = c.id', start: T0 + 6 * MIN, inserts: [{ tbl: 100001, rows: 6 }], deletes: [{ tbl: 100001, rows: 6 }], scans: [100001, 100002] },
        // dbt's query comment and a query group label.
        { query: 5008, userid: 120, label: 'nightly_orders', sql: '/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "shop", "target_name": "prod", "node_id": "model.shop.daily_revenue"} */\ninsert into analytics.daily_revenue select 1', start: T0 + 7 * MIN, inserts: [{ tbl: 100004, rows: 1 }] },
      ],
      utility: [
        { xid: 777, pid: 10, userid: 102, sql: 'TRUNCATE TABLE analytics.customer_ltv;', start: T0 + 8 * MIN },
        { xid: 778, pid: 10, userid: 102, sql: 'truncate stage_orders', start: T0 + 9 * MIN },
        { xid: 779, pid: 11, userid: 1, sql: 'TRUNCATE analytics.daily_revenue', start: T0 + 10 * MIN },
      ],
    });
  });
  afterAll(async () => {
    await fake?.drop();
  });

  const pull = (window?: { from: number; to: number }) =>
    collectPull(
      redshiftConnectorFactory.create(redshiftConnectorFactory.configSchema.parse(fake.config())),
      null,
      testContext({ now: NOW, connectorId: 'rs', window }),
    );

  it('rdsdb (userid 1) yields no observed write and no job lineage', async () => {
    const r = await pull();
    expect(r.writes.some((w) => w.queryId === '5001' || w.queryId === 'xid:779:11')).toBe(false);
    expect(r.events.some((e) => e.run.facets.externalQuery.externalQueryId === '5001')).toBe(false);
  });

  it('a materialized view is named by the view, its lineage from its definition; a refresh is one REFRESH', async () => {
    const r = await pull();
    const create = r.writes.filter((w) => w.queryId === '5002');
    expect(create).toEqual([expect.objectContaining({ dataset: ds('dev.sales.mv_daily'), operation: 'CTAS', sources: [ds('dev.public.orders')] })]);
    const refresh = r.writes.filter((w) => w.queryId === '5003');
    expect(refresh).toEqual([expect.objectContaining({ dataset: ds('dev.sales.mv_daily'), operation: 'REFRESH', rows: 4, sources: [ds('dev.public.orders')] })]);
    const names = r.events.flatMap((e) => [...e.inputs, ...e.outputs].map((d: any) => d.name));
    expect(names.some((n: string) => n.includes('mv_tbl__'))).toBe(false);
  });

  it('pg_temp_* tables and unlisted ids are never datasets, and never coverage gaps', async () => {
    const r = await pull();
    expect(r.writes.some((w) => w.queryId === '5004')).toBe(false);
    expect(r.writes.filter((w) => w.queryId === '5005')).toEqual([expect.objectContaining({ dataset: ds('dev.public.events'), sources: [] })]);
    expect(r.writes.some((w) => w.queryId === 'xid:778:10')).toBe(false);
    const ids = r.events.flatMap((e) => [...e.inputs, ...e.outputs].map((d: any) => d.name));
    expect(ids.some((n: string) => n.includes('pg_temp') || n.includes('stage_orders'))).toBe(false);
    expect(r.batches.flatMap((b) => b.coverage.gaps)).toEqual([]);
  });

  it('DELETE and TRUNCATE are reported with their operation, never as writes of data', async () => {
    const r = await pull();
    expect(r.writes.filter((w) => w.queryId === '5006')).toEqual([
      expect.objectContaining({ dataset: ds('dev.public.customers'), operation: 'DELETE', rows: 4, sources: [], actor: 'analyst' }),
    ]);
    expect(r.writes.filter((w) => w.queryId === 'xid:777:10')).toEqual([
      expect.objectContaining({ dataset: ds('dev.analytics.customer_ltv'), operation: 'TRUNCATE', sources: [], actor: 'loader' }),
    ]);
    expect(r.events.some((e) => e.run.facets.externalQuery.externalQueryId === '5006')).toBe(false);
    expect(r.writes.filter((w) => w.queryId === '5007')).toEqual([
      expect.objectContaining({ dataset: ds('dev.public.orders'), operation: 'UPDATE', rows: 6, sources: [ds('dev.public.customers')] }),
    ]);
  });

  it('carries the job hints Redshift keeps: dbt query comment and query group label', async () => {
    const r = await pull();
    const w = r.writes.find((x) => x.queryId === '5008')!;
    expect(w).toMatchObject({ actor: 'dbt_runner', operation: 'INSERT', hints: { dbtNode: 'model.shop.daily_revenue', queryLabel: 'nightly_orders' } });
    expect(r.events.find((e) => e.run.facets.externalQuery.externalQueryId === '5008')!.job.name).toBe('nightly_orders');
  });

  it('explicit windows are half-open: adjacent windows give exactly what one window over both gives', async () => {
    const key = (w: { queryId: string; dataset: string }) => `${w.queryId}|${w.dataset}`;
    const whole = await pull({ from: T0, to: T0 + 11 * MIN });
    // The border falls exactly on statement 5005's start time: it belongs to the second window only.
    const a = await pull({ from: T0, to: T0 + 4 * MIN });
    const b = await pull({ from: T0 + 4 * MIN, to: T0 + 11 * MIN });
    expect(whole.writes.length).toBeGreaterThan(5);
    expect([...a.writes, ...b.writes].map(key).sort()).toEqual(whole.writes.map(key).sort());
    expect([...a.events, ...b.events].map((e) => e.run.runId).sort()).toEqual(whole.events.map((e) => e.run.runId).sort());
    expect(a.writes.some((w) => w.queryId === '5005')).toBe(false);
    expect(b.writes.some((w) => w.queryId === '5005')).toBe(true);
    for (const batch of [...a.batches, ...b.batches]) {
      expect(batch.coverage.windowStart).toBeGreaterThanOrEqual(T0);
      expect(batch.coverage.windowEnd).toBeLessThanOrEqual(T0 + 11 * MIN);
    }
  });
});
