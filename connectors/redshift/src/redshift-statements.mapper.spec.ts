/**
 * The statement mapper on system-view rows shaped as AWS documents them (STL_QUERY, STL_QUERYTEXT, STL_INSERT,
 * STL_DELETE, STL_SCAN, SVV_TABLE_INFO, SVL_STATEMENTTEXT), through a stand-in session that answers each view the
 * way `pg` decodes it: character(n) padded with blanks, bigint as strings. Cases written from the AWS pages, not
 * from the connector's fixtures.
 */
import { testContext } from '@lineage-hub/connector-sdk/testing';
import { datasetId } from '@lineage-hub/model';
import { redshiftConfigSchema } from './redshift.config';
import type { RedshiftSession } from './redshift-session';
import { RedshiftStatementMapper } from './redshift-statements.mapper';
import type { StatementRow, UtilityRow } from './redshift-system-views';

const NS = 'redshift://analytics.eu-west-1:5439';
const ds = (name: string) => datasetId(NS, name);
const char = (text: string, n: number) => text.padEnd(n, ' ');
const T = Date.UTC(2026, 10, 20, 9, 0, 0);

/** Splits SQL the way STL_QUERYTEXT stores it: newlines written as `\n`, then 200-character char(200) rows. */
const querytext = (sql: string) => {
  const escaped = sql.replace(/\n/g, '\\n');
  const out: Array<{ sequence: number; text: string }> = [];
  for (let i = 0; i < escaped.length; i += 200) out.push({ sequence: i / 200, text: char(escaped.slice(i, i + 200), 200) });
  return out;
};

interface Catalog {
  tables: Array<{ id: number; database: string; schema: string; name: string }>;
  users: Array<[number, string]>;
  statements: Array<{
    row: Partial<StatementRow> & { query: number };
    texts?: Array<{ sequence: number; text: string }>;
    inserts?: Array<[number, number]>;
    deletes?: Array<[number, number]>;
    scans?: number[];
  }>;
}

/** Answers the mapper's statements from a catalog, by which view each one reads. */
const sessionFor = (catalog: Catalog) =>
  ({
    async query(statement: { text: string; values: unknown[] }) {
      const ids = new Set(statement.values.map(Number));
      const mine = catalog.statements.filter((s) => ids.has(s.row.query));
      if (/FROM stl_insert/.test(statement.text)) {
        return mine.flatMap((s) => {
          const by = new Map<number, { inserted: number; deleted: number }>();
          for (const [tbl, rows] of s.inserts ?? []) by.set(tbl, { inserted: (by.get(tbl)?.inserted ?? 0) + rows, deleted: by.get(tbl)?.deleted ?? 0 });
          for (const [tbl, rows] of s.deletes ?? []) by.set(tbl, { inserted: by.get(tbl)?.inserted ?? 0, deleted: (by.get(tbl)?.deleted ?? 0) + rows });
          return [...by].map(([tbl, w]) => ({ query: s.row.query, tbl, inserted: String(w.inserted), deleted: String(w.deleted) }));
        });
      }
      if (/FROM stl_scan/.test(statement.text)) return mine.flatMap((s) => (s.scans ?? []).map((tbl) => ({ query: s.row.query, tbl })));
      if (/FROM stl_querytext/.test(statement.text)) return mine.flatMap((s) => (s.texts ?? []).map((p) => ({ query: s.row.query, ...p })));
      if (/FROM svv_table_info WHERE table_id IN/.test(statement.text))
        return catalog.tables.filter((t) => ids.has(t.id)).map((t) => ({ table_id: t.id, database: t.database, schema: t.schema, name: t.name }));
      if (/FROM svv_table_info WHERE LOWER/.test(statement.text)) {
        const [schema, name] = statement.values as string[];
        return catalog.tables
          .filter((t) => t.schema.toLowerCase() === schema && t.name.toLowerCase() === name)
          .map((t) => ({ table_id: t.id, database: t.database, schema: t.schema, name: t.name }));
      }
      if (/FROM pg_user/.test(statement.text))
        return catalog.users.filter(([id]) => ids.has(id)).map(([usesysid, usename]) => ({ usesysid, usename: char(usename, 64) }));
      throw new Error(`unexpected statement ${statement.text}`);
    },
  }) as unknown as RedshiftSession;

const config = redshiftConfigSchema.parse({
  host: '127.0.0.1',
  database: 'dev',
  user: 'lineage',
  clusterIdentifier: 'analytics',
  region: 'eu-west-1',
});

