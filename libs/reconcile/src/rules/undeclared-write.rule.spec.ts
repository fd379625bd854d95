import { DEFAULT_RECONCILE_CONFIG } from '../reconcile.config';
import { HistorySnapshot } from '../history-snapshot';
import { evaluateDataset } from '../evaluate';
import type { RunFact, WriteFact } from '../reconcile.types';
import { H, M, MONDAY, ds, jb, run, write } from '../testing/fact-builders';

const T = ds('PUBLIC.ORDERS');
const at = MONDAY + 10 * H;

const cases: { name: string; writes: WriteFact[]; runs: RunFact[]; actors?: Record<string, { job?: ReturnType<typeof jb>; domain?: string }>; expect: string[] }[] = [
  { name: 'a write with no run at all is undeclared', writes: [write({ dataset: T, at, actor: 'ANALYST_BOB', queryId: 'q1' })], runs: [], expect: [`undeclared-write|${T}|q1`] },
  { name: 'a DELETE is an undeclared delete', writes: [write({ dataset: T, at, operation: 'DELETE', queryId: 'q1' })], runs: [], expect: [`undeclared-delete|${T}|q1`] },
  { name: 'TRUNCATE too', writes: [write({ dataset: T, at, operation: 'TRUNCATE', queryId: 'q1' })], runs: [], expect: [`undeclared-delete|${T}|q1`] },
  {
    name: 'a run outputting the dataset at the time explains it',
    writes: [write({ dataset: T, at, queryId: 'q1' })],
    runs: [run({ runId: 'r1', job: jb('dag.load'), startedAt: at - 5 * M, endedAt: at + M, outputs: [T] })],
    expect: [],
  },
  {
    name: 'within the slack after the run ended explains it',
    writes: [write({ dataset: T, at, queryId: 'q1' })],
    runs: [run({ runId: 'r1', job: jb('dag.load'), startedAt: at - 20 * M, endedAt: at - 4 * M, outputs: [T] })],
    expect: [],
  },
  {
    name: 'past the slack it does not',
    writes: [write({ dataset: T, at, queryId: 'q1' })],
    runs: [run({ runId: 'r1', job: jb('dag.load'), startedAt: at - 40 * M, endedAt: at - 6 * M, outputs: [T] })],
    expect: [`undeclared-write|${T}|q1`],
  },
  {
    name: 'a run of another dataset at the time does not explain it',
    writes: [write({ dataset: T, at, queryId: 'q1' })],
    runs: [run({ runId: 'r1', job: jb('dag.other'), startedAt: at - 5 * M, endedAt: at + M, outputs: [ds('PUBLIC.OTHER')] })],
    expect: [`undeclared-write|${T}|q1`],
  },
  {
    name: 'the externalQuery facet names the query id: explained at any time',
    writes: [write({ dataset: T, at, queryId: 'q1' })],
    runs: [run({ runId: 'r1', job: jb('dag.other'), startedAt: at - 5 * H, endedAt: at - 4 * H, externalQueryIds: ['q1'] })],
    expect: [],
  },
  {
    name: 'a BigQuery job reference (project:LOCATION.jobId) is named by its bare job id, as Airflow declares it',
    writes: [write({ dataset: T, at, queryId: 'acme-analytics:US.airflow_1733571_5f2c', connectorId: 'bq-1' })],
    runs: [run({ runId: 'r1', job: jb('dag.other'), startedAt: at - 5 * H, endedAt: at - 4 * H, externalQueryIds: ['airflow_1733571_5f2c'] })],
    expect: [],
  },
  {
    name: 'and by the whole reference, as the OpenLineage spec spells it',
    writes: [write({ dataset: T, at, queryId: 'acme-analytics:US.airflow_1733571_5f2c', connectorId: 'bq-1' })],
    runs: [run({ runId: 'r1', job: jb('dag.other'), startedAt: at - 5 * H, endedAt: at - 4 * H, externalQueryIds: ['acme-analytics:US.airflow_1733571_5f2c'] })],
    expect: [],
  },
  {
    name: 'another job id of the same project is not named',
    writes: [write({ dataset: T, at, queryId: 'acme-analytics:US.bquxjob_9', connectorId: 'bq-1' })],
    runs: [run({ runId: 'r1', job: jb('dag.other'), startedAt: at - 5 * H, endedAt: at - 4 * H, externalQueryIds: ['airflow_1733571_5f2c'] })],
    expect: [`undeclared-write|${T}|acme-analytics:US.bquxjob_9`],
  },
  {
    name: 'Airflow labels (BigQuery, label form) name the job',
    writes: [write({ dataset: T, at, queryId: 'q1', hints: { airflowDag: 'daily_sales', airflowTask: 'load_orders', labels: { 'airflow-dag': 'daily_sales', 'airflow-task': 'load_orders' } } })],
    runs: [run({ runId: 'r1', job: jb('daily_sales.load_orders'), startedAt: at - 5 * H, endedAt: at - 4 * H })],
    expect: [],
  },
  {
    name: 'a dbt query comment node_id names the model job',
    writes: [write({ dataset: T, at, queryId: 'q1', hints: { dbtNode: 'model.shop.orders' } })],
    runs: [run({ runId: 'r1', job: jb('shop.orders', 'dbt://prod'), startedAt: at - 5 * H, endedAt: at - 4 * H })],
    expect: [],
  },
  {
    name: 'a hint naming no known job does not explain it',
    writes: [write({ dataset: T, at, queryId: 'q1', hints: { airflowDag: 'ghost', airflowTask: 'x' } })],
    runs: [run({ runId: 'r1', job: jb('daily_sales.load_orders'), startedAt: at - 5 * H, endedAt: at - 4 * H })],
    expect: [`undeclared-write|${T}|q1`],
  },
  { name: 'a configured actor -> job explains it', writes: [write({ dataset: T, at, queryId: 'q1', actor: 'SVC_ETL' })], runs: [], actors: { SVC_ETL: { job: jb('etl.load') } }, expect: [] },
  { name: 'a configured actor -> domain explains it', writes: [write({ dataset: T, at, queryId: 'q1', actor: 'SVC_SALES' })], runs: [], actors: { SVC_SALES: { domain: 'sales' } }, expect: [] },
  { name: 'an unmapped actor does not', writes: [write({ dataset: T, at, queryId: 'q1', actor: 'ANALYST' })], runs: [], actors: { SVC_SALES: { domain: 'sales' } }, expect: [`undeclared-write|${T}|q1`] },
];

