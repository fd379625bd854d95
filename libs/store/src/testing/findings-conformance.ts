/**
 * The findings side of the store (FindingsStore), against every adapter: facts read back for the rules,
 * findings with their history and paging, freshness states, the policy document, coverage records, marks, and
 * an evaluation written all or nothing.
 */
import { datasetId, jobId, type Finding, type FreshnessState, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import type { FindingsChanges } from '../findings/findings-store.port';
import { BIGQUERY_JOB_ID_MIGRATION_SQL } from '../migrations/findings.migration';
import type { StoreHarness } from './store-conformance';
import { at, datasetEvent, input, jobEvent, runEvent } from './store-events.fixture';

const ds = (name: string) => datasetId('warehouse', name);
const job = (name: string) => jobId('pipelines', name);

const finding = (id: string, over: Partial<Finding> = {}): Finding => ({
  id,
  key: `stale|${ds(id)}`,
  kind: 'stale',
  dataset: ds(id),
  domain: 'sales',
  status: 'open',
  openedAt: at(1),
  resolvedAt: null,
  updatedAt: at(1),
  confidence: 'medium',
  summary: `${id} is late`,
  evidence: { expectedBy: at(0), lastUpdate: at(-60), source: 'learned' },
  ...over,
});

const none: FindingsChanges = { opened: [], updated: [], refreshed: [], resolved: [], history: [] };
const mark = (evaluatedAt: number) => ({ evaluatedAt, eventSeq: 0, writeSeq: 0 });

const write = (over: Partial<ObservedWrite>): ObservedWrite => ({ dataset: ds('t'), sources: [], writtenAt: at(5), queryId: 'q1', connectorId: 'sf', ...over });

const failingHistoryTrigger = (dialect: 'sqlite' | 'postgres') =>
  dialect === 'sqlite'
    ? "CREATE TRIGGER fail_history BEFORE INSERT ON finding_history WHEN NEW.summary LIKE '%boom%' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
    : `CREATE FUNCTION fail_history_fn() RETURNS trigger AS $$ BEGIN IF NEW.summary LIKE '%boom%' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
       CREATE TRIGGER fail_history BEFORE INSERT ON finding_history FOR EACH ROW EXECUTE FUNCTION fail_history_fn();`;

export const describeFindingsConformance = (name: string, makeHarness: () => Promise<StoreHarness>): void => {
  describe(`FindingsStore conformance: ${name}`, () => {
    jest.setTimeout(30_000);
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.close();
    });

    it('keeps what attribution needs on observed writes and reports what changed since a mark', async () => {
      const f = h.store.findings;
      const before = await f.changesSince({ eventSeq: 0, writeSeq: 0 });
      await h.store.recordObservedWrites([
        write({ operation: 'DELETE', actor: 'dba', hints: { airflowDag: 'd', airflowTask: 't' }, queryText: 'delete from t' }),
        write({ queryId: 'q2', dataset: ds('u'), operation: 'INSERT', sources: [ds('t')] }),
      ]);
      const [w] = await f.writesTo([ds('t')], 0);
      expect(w).toMatchObject({ operation: 'DELETE', actor: 'dba', hints: { airflowDag: 'd', airflowTask: 't' }, queryText: 'delete from t' });
      expect((await f.writesByQueryIds(['q2'])).map((x) => x.dataset)).toEqual([ds('u')]);
      const after = await f.changesSince({ eventSeq: before.eventSeq, writeSeq: before.writeSeq });
      expect(after.datasets.sort()).toEqual([ds('t'), ds('u')]);
      expect((await f.changesSince({ eventSeq: after.eventSeq, writeSeq: after.writeSeq })).datasets).toEqual([]);

      // of a re-evaluated job's other outputs: recent writes, and older ones that read something and may name a job
      await h.store.recordObservedWrites([
        write({ queryId: 'q3', dataset: ds('u'), writtenAt: at(1), sources: [ds('t')], hints: { dbtNode: 'model.shop.u' } }),
        write({ queryId: 'q4', dataset: ds('u'), writtenAt: at(2), sources: [ds('t')], user: 'ETL' }),
        write({ queryId: 'q5', dataset: ds('u'), writtenAt: at(3), hints: { dbtNode: 'model.shop.u' } }),
      ]);
      const ids = async (...args: Parameters<typeof f.recentOrNamingWritesTo>) => (await f.recentOrNamingWritesTo(...args)).map((x) => x.queryId).sort();
      expect(await ids([ds('t'), ds('u')], 0, at(5), [])).toEqual(['q1', 'q2', 'q3']);
      expect(await ids([ds('u')], 0, at(6), ['ETL'])).toEqual(['q3', 'q4']);
      // a configured actor in any case: the warehouse's spelling (ETL) is found from the file's (etl, Etl)
      expect(await ids([ds('u')], 0, at(6), ['etl'])).toEqual(['q3', 'q4']);
      expect(await ids([ds('u')], 0, at(6), ['Etl'])).toEqual(['q3', 'q4']);
      expect(await ids([ds('u')], at(2), at(6), ['ETL'])).toEqual(['q4']);
      expect(await ids([], 0, 0, [])).toEqual([]);
    });

    it('reports each observed write to exactly one mark, even one accepted in the same millisecond as the mark', async () => {
      const f = h.store.findings;
      // every row accepted in one millisecond, the one the mark was taken in (the store clock is real: pinned here)
      const sameMillisecond = () => h.exec('UPDATE observed_writes SET recorded_at = 1000');
      await h.store.recordObservedWrites([write({ queryId: 'a1' }), write({ queryId: 'a2', dataset: ds('u') })]);
      await sameMillisecond();
      const first = await f.changesSince({ eventSeq: 0, writeSeq: 0 });
      expect(first.datasets.sort()).toEqual([ds('t'), ds('u')]);

      await h.store.recordObservedWrites([write({ queryId: 'b1', dataset: ds('v') })]);
      await sameMillisecond();
      const second = await f.changesSince(first);
      expect(second.datasets).toEqual([ds('v')]); // the new write once, not the previous batch again
      expect(second.writeSeq).toBeGreaterThan(first.writeSeq);
      const third = await f.changesSince(second);
      expect(third).toMatchObject({ datasets: [], writeSeq: second.writeSeq });

      // a re-delivered batch is no new write; the mark an evaluation of everything leaves is the same one
      expect(await h.store.recordObservedWrites([write({ queryId: 'a1' }), write({ queryId: 'b1', dataset: ds('v') })])).toEqual({ inserted: 0, duplicates: 2 });
      expect((await f.changesSince(second)).datasets).toEqual([]);
      expect((await f.latestMark()).writeSeq).toBe(second.writeSeq);
      await f.applyEvaluation(none, [], { evaluatedAt: at(9), eventSeq: 0, writeSeq: second.writeSeq });
      expect(await f.getMark()).toEqual({ evaluatedAt: at(9), eventSeq: 0, writeSeq: second.writeSeq });
    });

    it('reads runs as the rules need them: state, times, inputs, outputs, externalQueryId; open runs; writers', async () => {
      const io = { inputs: ['raw'], outputs: ['mart'] };
      await h.store.ingest([
        input(runEvent({ job: 'load', runId: '11111111-1111-4111-8111-111111111111', type: 'START', time: at(0), ...io, runFacets: { externalQuery: { _producer: 'p', _schemaURL: 's', externalQueryId: 'sfq-1', source: 'snowflake://acme' } } })),
        input(runEvent({ job: 'load', runId: '11111111-1111-4111-8111-111111111111', type: 'COMPLETE', time: at(10), ...io })),
        input(runEvent({ job: 'stuck', runId: '22222222-2222-4222-8222-222222222222', type: 'START', time: at(20), inputs: ['raw'] })),
      ]);
      const f = h.store.findings;
      const runs = await f.scanRuns(0);
      const load = runs.find((r) => r.job === job('load'))!;
      expect(load).toEqual({ runId: '11111111-1111-4111-8111-111111111111', job: job('load'), state: 'COMPLETE', startedAt: at(0), endedAt: at(10), inputs: [ds('raw')], outputs: [ds('mart')], externalQueryIds: ['sfq-1'], windowEnd: at(10) });
      expect((await f.runsOfJobs([job('stuck')], 0)).map((r) => [r.state, r.endedAt])).toEqual([['START', null]]);
      expect(await f.jobsWithOpenRuns()).toEqual([job('stuck')]);
      expect(await f.writersOf([ds('mart')])).toEqual([job('load')]);
      expect((await f.changesSince({ eventSeq: 0, writeSeq: 0 })).jobs.sort()).toEqual([job('load'), job('stuck')]);
      expect((await f.jobIds()).sort()).toEqual([job('load'), job('stuck')]);
    });

    it('reads declared runs only: a run a connector observed (provenance observed) is no declared run', async () => {
      const seen = { externalQuery: { _producer: 'p', _schemaURL: 's', externalQueryId: 'sfq-9', source: 'snowflake://acme' } };
      await h.store.ingest([
        input(runEvent({ job: 'query_abc', runId: '33333333-3333-4333-8333-333333333333', type: 'COMPLETE', time: at(5), outputs: ['mart'], runFacets: seen }), 'observed'),
        input(runEvent({ job: 'query_open', runId: '44444444-4444-4444-8444-444444444444', type: 'START', time: at(6), outputs: ['mart'] }), 'observed'),
        input(runEvent({ job: 'load', runId: '55555555-5555-4555-8555-555555555555', type: 'START', time: at(7), outputs: ['mart'] })),
      ]);
      const f = h.store.findings;
      expect((await f.scanRuns(0)).map((r) => r.job)).toEqual([job('load')]);
      expect((await f.runsOfJobs([job('query_abc'), job('query_open'), job('load')], 0)).map((r) => r.job)).toEqual([job('load')]);
      expect(await f.jobsWithOpenRuns()).toEqual([job('load')]);
      expect((await f.changesSince({ eventSeq: 0, writeSeq: 0 })).jobs).toEqual([job('load')]);
    });

    it('writesByQueryIds finds a BigQuery job reference (project:LOCATION.jobId) by its bare job id, also in rows written before migration 10', async () => {
      const f = h.store.findings;
      await h.store.recordObservedWrites([
        write({ connectorId: 'bq', queryId: 'acme:US.job_1', dataset: ds('a') }),
        write({ connectorId: 'bq', queryId: 'acme:EU.job_1', dataset: ds('b') }),
        write({ connectorId: 'bq', queryId: 'acme:US.job_2', dataset: ds('x') }),
        write({ connectorId: 'sf', queryId: 'job_1', dataset: ds('c') }),
        write({ connectorId: 'sfdc', queryId: 'Account:ann@x.com:1-2.job_1', dataset: ds('d') }),
      ]);
      const found = async (ids: string[]) => (await f.writesByQueryIds(ids)).map((w) => w.dataset).sort();
      const expected = async () => {
        expect(await found(['job_1'])).toEqual([ds('a'), ds('b'), ds('c')]);
        expect(await found(['job_1', 'acme:US.job_1'])).toEqual([ds('a'), ds('b'), ds('c')]);
        expect(await found(['acme:US.job_1'])).toEqual([ds('a')]);
        expect(await found(['job_3'])).toEqual([]);
      };
      await expected();
      // as rows written before the column: its backfill (a candidate after the last '.'), the reader keeping references
      const backfill = BIGQUERY_JOB_ID_MIGRATION_SQL.split('\n').find((l) => l.startsWith('UPDATE'))!;
      await h.exec('UPDATE observed_writes SET bigquery_job_id = NULL');
      await h.exec(backfill);
      await expected();
    });

    it('writesByQueryIds finds the statements a named statement ran (a BigQuery script\'s children, a Snowflake procedure\'s), by its id or bare job id', async () => {
      const f = h.store.findings;
      await h.store.recordObservedWrites([
        write({ connectorId: 'bq', queryId: 'acme:US.script_job_1_0', rootQueryId: 'acme:US.airflow_job_1', dataset: ds('a') }),
        write({ connectorId: 'bq', queryId: 'acme:US.script_job_1_1', rootQueryId: 'acme:US.airflow_job_1', dataset: ds('b') }),
        write({ connectorId: 'bq', queryId: 'acme:US.script_job_2_0', rootQueryId: 'acme:US.airflow_job_2', dataset: ds('x') }),
        write({ connectorId: 'sf', queryId: '01-child', rootQueryId: '01-call', dataset: ds('c') }),
      ]);
      const found = async (ids: string[]) => (await f.writesByQueryIds(ids)).map((w) => w.dataset).sort();
      expect(await found(['airflow_job_1'])).toEqual([ds('a'), ds('b')]);
      expect(await found(['acme:US.airflow_job_1', 'acme:US.script_job_1_0'])).toEqual([ds('a'), ds('b')]);
      expect(await found(['01-call'])).toEqual([ds('c')]);
      expect(await found(['airflow_job_3'])).toEqual([]);
      // the parent is kept with the write (the findings read it back)
      expect((await f.writesByQueryIds(['01-call']))[0].rootQueryId).toBe('01-call');
    });

    it('changesSince names the datasets of the events that carry no run (DatasetEvent, JobEvent), not those of run events', async () => {
      await h.store.ingest([
        input(runEvent({ job: 'load', runId: '66666666-6666-4666-8666-666666666666', type: 'COMPLETE', time: at(1), inputs: ['raw'], outputs: ['mart'] })),
        input(datasetEvent(at(2), { name: 'tagged', facets: { tags: { _producer: 'p', _schemaURL: 's', tags: [{ key: 'tier', value: 'gold', source: 'CONFIG' }] } } })),
        input(jobEvent(at(3), 'sync', ['src'], ['dst'])),
      ]);
      const f = h.store.findings;
      const first = await f.changesSince({ eventSeq: 0, writeSeq: 0 });
      expect({ jobs: first.jobs, datasets: first.datasets, described: first.described.sort() }).toEqual({ jobs: [job('load')], datasets: [], described: [ds('dst'), ds('src'), ds('tagged')] });
      expect((await f.changesSince(first)).described).toEqual([]);
    });

    it('reads dataset tags for tag policies: dataset-level first, then column tags; all tagged datasets or the ones asked', async () => {
      const tags = (entries: object[]) => ({ tags: { _producer: 'p', _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/TagsDatasetFacet.json', tags: entries } });
      const gold = { name: 'gold', facets: tags([{ key: 'pii', value: 'email', field: 'email', source: 'CONFIG' }, { key: 'tier', value: 'gold', source: 'CONFIG' }]) };
      const flag = { name: 'flag', facets: tags([{ key: 'certified', source: 'MANUAL' }]) };
      const retagged = { name: 'retagged', facets: tags([{ key: 'tier', value: 'bronze', source: 'CONFIG' }]) };
      await h.store.ingest([
        input(runEvent({ job: 'load', runId: '33333333-3333-4333-8333-333333333333', type: 'COMPLETE', time: at(0), inputs: ['plain'], outputs: [gold, flag, retagged] })),
        // a later event's tags replace the earlier ones
        input(runEvent({ job: 'load', runId: '44444444-4444-4444-8444-444444444444', type: 'COMPLETE', time: at(10), outputs: [{ name: 'retagged', facets: tags([{ key: 'tier', value: 'silver', source: 'CONFIG' }]) }] })),
      ]);
      const f = h.store.findings;
      const all = await f.datasetTags();
      expect(new Map([...all].sort())).toEqual(
        new Map([
          [ds('flag'), ['certified']],
          [ds('gold'), ['tier:gold', 'tier', 'pii:email', 'pii']],
          [ds('retagged'), ['tier:silver', 'tier']],
        ]),
      );
      const some = await f.datasetTags([ds('gold'), ds('plain'), ds('unknown')]);
      expect([...some]).toEqual([[ds('gold'), ['tier:gold', 'tier', 'pii:email', 'pii']]]);
      expect(await f.datasetTags([])).toEqual(new Map());
    });

    it('stores findings with history: open, update, resolve, reopen as a new episode; filters and pages', async () => {
      const f = h.store.findings;
      const a = finding('a');
      const b = finding('b', { kind: 'failed-run', key: `failed-run|${job('x')}`, dataset: undefined, job: job('x'), openedAt: at(2), updatedAt: at(2) });
      await f.applyEvaluation({ ...none, opened: [a, b], history: [{ findingId: 'a', at: at(1), change: 'opened', summary: a.summary }] }, [], mark(at(2)));
      expect((await f.openFindings()).map((x) => x.id).sort()).toEqual(['a', 'b']);
      expect(await f.countOpenByKind()).toMatchObject({ stale: 1, 'failed-run': 1, 'undeclared-write': 0 });
      expect((await f.listFindings({ kind: 'failed-run' })).findings.map((x) => x.id)).toEqual(['b']);
      expect((await f.listFindings({ job: job('x') })).findings.map((x) => x.id)).toEqual(['b']);
      expect((await f.listFindings({ dataset: ds('a') })).findings).toEqual([a]);
      const p1 = await f.listFindings({ limit: 1 });
      expect(p1.findings.map((x) => x.id)).toEqual(['b']);
      const p2 = await f.listFindings({ limit: 1, cursor: p1.nextCursor! });
      expect([p2.findings.map((x) => x.id), p2.nextCursor]).toEqual([['a'], null]);

      const resolved = { ...a, status: 'resolved' as const, resolvedAt: at(5), updatedAt: at(5) };
      await f.applyEvaluation({ ...none, resolved: [resolved], history: [{ findingId: 'a', at: at(5), change: 'resolved', summary: 'resolved' }] }, [], mark(at(5)));
      const again = finding('a2', { openedAt: at(9), updatedAt: at(9) });
      await f.applyEvaluation({ ...none, opened: [again] }, [], mark(at(9)));
      expect((await f.listFindings({ status: 'open', kind: 'stale' })).findings.map((x) => x.id)).toEqual(['a2']);
      expect((await f.listFindings({ since: at(5) })).findings.map((x) => x.id).sort()).toEqual(['a', 'a2']);
      const detail = await f.getFinding('a');
      expect(detail).toMatchObject({ status: 'resolved', resolvedAt: at(5) });
      expect(detail!.history.map((x) => x.change)).toEqual(['opened', 'resolved']);
      expect(await f.getFinding('nope')).toBeNull();
      expect(await f.getMark()).toEqual(mark(at(9)));
    });

    it('refuses a second open finding with the same key', async () => {
      const f = h.store.findings;
      await f.applyEvaluation({ ...none, opened: [finding('a')] }, [], mark(1));
      await expect(f.applyEvaluation({ ...none, opened: [finding('a-dup', { key: finding('a').key })] }, [], mark(2))).rejects.toThrow();
      expect((await f.openFindings()).map((x) => x.id)).toEqual(['a']);
    });

    it('writes an evaluation all or nothing', async () => {
      const f = h.store.findings;
      await h.exec(failingHistoryTrigger(h.dialect));
      const state: FreshnessState = { dataset: ds('a'), state: 'learned', source: 'learned', status: 'stale', lastUpdate: 1, expectedBy: 2, usualGapMs: 1, updates: 9, policy: null };
      await expect(
        f.applyEvaluation({ ...none, opened: [finding('a')], history: [{ findingId: 'a', at: 1, change: 'opened', summary: 'boom' }] }, [state], mark(at(3))),
      ).rejects.toThrow();
      expect(await f.openFindings()).toEqual([]);
      expect(await f.getFreshness(ds('a'))).toBeNull();
      expect(await f.getMark()).toBeNull();
    });

    it('writes the freshness states of a large evaluation (every dataset of a full one) with its findings, all or nothing', async () => {
      const f = h.store.findings;
      const s = (i: number, expectedBy: number): FreshnessState => ({
        dataset: ds(`big${i}`), state: 'learned', source: 'learned', status: 'fresh', lastUpdate: at(0), expectedBy, usualGapMs: 3_600_000, updates: 12, policy: i % 2 ? { warnAfter: '1d' } : null,
      });
      const states = Array.from({ length: 12_001 }, (_, i) => s(i, i % 3 === 0 ? at(10) : at(100)));
      await h.exec(failingHistoryTrigger(h.dialect));
      const boom = { ...none, opened: [finding('a')], history: [{ findingId: 'a', at: 1, change: 'opened' as const, summary: 'boom' }] };
      await expect(f.applyEvaluation(boom, states, mark(at(3)))).rejects.toThrow();
      expect(await f.getFreshness(ds('big0'))).toBeNull();
      expect(await f.dueDatasets(at(20))).toEqual([]);
      expect(await f.getMark()).toBeNull();

      await f.applyEvaluation({ ...none, opened: [finding('a')], history: [{ findingId: 'a', at: 1, change: 'opened', summary: 'opened' }] }, states, mark(at(3)));
      for (const i of [0, 1, 4_999, 5_000, 7_000, 12_000]) expect(await f.getFreshness(ds(`big${i}`))).toEqual(states[i]);
      expect((await f.dueDatasets(at(20))).length).toBe(4_001);
      expect((await f.openFindings()).map((x) => x.id)).toEqual(['a']);
      expect(await f.getMark()).toEqual(mark(at(3)));
    });

    it('keeps freshness states (the due index), the policy document and coverage records', async () => {
      const f = h.store.findings;
      const s = (name: string, expectedBy: number | null, status: FreshnessState['status']): FreshnessState => ({
        dataset: ds(name), state: 'learned', source: 'learned', status, lastUpdate: at(0), expectedBy, usualGapMs: 3_600_000, updates: 12, policy: null,
      });
      await f.applyEvaluation(none, [s('due', at(10), 'fresh'), s('later', at(100), 'fresh'), s('late', at(5), 'stale')], mark(at(1)));
      expect(await f.dueDatasets(at(20))).toEqual([ds('due')]);
      expect(await f.getFreshness(ds('due'))).toEqual(s('due', at(10), 'fresh'));
      // stale at a policy's warn level: due again when it turns error (and not before); escalated, due no more
      const warn = { ...s('warn', at(5), 'stale'), state: 'policy' as const, source: 'policy' as const, policy: { warnAfter: '1h', errorAfter: '1d' }, escalatesAt: at(30) };
      await f.applyEvaluation(none, [warn], mark(at(2)));
      expect(await f.getFreshness(ds('warn'))).toEqual(warn);
      expect(await f.dueDatasets(at(20))).toEqual([ds('due')]);
      expect((await f.dueDatasets(at(30))).sort()).toEqual([ds('due'), ds('warn')]);
      const { escalatesAt: _, ...escalated } = warn;
      await f.applyEvaluation(none, [escalated], mark(at(31)));
      expect(await f.getFreshness(ds('warn'))).toEqual(escalated);
      expect(await f.dueDatasets(at(40))).toEqual([ds('due')]);

      expect(await f.getPolicies()).toBeNull();
      const doc = { policies: [{ tag: 'gold', deadline: { cron: '0 6 * * 1-5', timeZone: 'Europe/Berlin' } }] };
      await f.putPolicies(doc, 1);
      await f.putPolicies({ policies: [...doc.policies, { domain: 'sales', warnAfter: '1d' }] }, 2);
      expect((await f.getPolicies())!.policies).toHaveLength(2);

      const rec = { connectorId: 'sf', platform: 'snowflake', namespace: 'snowflake://acme', from: at(0), to: at(60), gaps: [{ from: at(10), to: at(20), kind: 'cap-hit' }], recordedAt: at(61) };
      expect(await f.recordCoverage([rec, rec])).toEqual({ inserted: 1, duplicates: 1 });
      expect(await f.recordCoverage([rec])).toEqual({ inserted: 0, duplicates: 1 });
      expect(await f.listCoverage(at(30))).toEqual([rec]);
      expect(await f.listCoverage(at(61))).toEqual([]);
    });
  });
};

export type { NodeId };