const TABLES: Catalog['tables'] = [
  { id: 200100, database: 'dev', schema: 'sales', name: 'orders' },
  { id: 200101, database: 'dev', schema: 'finance', name: 'fx_rates' },
  { id: 200102, database: 'dev', schema: 'analytics', name: 'orders_eur' },
  { id: 200103, database: 'dev', schema: 'staging', name: 'customers_delta' },
  { id: 200104, database: 'dev', schema: 'crm', name: 'customers' },
  { id: 200105, database: 'dev', schema: 'analytics', name: 'order items' },
  { id: 200106, database: 'dev', schema: 'analytics', name: 'mv_tbl__mv_revenue__0' },
  { id: 200107, database: 'dev', schema: 'Sales', name: 'OrderItems' },
];
const USERS: Catalog['users'] = [
  [1, 'rdsdb'],
  [105, 'etl_user'],
];

const row = (query: number, over: Partial<StatementRow> = {}): Partial<StatementRow> & { query: number } => ({
  query,
  xid: String(query * 10),
  userid: 105,
  database: 'dev',
  label: 'default',
  starttime: new Date(T + query),
  endtime: new Date(T + query + 500),
  querytxt: '',
  ...over,
});

const describe1 = async (statement: Catalog['statements'][number]) => {
  const mapper = new RedshiftStatementMapper(config, NS);
  const ctx = testContext({ connectorId: 'rs' });
  return mapper.describe([statement.row as StatementRow], sessionFor({ tables: TABLES, users: USERS, statements: [statement] }), ctx);
};