describe('undeclared-write / undeclared-delete', () => {
  it.each(cases)('$name', ({ writes, runs, actors, expect: keys }) => {
    const snap = new HistorySnapshot({ domain: 'sales', writes, runs, coverage: [], policies: [] }, { ...DEFAULT_RECONCILE_CONFIG, actors: actors ?? {} }, at + H);
    const drafts = evaluateDataset(T, snap).drafts.filter((d) => d.kind.startsWith('undeclared'));
    expect(drafts.map((d) => d.key).sort()).toEqual(keys);
  });

  it('cites actor, query id, text excerpt, rows and time as evidence', () => {
    const w = write({ dataset: T, at, queryId: 'q9', actor: 'ANALYST_BOB', rows: 42, queryText: 'INSERT INTO orders SELECT * FROM tmp' });
    const snap = new HistorySnapshot({ domain: 'sales', writes: [w], runs: [], coverage: [], policies: [] }, DEFAULT_RECONCILE_CONFIG, at + H);
    const [d] = evaluateDataset(T, snap).drafts;
    expect(d).toMatchObject({ kind: 'undeclared-write', dataset: T, confidence: 'high' });
    expect(d.evidence.writes).toEqual([{ dataset: T, at, operation: 'INSERT', actor: 'ANALYST_BOB', queryId: 'q9', textExcerpt: 'INSERT INTO orders SELECT * FROM tmp', rows: 42, connectorId: 'sf-1' }]);
  });
});
