import { inheritHints, jobHints, labelForm, parseQueryComment } from './job-hints';
import { isDataWrite, isWriteOperation } from './write-operation';

describe('job hints', () => {
  const dbtComment = '{"app": "dbt", "dbt_version": "1.8.2", "profile_name": "shop", "target_name": "prod", "node_id": "model.shop.orders"}';

  it('reads dbt query comments prepended (default) and appended (Snowflake)', () => {
    expect(parseQueryComment(`/* ${dbtComment} */\ncreate table x as select 1`)).toMatchObject({ node_id: 'model.shop.orders' });
    expect(parseQueryComment(`insert into x select 1\n/* ${dbtComment} */;`)).toMatchObject({ app: 'dbt' });
    expect(jobHints({ sql: `merge into t using s on t.id = s.id when matched then update set a = 1 /* ${dbtComment} */` })).toMatchObject({
      dbtNode: 'model.shop.orders',
    });
  });

  it('ignores comments that are not JSON objects and comments in the middle of a statement', () => {
    expect(parseQueryComment('/* nightly load */ insert into x select 1')).toBeUndefined();
    expect(parseQueryComment('/* [1,2] */ insert into x select 1')).toBeUndefined();
    expect(parseQueryComment('insert into x /* {"node_id": "model.a.b"} */ select 1')).toBeUndefined();
    expect(jobHints({ sql: 'select 1' })).toBeUndefined();
  });

  it('reads Airflow and dbt fields from a JSON Snowflake QUERY_TAG and keeps a plain tag as text', () => {
    expect(jobHints({ queryTag: '{"dag_id": "daily_sales", "task_id": "load.orders", "run_id": "r1"}' })).toEqual({
      airflowDag: 'daily_sales',
      airflowTask: 'load.orders',
      queryTag: '{"dag_id": "daily_sales", "task_id": "load.orders", "run_id": "r1"}',
    });
    expect(jobHints({ queryTag: 'finance-adhoc' })).toEqual({ queryTag: 'finance-adhoc' });
    expect(jobHints({ queryTag: '' })).toBeUndefined();
  });

  it('reads BigQuery labels in both shapes: Airflow labels and dbt job labels', () => {
    expect(jobHints({ labels: [{ key: 'airflow-dag', value: 'daily_sales' }, { key: 'airflow-task', value: 'load-orders' }] })).toEqual({
      labels: { 'airflow-dag': 'daily_sales', 'airflow-task': 'load-orders' },
      airflowDag: 'daily_sales',
      airflowTask: 'load-orders',
    });
    expect(jobHints({ labels: { app: 'dbt', node_id: labelForm('model.shop.orders') } })?.dbtNode).toBe('model_shop_orders');
  });

  it('vendor metadata wins over the SQL comment; Redshift "default" label is no hint', () => {
    const hints = jobHints({ sql: '/* {"dag_id": "from_comment"} */ insert into t select 1', queryTag: '{"dag_id": "from_tag"}', queryLabel: 'default' });
    expect(hints?.airflowDag).toBe('from_tag');
    expect(hints?.queryLabel).toBeUndefined();
    expect(jobHints({ queryLabel: 'etl_orders' })).toEqual({ queryLabel: 'etl_orders' });
  });

  it('label form is what BigQuery keeps: lower case, [a-z0-9_-], 63 characters', () => {
    expect(labelForm('Model.Shop.Orders')).toBe('model_shop_orders');
    expect(labelForm('x'.repeat(80))).toHaveLength(63);
  });
});

describe('hints inherited from a script', () => {
  const parent = jobHints({ sql: '/* {"app": "dbt", "node_id": "model.shop.daily", "invocation_id": "9a"} */ declare x int64;', labels: [{ key: 'airflow-dag', value: 'nightly' }, { key: 'team', value: 'core' }] });

  it("fills what a child statement lacks from its script's hints", () => {
    expect(inheritHints(parent, undefined)).toEqual(parent);
    expect(inheritHints(parent, jobHints({ sql: 'merge into t using s on false' }))).toEqual(parent);
  });

  it("keeps the child's own fields over the script's and merges labels key by key", () => {
    const own = jobHints({ sql: '/* {"node_id": "model.shop.other"} */ insert into t select 1', labels: [{ key: 'team', value: 'edge' }] });
    expect(inheritHints(parent, own)).toMatchObject({
      dbtNode: 'model.shop.other',
      dbtInvocation: '9a',
      airflowDag: 'nightly',
      labels: { 'airflow-dag': 'nightly', team: 'edge' },
      comment: { node_id: 'model.shop.other' },
    });
    expect(inheritHints(undefined, own)).toBe(own);
  });
});

describe('write operations', () => {
  it('DELETE and TRUNCATE are never writes of data; others are', () => {
    expect(isDataWrite('DELETE')).toBe(false);
    expect(isDataWrite('TRUNCATE')).toBe(false);
    for (const op of ['INSERT', 'COPY', 'CTAS', 'SELECT INTO', 'UPDATE', 'MERGE'] as const) expect(isDataWrite(op)).toBe(true);
    expect(isWriteOperation('SELECT INTO')).toBe(true);
    expect(isWriteOperation('select')).toBe(false);
  });
});
