/** OpenLineage transformation types on column edges and dataset-level dependencies. */
import { extractLineage, type SqlLineageResult } from '@lineage-hub/sql-lineage';

const edges = (r: SqlLineageResult) =>
  Object.fromEntries(
    r.columnLineage.map((e) => [
      e.downstream.column,
      e.upstreams.map((u) => `${u.table}.${u.column}=${u.transformations.map((t) => `${t.type}/${t.subtype}`).sort().join('+')}`).sort(),
    ]),
  );

describe('transformation types', () => {
  it('types each upstream of each column', () => {
    const r = extractLineage({
      dialect: 'snowflake',
      sql: `INSERT INTO out_t
            SELECT id,
                   CAST(amount AS NUMBER(10,2)) AS amount_num,
                   SUM(amount) OVER (PARTITION BY region ORDER BY day) AS running,
                   COUNT(DISTINCT customer) AS customers,
                   CASE WHEN status = 'X' THEN note ELSE NULL END AS x_note,
                   COUNT(*) AS n
            FROM sales GROUP BY id, amount, region, day, status, note`,
    });
    expect(edges(r)).toEqual({
      ID: ['SALES.ID=DIRECT/IDENTITY'],
      AMOUNT_NUM: ['SALES.AMOUNT=DIRECT/TRANSFORMATION'],
      RUNNING: ['SALES.AMOUNT=DIRECT/AGGREGATION', 'SALES.DAY=INDIRECT/WINDOW', 'SALES.REGION=INDIRECT/WINDOW'],
      CUSTOMERS: ['SALES.CUSTOMER=DIRECT/AGGREGATION'],
      X_NOTE: ['SALES.NOTE=DIRECT/IDENTITY', 'SALES.STATUS=INDIRECT/CONDITIONAL'],
      N: ['SALES.*=DIRECT/AGGREGATION'],
    });
  });

  it('composes through CTEs and temporary tables: the strongest transformation wins', () => {
    const r = extractLineage({
      dialect: 'redshift',
      sql: `CREATE TEMP TABLE t AS SELECT k, SUM(v) AS total FROM src GROUP BY k;
            INSERT INTO dst WITH c AS (SELECT k, total FROM t) SELECT k, total * 2 AS doubled, total FROM c;`,
    });
    expect(edges(r)).toEqual({
      k: ['src.k=DIRECT/IDENTITY'],
      doubled: ['src.v=DIRECT/AGGREGATION'],
      total: ['src.v=DIRECT/AGGREGATION'],
    });
    expect(r.inTables).toEqual(['src']);
    expect(r.outTables).toEqual(['dst']);
  });

  it('lists the dataset-level INDIRECT dependencies: JOIN, FILTER, GROUP_BY, SORT, WINDOW, CONDITIONAL', () => {
    const r = extractLineage({
      dialect: 'bigquery',
      sql: `SELECT o.region, SUM(o.amount) AS total, IF(MAX(o.flag), 'y', 'n') AS any_flag
            FROM ds.orders o JOIN ds.shops s ON o.shop_id = s.id
            WHERE s.active
            GROUP BY o.region
            HAVING COUNT(*) > 1
            QUALIFY ROW_NUMBER() OVER (PARTITION BY o.region ORDER BY SUM(o.amount)) = 1
            ORDER BY total DESC`,
    });
    const level = r.datasetLevel.map((d) => `${d.subtype}:${d.table}.${d.column}`).sort();
    expect(level).toEqual([
      'CONDITIONAL:ds.orders.flag',
      'FILTER:ds.orders.amount',
      'FILTER:ds.orders.region',
      'FILTER:ds.shops.active',
      'GROUP_BY:ds.orders.region',
      'JOIN:ds.orders.shop_id',
      'JOIN:ds.shops.id',
      'SORT:ds.orders.amount',
      'WINDOW:ds.orders.amount',
      'WINDOW:ds.orders.region',
    ]);
  });
});
