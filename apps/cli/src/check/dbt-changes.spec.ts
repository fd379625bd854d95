import { dbtChanges } from './dbt-changes';
import { parseChangesFile } from './changes-file';
import { schemaFacetChanges } from './schema-facet-changes';

const model = (name: string, columns: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  unique_id: `model.shop.${name}`,
  resource_type: 'model',
  database: 'analytics',
  schema: 'mart',
  name,
  alias: name,
  original_file_path: `models/${name}.sql`,
  config: { materialized: 'table' },
  columns: Object.fromEntries(Object.entries(columns).map(([c, t]) => [c, { name: c, data_type: t }])),
  ...extra,
});
const manifest = (...nodes: any[]) => ({ metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json', adapter_type: 'snowflake' }, nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])) });
const files = { base: 'base/manifest.json', head: 'head/manifest.json' };

describe('dbt manifest pair', () => {
  it('finds removed models, column drops and type changes, named as dbt OpenLineage names them', () => {
    const base = manifest(model('orders', { id: 'number', amount: 'number(10,2)', note: 'varchar' }), model('legacy', { id: 'number' }), model('eph', {}, { config: { materialized: 'ephemeral' } }));
    const head = manifest(model('orders', { id: 'varchar', amount: 'number(10,2)' }));
    expect(dbtChanges(base, head, files, 'snowflake://acme')).toEqual([
      { kind: 'column-dropped', dataset: 'dataset:snowflake://acme:ANALYTICS.MART.ORDERS', column: 'note', fromType: 'varchar', file: 'models/orders.sql', line: 1 },
      { kind: 'column-type-changed', dataset: 'dataset:snowflake://acme:ANALYTICS.MART.ORDERS', column: 'id', fromType: 'number', toType: 'varchar', file: 'models/orders.sql', line: 1 },
      { kind: 'dataset-removed', dataset: 'dataset:snowflake://acme:ANALYTICS.MART.LEGACY', file: 'models/legacy.sql', line: 1 },
    ]);
  });

  it('a model moved to another alias is a renamed dataset', () => {
    const head = manifest(model('orders', { id: 'number' }, { alias: 'orders_v2' }));
    expect(dbtChanges(manifest(model('orders', { id: 'number' })), head, files, 'snowflake://acme')).toEqual([
      { kind: 'dataset-renamed', dataset: 'dataset:snowflake://acme:ANALYTICS.MART.ORDERS', renamedTo: 'dataset:snowflake://acme:ANALYTICS.MART.ORDERS_V2', file: 'models/orders.sql', line: 1 },
    ]);
  });

  it('needs a namespace except on BigQuery', () => {
    expect(() => dbtChanges(manifest(), manifest(), files)).toThrow(/--namespace is required/);
    const bq = { ...manifest(), metadata: { dbt_schema_version: 'x', adapter_type: 'bigquery' } };
    expect(dbtChanges(bq, bq, files)).toEqual([]);
  });
});

describe('OpenLineage schema facets', () => {
  const event = (fields: Array<{ name: string; type: string }>, facets: Record<string, unknown> = {}) => ({ eventType: 'COMPLETE', outputs: [{ namespace: 'postgres://db:5432', name: 'shop.public.Orders', facets: { schema: { fields }, ...facets } }] });
  it('compares the schema of datasets present in both and reads DROP lifecycle facets', () => {
    const base = [event([{ name: 'id', type: 'int' }, { name: 'amount', type: 'numeric' }])];
    const head = [event([{ name: 'id', type: 'int' }])];
    expect(schemaFacetChanges(base, head, files)).toEqual([{ kind: 'column-dropped', dataset: 'dataset:postgres://db:5432:shop.public.orders', column: 'amount', fromType: 'numeric', file: 'head/manifest.json' }]);
    expect(schemaFacetChanges([], [event([], { lifecycleStateChange: { lifecycleStateChange: 'DROP' } })], files)).toEqual([{ kind: 'dataset-removed', dataset: 'dataset:postgres://db:5432:shop.public.orders', file: 'head/manifest.json' }]);
  });
});

describe('plain changes file', () => {
  it('reads YAML with ids or namespace+name', () => {
    const text = 'changes:\n  - kind: column-dropped\n    dataset: dataset:snowflake://ACME:analytics.mart.orders\n    column: AMOUNT\n  - kind: dataset-removed\n    dataset: {namespace: bigquery, name: p.d.t}\n';
    expect(parseChangesFile(text, 'changes.yaml')).toEqual([
      { kind: 'column-dropped', dataset: 'dataset:snowflake://acme:ANALYTICS.MART.ORDERS', column: 'AMOUNT', file: 'changes.yaml' },
      { kind: 'dataset-removed', dataset: 'dataset:bigquery:p.d.t', file: 'changes.yaml' },
    ]);
  });

  it.each([
    ['[{"kind": "column-exploded", "dataset": "dataset:n:t"}]', /changes\[0\]\.kind: "column-exploded" is not one of/],
    ['[{"kind": "column-dropped", "dataset": "dataset:n:t"}]', /changes\[0\]\.column: is required for column-dropped/],
    ['[{"kind": "dataset-removed", "dataset": "orders"}]', /changes\[0\]\.dataset: "orders" is not a dataset id/],
    ['[{"kind": "column-renamed", "dataset": "dataset:n:t", "column": "a"}]', /changes\[0\]\.renamedTo: is required/],
    ['{"nope": 1}', /expected a list of changes/],
    ['{not json', /cannot parse/],
  ])('refuses %s naming what is wrong', (text, message) => {
    expect(() => parseChangesFile(text, 'c.json')).toThrow(message);
  });
});
