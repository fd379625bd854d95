/**
 * Transactions and long utility text on the wire-level fake, rows written from AWS's documentation:
 * - STL_QUERY.aborted = 1 marks a statement that was cancelled or failed; in a transaction block that aborts the
 *   whole transaction, so the block's earlier writes (aborted = 0) never committed.
 * - STL_UTILITYTEXT / SVL_STATEMENTTEXT log BEGIN, COMMIT, ROLLBACK, ABORT and TRUNCATE with the transaction's xid;
 *   texts longer than 200 characters continue in rows numbered by `sequence`.
 * - STL_INSERT has one row per slice: a statement's rows are their sum.
 */
import { collectPull, testContext } from '@lineage-hub/connector-sdk/testing';
import { datasetId } from '@lineage-hub/model';
import { redshiftConnectorFactory } from '@lineage-hub/connector-redshift';
import * as redshiftTesting from '@lineage-hub/connector-redshift/testing';

const { RedshiftFake, writeCustom } = redshiftTesting;
const HOUR = 3_600_000;
const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const NS = 'redshift://analytics-cluster.eu-west-1:5439';
const ds = (name: string) => datasetId(NS, name);

describe('redshift transactions and long utility text on the fake', () => {
  let fake: Awaited<ReturnType<typeof RedshiftFake.create>>;
  const T0 = NOW - 2 * HOUR;

  beforeAll(async () => {
    fake = await RedshiftFake.create();
    const dbtComment = `/* {"app": "dbt", "dbt_version": "1.8.0", "profile_name": "shop", "target_name": "prod", "node_id": "model.shop.customer_ltv", "invocation_id": "${'a'.repeat(120)}"} */`;
    await writeCustom(fake, {
      statements: [
        // BEGIN; INSERT ...; ROLLBACK;  The INSERT completed (aborted = 0) but was undone.
        { query: 7001, xid: 880001, userid: 100, sql: 'INSERT INTO analytics.daily_revenue SELECT order_date, sum(amount) FROM public.orders GROUP BY 1', start: T0, inserts: [{ tbl: 100004, rows: 30 }], scans: [100001] },
        // BEGIN; INSERT ... (ok); INSERT ... (fails: aborted = 1);  The first insert is rolled back with the transaction.
        { query: 7002, xid: 880002, userid: 100, sql: 'INSERT INTO analytics.customer_ltv SELECT id, 0 FROM public.customers', start: T0 + 1 * MIN, inserts: [{ tbl: 100005, rows: 12 }], scans: [100002] },
        { query: 7003, xid: 880002, userid: 100, sql: 'INSERT INTO analytics.customer_ltv SELECT id, 1 / 0 FROM public.customers', start: T0 + 2 * MIN, aborted: true, inserts: [{ tbl: 100005, rows: 0 }], scans: [100002] },
        // A cancelled statement on its own (autocommit).
        { query: 7004, xid: 880003, userid: 101, sql: 'INSERT INTO public.payments SELECT * FROM public.orders', start: T0 + 3 * MIN, aborted: true, inserts: [{ tbl: 100003, rows: 5 }], scans: [100001] },
        // BEGIN; INSERT ...; COMMIT;  Committed: reported, its rows summed over the four slices that wrote.
        {
          query: 7005,
          xid: 880004,
          userid: 100,
          sql: 'INSERT INTO analytics.daily_revenue\nSELECT order_date, sum(amount) FROM public.orders GROUP BY 1',
          start: T0 + 4 * MIN,
          inserts: [0, 1, 2, 3].map((slice) => ({ tbl: 100004, rows: 10 + slice, slice })),
          scans: [100001],
        },
      ],
      utility: [
        { xid: 880001, pid: 3001, userid: 100, sql: 'BEGIN;', start: T0 - 1000 },
        { xid: 880001, pid: 3001, userid: 100, sql: 'ROLLBACK;', start: T0 + 30_000 },
        { xid: 880004, pid: 3002, userid: 100, sql: 'BEGIN;', start: T0 + 4 * MIN - 1000 },
        { xid: 880004, pid: 3002, userid: 100, sql: 'COMMIT;', start: T0 + 4 * MIN + 30_000 },
        // dbt's query comment pushes the TRUNCATE past the first 200-character row.
        { xid: 880005, pid: 3003, userid: 102, sql: `${dbtComment}\ntruncate table analytics.customer_ltv`, start: T0 + 5 * MIN },
      ],
    });
  });
  afterAll(async () => {
    await fake?.drop();
  });

  const pull = () =>
    collectPull(redshiftConnectorFactory.create(redshiftConnectorFactory.configSchema.parse(fake.config())), null, testContext({ now: NOW, connectorId: 'rs' }));

  it('reports no write of a transaction ended by ROLLBACK', async () => {
    const r = await pull();
    expect(r.writes.some((w) => w.queryId === '7001')).toBe(false);
    expect(r.events.some((e) => e.run.facets.externalQuery.externalQueryId === '7001')).toBe(false);
  });

  it('reports no write of a transaction one of whose statements aborted, nor of the aborted statement', async () => {
    const r = await pull();
    expect(r.writes.filter((w) => ['7002', '7003', '7004'].includes(w.queryId))).toEqual([]);
  });

  it('reports a committed transaction, with its rows summed over the slices and its text rebuilt', async () => {
    const r = await pull();
    expect(r.writes.filter((w) => w.queryId === '7005')).toEqual([
      expect.objectContaining({
        dataset: ds('dev.analytics.daily_revenue'),
        operation: 'INSERT',
        rows: 46,
        sources: [ds('dev.public.orders')],
        queryText: 'INSERT INTO analytics.daily_revenue\nSELECT order_date, sum(amount) FROM public.orders GROUP BY 1',
      }),
    ]);
  });

  it('finds a TRUNCATE whose keyword sits in the second 200-character row, with its dbt hints', async () => {
    const r = await pull();
    expect(r.writes.filter((w) => w.operation === 'TRUNCATE')).toEqual([
      expect.objectContaining({ dataset: ds('dev.analytics.customer_ltv'), actor: 'loader', sources: [], hints: expect.objectContaining({ dbtNode: 'model.shop.customer_ltv' }) }),
    ]);
  });
});
