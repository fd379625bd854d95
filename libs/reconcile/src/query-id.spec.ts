import { runForQuery, writesByQueryKey } from './query-id';
import { H, MONDAY, ds, jb, run, write } from './testing/fact-builders';

/**
 * Whether a run declaring `declared` (its ExternalQueryRunFacet) names a statement of query id `observed`: the same
 * answer from the statement (runForQuery: attribution of a write) and from the run (writesByQueryKey: the statements a
 * job's query ids name, what undeclared-read reads beyond its declared outputs).
 */
describe('query ids matched both ways', () => {
  const REF = 'acme-analytics:US.airflow_1733571_5f2c';
  it.each([
    { name: 'the same id', declared: 'q1', observed: 'q1', named: true },
    { name: 'a BigQuery reference, declared bare (Airflow)', declared: 'airflow_1733571_5f2c', observed: REF, named: true },
    { name: 'a BigQuery reference, declared whole (OpenLineage spec)', declared: REF, observed: REF, named: true },
    { name: 'a domain-scoped project reference, declared bare', declared: 'job_-abc', observed: 'example.com:acme:europe-west1.job_-abc', named: true },
    { name: 'another job of the same project', declared: 'airflow_1733571_5f2c', observed: 'acme-analytics:US.bquxjob_9', named: false },
    { name: 'a bare statement id does not match a declared reference', declared: REF, observed: 'airflow_1733571_5f2c', named: false },
    { name: 'a Snowflake id is compared as it is', declared: '01b2c3d4-0000-1111-0000-000000000001', observed: '01b2c3d4-0000-1111-0000-000000000001', named: true },
    { name: 'a Redshift id with a colon is no BigQuery reference', declared: '10', observed: 'xid:777:10', named: false },
    { name: 'a suffix that is not a reference', declared: 'b', observed: 'Account:ann@x.com:1-2.b', named: false },
  ])('$name', ({ declared, observed, named }) => {
    const r = run({ runId: 'r1', job: jb('dag.task'), startedAt: MONDAY, endedAt: MONDAY + H, externalQueryIds: [declared] });
    const w = write({ dataset: ds('TMP.STAGE'), at: MONDAY, queryId: observed });
    expect(runForQuery(new Map([[declared, r]]), observed) === r).toBe(named);
    expect(writesByQueryKey([w]).get(declared)?.includes(w) ?? false).toBe(named);
  });

  // a statement run by another (a BigQuery script's child job, a Snowflake procedure's statement) is named by a run
  // that names its parent: Airflow declares the script's job, whose children write
  it.each([
    { name: 'a script child, its script declared bare (Airflow)', declared: 'airflow_1733571_5f2c', parent: REF, named: true },
    { name: 'a script child, its script declared whole', declared: REF, parent: REF, named: true },
    { name: 'a procedure statement, its CALL declared', declared: '01b2c3d4-0000-1111-0000-0000000000ca', parent: '01b2c3d4-0000-1111-0000-0000000000ca', named: true },
    { name: 'a child of another script', declared: 'airflow_1733571_5f2c', parent: 'acme-analytics:US.bquxjob_9', named: false },
    { name: 'no parent', declared: 'airflow_1733571_5f2c', parent: undefined, named: false },
  ])('$name', ({ declared, parent, named }) => {
    const r = run({ runId: 'r1', job: jb('dag.task'), startedAt: MONDAY, endedAt: MONDAY + H, externalQueryIds: [declared] });
    const child = 'acme-analytics:US.script_job_6c1e_0';
    const w = write({ dataset: ds('TMP.STAGE'), at: MONDAY, queryId: child, ...(parent ? { rootQueryId: parent } : {}) });
    expect(runForQuery(new Map([[declared, r]]), child, parent) === r).toBe(named);
    expect(writesByQueryKey([w]).get(declared)?.includes(w) ?? false).toBe(named);
  });

  it('a statement named by its own id is not taken for its parent\'s', () => {
    const own = run({ runId: 'r1', job: jb('dbt.model'), startedAt: MONDAY, endedAt: MONDAY + H, externalQueryIds: ['child_1'] });
    const parent = run({ runId: 'r2', job: jb('dag.task'), startedAt: MONDAY, endedAt: MONDAY + H, externalQueryIds: ['script_1'] });
    const runs = new Map([['child_1', own], ['script_1', parent]]);
    expect(runForQuery(runs, 'acme:US.child_1', 'acme:US.script_1')).toBe(own);
  });

  it('a write is listed once under each key', () => {
    const w = write({ dataset: ds('TMP.STAGE'), at: MONDAY, queryId: REF });
    const index = writesByQueryKey([w, write({ dataset: ds('TMP.OTHER'), at: MONDAY, queryId: 'q2' })]);
    expect([...index.keys()].sort()).toEqual([REF, 'airflow_1733571_5f2c', 'q2'].sort());
    expect(index.get(REF)).toEqual([w]);
    expect(index.get('airflow_1733571_5f2c')).toEqual([w]);
  });
});