describe('RedshiftStatementMapper on documented STL rows', () => {
  it('rebuilds multi-piece text whose \\n escape is cut by the 200-character border, read out of order, for an INSERT ... SELECT across schemas', async () => {
    const head = `INSERT INTO analytics.orders_eur /* ${'x'.repeat(160 - 37)} */`;
    // The escaped newline starts at character 199 of piece 0: "\" ends piece 0 and "n" starts piece 1.
    const sql = `${head.padEnd(199, ' ')}\nSELECT o.id, o.amount * r.rate AS amount_eur\nFROM sales.orders o\nJOIN finance.fx_rates r ON r.currency = o.currency`;
    const texts = querytext(sql);
    expect(texts[0].text.endsWith('\\')).toBe(true);
    const { writes, events } = await describe1({ row: row(9001), texts: [...texts].reverse(), inserts: [[200102, 12]], scans: [200100, 200101] });
    expect(writes).toEqual([
      expect.objectContaining({
        dataset: ds('dev.analytics.orders_eur'),
        operation: 'INSERT',
        rows: 12,
        queryText: sql,
        sources: [ds('dev.sales.orders'), ds('dev.finance.fx_rates')],
        actor: 'etl_user',
      }),
    ]);
    expect(events[0].inputs.map((i: { name: string }) => i.name)).toEqual(['dev.sales.orders', 'dev.finance.fx_rates']);
  });

  it('keeps a real blank at a piece border inside a quoted identifier and trims only the last piece', async () => {
    // `"order items"` straddles the border: piece 0 ends with `"order`, piece 1 starts with ` items"`.
    const lead = 'INSERT INTO analytics."order';
    const sql = `/* ${'f'.repeat(200 - lead.length - 7)} */ ${lead} items" SELECT * FROM sales.orders`;
    const texts = querytext(sql);
    expect(texts[0].text.endsWith('"order')).toBe(true);
    expect(texts[1].text.startsWith(' items"')).toBe(true);
    const { writes } = await describe1({ row: row(9002), texts, inserts: [[200105, 3]], scans: [200100] });
    expect(writes[0].queryText).toBe(sql);
    expect(writes[0].dataset).toBe(ds('dev.analytics.order items'));
  });

  it('reads padded CHAR columns (database char(32), label char(320), user name) without their blanks', async () => {
    const { writes, events } = await describe1({
      row: row(9003, { database: char('dev', 32), label: char('nightly_fx', 320), querytxt: char('insert into analytics.orders_eur select 1', 4000) }),
      inserts: [[200102, 1]],
    });
    expect(writes[0]).toMatchObject({ actor: 'etl_user', queryText: 'insert into analytics.orders_eur select 1', hints: { queryLabel: 'nightly_fx' } });
    expect(events[0].job.name).toBe('nightly_fx');
  });

  it('a CTAS with a column-name list longer than any prefix is CTAS, not INSERT', async () => {
    const columns = Array.from({ length: 40 }, (_, i) => `customer_attribute_${i}`).join(', ');
    const sql = `CREATE TABLE crm.customers (${columns}) DISTSTYLE KEY DISTKEY (customer_attribute_0) AS SELECT * FROM staging.customers_delta`;
    const { writes } = await describe1({ row: row(9004), texts: querytext(sql), inserts: [[200104, 40]], scans: [200103] });
    expect(writes).toEqual([expect.objectContaining({ dataset: ds('dev.crm.customers'), operation: 'CTAS', sources: [ds('dev.staging.customers_delta')] })]);
  });

  it('SELECT ... INTO after a long WITH clause is SELECT INTO', async () => {
    const ctes = Array.from({ length: 8 }, (_, i) => `c${i} AS (SELECT id, amount FROM sales.orders WHERE region_code = 'region_${i}')`).join(', ');
    const sql = `WITH ${ctes} SELECT * INTO analytics.orders_eur FROM c0 UNION ALL SELECT * FROM c1`;
    const { writes } = await describe1({ row: row(9005), texts: querytext(sql), inserts: [[200102, 8]], scans: [200100] });
    expect(writes[0]).toMatchObject({ operation: 'SELECT INTO', sources: [ds('dev.sales.orders')] });
  });

  it('MERGE (delete + insert on the target) is one MERGE write fed by the source, not by the target itself', async () => {
    const sql = 'MERGE INTO crm.customers USING staging.customers_delta s ON customers.id = s.id\nWHEN MATCHED THEN UPDATE SET name = s.name\nWHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name)';
    const { writes, events } = await describe1({ row: row(9006), texts: querytext(sql), inserts: [[200104, 7]], deletes: [[200104, 4]], scans: [200103, 200104] });
    expect(writes).toEqual([expect.objectContaining({ dataset: ds('dev.crm.customers'), operation: 'MERGE', rows: 7, sources: [ds('dev.staging.customers_delta')] })]);
    expect(events[0].outputs.map((o: { name: string }) => o.name)).toEqual(['dev.crm.customers']);
  });

  it('COPY from Amazon S3 names the S3 object as its source (namespace s3://bucket, name = key)', async () => {
    const sql = "copy sales.orders (id, amount, currency)\nfrom 's3://acme-landing/orders/2026/11/20/'\niam_role 'arn:aws:iam::123456789012:role/RedshiftCopy'\nformat as parquet";
    const { writes, events } = await describe1({ row: row(9007), texts: querytext(sql), inserts: [[200100, 1000]] });
    expect(writes[0]).toMatchObject({ dataset: ds('dev.sales.orders'), operation: 'COPY', rows: 1000, sources: [datasetId('s3://acme-landing', 'orders/2026/11/20')] });
    // The key prefix is the dataset (a "directory" of files); the canonical name drops its trailing "/".
    expect(events[0].inputs).toEqual([expect.objectContaining({ namespace: 's3://acme-landing', name: 'orders/2026/11/20' })]);
  });

  it('names quoted mixed-case tables in lower case (Redshift folds identifiers by default)', async () => {
    const sql = 'INSERT INTO "Sales"."OrderItems" SELECT * FROM sales.orders';
    const { writes } = await describe1({ row: row(9008), texts: querytext(sql), inserts: [[200107, 2]], scans: [200100] });
    expect(writes[0].dataset).toBe(ds('dev.sales.orderitems'));
  });

  it('an AUTO REFRESH of a materialized view (label "maintenance") is the system, whichever user it runs as', async () => {
    const sql = 'REFRESH MATERIALIZED VIEW analytics.mv_revenue';
    const { writes, events } = await describe1({
      row: row(9009, { label: char('maintenance', 320) }),
      texts: querytext(sql),
      inserts: [[200106, 5]],
      deletes: [[200106, 5]],
      scans: [200100],
    });
    expect(writes).toEqual([]);
    expect(events).toEqual([]);
  });

  it('without STL_QUERYTEXT pieces, falls back to STL_QUERY.querytxt with its \\n escapes turned into newlines', async () => {
    const { writes } = await describe1({
      row: row(9010, { querytxt: char('insert into analytics.orders_eur\\nselect * from sales.orders', 4000) }),
      inserts: [[200102, 4]],
      scans: [200100],
    });
    expect(writes[0].queryText).toBe('insert into analytics.orders_eur\nselect * from sales.orders');
  });

  it('puts a TRUNCATE back together from its SVL_STATEMENTTEXT pieces when a long comment pushes it past the first 200 characters', async () => {
    const mapper = new RedshiftStatementMapper(config, NS);
    const comment = `/* {"app": "dbt", "node_id": "model.shop.orders_eur", "invocation": "${'0'.repeat(150)}"} */`;
    const sql = `${comment}\ntruncate table analytics.orders_eur`;
    const pieces: UtilityRow[] = querytext(sql).map((p) => ({ xid: '4400', pid: 77, userid: 105, label: '', starttime: new Date(T), endtime: new Date(T + 40), ...p }));
    expect(pieces).toHaveLength(2);
    const writes = await mapper.describeTruncates([pieces[1], pieces[0]], sessionFor({ tables: TABLES, users: USERS, statements: [] }), testContext({ connectorId: 'rs' }), 'dev');
    expect(writes).toEqual([
      expect.objectContaining({ dataset: ds('dev.analytics.orders_eur'), operation: 'TRUNCATE', sources: [], queryText: sql, hints: expect.objectContaining({ dbtNode: 'model.shop.orders_eur' }) }),
    ]);
  });
});
