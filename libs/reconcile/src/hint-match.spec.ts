/**
 * From what a warehouse keeps about a statement to the declared job it names: libs/model's jobHints over the
 * vendor's raw fields, then JobHintIndex. Cases follow the vendors' and tools' own behaviour:
 * - Airflow's BigQueryInsertJobOperator (`_add_job_labels`) labels a job `airflow-dag` = dag_id lower-cased and
 *   `airflow-task` = task_id lower-cased with `.` (a task group's separator) turned into `-`; Airflow's
 *   OpenLineage integration names the job `{dag_id}.{task_id}`.
 * - dbt's default query comment is `/* {"app": "dbt", ..., "node_id": "model.pkg.name", ...} *\/`, prepended, or
 *   appended (`append: true`); with `job-label: true` (BigQuery) its fields become labels, sanitised to
 *   lower case with anything outside [a-z0-9_-] replaced by `_`.
 * - Snowflake QUERY_TAG: free text, or JSON. Redshift STL_QUERY.label: `default` when nothing was set.
 */
import { jobHints, type JobHintSources } from '@lineage-hub/model';
import { JobHintIndex } from './hint-match';

const JOBS = [
  'sales_daily.load_orders',
  'sales.extract.load_orders',
  'sales.extract.transform.clean',
  'shop.orders',
  'analytics.payments',
  'nightly.vacuum_all',
].map((name) => ({ id: `job:ns:${name}`, name }));

const index = new JobHintIndex(JOBS.map((j) => ({ id: j.id, name: j.name })));

const DBT_COMMENT = '{"app": "dbt", "dbt_version": "1.8.2", "profile_name": "shop", "target_name": "prod", "node_id": "model.shop.orders"}';

const cases: Array<[string, JobHintSources, string | null, string | undefined]> = [
  // Airflow labels (BigQuery)
  ['airflow labels, dag id lower-cased', { labels: [{ key: 'airflow-dag', value: 'sales_daily' }, { key: 'airflow-task', value: 'load_orders' }] }, 'sales_daily.load_orders', 'hint:airflow'],
  ['airflow labels, a task group: `.` became `-`', { labels: [{ key: 'airflow-dag', value: 'sales' }, { key: 'airflow-task', value: 'extract-load_orders' }] }, 'sales.extract.load_orders', 'hint:airflow'],
  ['airflow labels as a map', { labels: { 'airflow-dag': 'sales', 'airflow-task': 'extract-load_orders' } }, 'sales.extract.load_orders', 'hint:airflow'],
  // Snowflake QUERY_TAG
  ['query tag JSON with dag_id/task_id of a task group', { queryTag: '{"dag_id": "sales", "task_id": "extract.load_orders"}' }, 'sales.extract.load_orders', 'hint:airflow'],
  ['query tag plain text naming the job', { queryTag: 'analytics.payments' }, 'analytics.payments', 'hint:query-tag'],
  ['query tag naming no job', { queryTag: 'adhoc exploration' }, null, undefined],
  // dbt query comments
  ['dbt comment prepended', { sql: `/* ${DBT_COMMENT} */\ninsert into shop.orders select 1` }, 'shop.orders', 'hint:dbt'],
  ['dbt comment appended (Snowflake append: true)', { sql: `merge into SHOP.ORDERS t using s on t.id = s.id when matched then update set v = s.v\n/* ${DBT_COMMENT} */;` }, 'shop.orders', 'hint:dbt'],
  ['dbt job-label: true labels (sanitised)', { labels: [{ key: 'app', value: 'dbt' }, { key: 'dbt_version', value: '1_8_2' }, { key: 'node_id', value: 'model_shop_orders' }] }, 'shop.orders', 'hint:dbt'],
  ['no hint at all', { sql: 'insert into shop.orders select 1' }, null, undefined],
  // Redshift label
  ['redshift label `default` is no hint', { queryLabel: 'default', sql: 'delete from t' }, null, undefined],
  ['redshift query group naming the job', { queryLabel: 'nightly.vacuum_all' }, 'nightly.vacuum_all', 'hint:label'],
];

describe('job hints -> declared job', () => {
  it.each(cases)('%s', (_name, sources, job, via) => {
    const match = index.match(jobHints(sources));
    expect(match).toEqual(job === null ? null : { job: `job:ns:${job}`, via });
  });
});
