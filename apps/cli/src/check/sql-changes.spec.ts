import { sqlChanges } from './sql-changes';

const changes = (text: string, dialect: 'postgres' | 'snowflake' | 'bigquery' | 'redshift' = 'postgres', namespace = 'postgres://db:5432') =>
  sqlChanges({ file: 'migration.sql', text, dialect, namespace, defaultDatabase: 'shop', defaultSchema: 'public' }).map(({ file: _f, ...c }) => c);

describe('lineage check --sql: changes read from DDL', () => {
  it.each([
    ['ALTER TABLE orders DROP COLUMN amount', [{ kind: 'column-dropped', dataset: 'dataset:postgres://db:5432:shop.public.orders', column: 'amount', line: 1 }]],
    ['ALTER TABLE IF EXISTS sales.orders DROP COLUMN IF EXISTS amount CASCADE, DROP note', [
      { kind: 'column-dropped', dataset: 'dataset:postgres://db:5432:shop.sales.orders', column: 'amount', line: 1 },
      { kind: 'column-dropped', dataset: 'dataset:postgres://db:5432:shop.sales.orders', column: 'note', line: 1 },
    ]],
    ['ALTER TABLE orders RENAME COLUMN amount TO total', [{ kind: 'column-renamed', dataset: 'dataset:postgres://db:5432:shop.public.orders', column: 'amount', renamedTo: 'total', line: 1 }]],
    ['ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,2) USING amount::numeric', [{ kind: 'column-type-changed', dataset: 'dataset:postgres://db:5432:shop.public.orders', column: 'amount', toType: 'numeric(12,2)', line: 1 }]],
    ['ALTER TABLE orders ALTER COLUMN amount SET DEFAULT 0', []],
    ['ALTER TABLE orders ADD COLUMN note text', [{ kind: 'column-added', dataset: 'dataset:postgres://db:5432:shop.public.orders', column: 'note', toType: 'text', line: 1 }]],
    ['ALTER TABLE orders DROP CONSTRAINT orders_pk', []],
    ['DROP TABLE IF EXISTS a.b, c', [
      { kind: 'dataset-removed', dataset: 'dataset:postgres://db:5432:shop.a.b', line: 1 },
      { kind: 'dataset-removed', dataset: 'dataset:postgres://db:5432:shop.public.c', line: 1 },
    ]],
    ['ALTER TABLE orders RENAME TO orders_v1', [{ kind: 'dataset-renamed', dataset: 'dataset:postgres://db:5432:shop.public.orders', renamedTo: 'dataset:postgres://db:5432:shop.public.orders_v1', line: 1 }]],
  ])('%s', (sql, expected) => {
    expect(changes(sql)).toEqual(expected);
  });

  it('keeps the line of each statement of a script and skips comments and DML', () => {
    const sql = '-- migration 12\nINSERT INTO log VALUES (1);\n\n/* drop the old column */\nALTER TABLE "Orders" DROP COLUMN "Amount";\n';
    // quoted identifiers keep their case, as libs/model's canonical names keep them
    expect(changes(sql)).toEqual([{ kind: 'column-dropped', dataset: 'dataset:postgres://db:5432:shop.public."Orders"', column: 'Amount', line: 5 }]);
  });

  it('folds Snowflake names to upper case and reads MODIFY ... SET DATA TYPE', () => {
    expect(changes('ALTER TABLE analytics.mart.orders MODIFY COLUMN amount SET DATA TYPE number(20,2)', 'snowflake', 'snowflake://acme')).toEqual([
      { kind: 'column-type-changed', dataset: 'dataset:snowflake://acme:ANALYTICS.MART.ORDERS', column: 'amount', toType: 'number(20,2)', line: 1 },
    ]);
  });

  it('refuses a statement libs/sql-lineage cannot read, naming file and line', () => {
    expect(() => changes('ALTER TABLE orders DROP COLUMN a;\nSELECT FROM WHERE (;')).toThrow(/migration.sql:2: libs\/sql-lineage cannot read/);
  });
});
