/** Table-driven specs of the job rules: failed-run, stalled-run, missing-input, undeclared-read, unobserved-output. */
import type { CoverageFact } from '../reconcile.types';
import { DEFAULT_RECONCILE_CONFIG } from '../reconcile.config';
import { HistorySnapshot } from '../history-snapshot';
import { CoverageIndex } from '../coverage-index';
import { evaluateJob, writeConcernsWriter } from '../evaluate';
import { unobservedOutputAwaitsCoverage, unobservedOutputWindowStart } from './unobserved-output.rule';
import type { RunFact, WriteFact } from '../reconcile.types';
import { H, M, MONDAY, ds, jb, run, write } from '../testing/fact-builders';

const J = jb('daily.load');
const A = ds('RAW.A');
const B = ds('RAW.B');
const OUT = ds('MART.OUT');
const day = (i: number, over: Partial<RunFact> = {}): RunFact =>
  run({ runId: `r${i}`, job: J, startedAt: MONDAY + i * 24 * H, endedAt: MONDAY + i * 24 * H + 10 * M, inputs: [A, B], outputs: [OUT], ...over });

const evaluate = (runs: RunFact[], now: number, extra: { writes?: WriteFact[]; coverage?: CoverageFact[] } = {}) =>
  evaluateJob(J, new HistorySnapshot({ domain: 'd', runs, writes: extra.writes ?? [], coverage: extra.coverage ?? [], policies: [] }, DEFAULT_RECONCILE_CONFIG, now))
    .map((d) => d.key)
    .filter((k) => !k.startsWith('unobserved-output') || extra.coverage)
    .sort();

describe('failed-run', () => {
  it.each([
    { name: 'latest run failed', runs: [day(0), day(1, { state: 'FAIL' })], expect: [`failed-run|${J}`] },
    { name: 'a later run completed', runs: [day(0, { state: 'FAIL' }), day(1)], expect: [] },
    { name: 'a later run is still running: still failed', runs: [day(0, { state: 'FAIL' }), day(1, { state: 'START', endedAt: null })], expect: [`failed-run|${J}`] },
    { name: 'ABORT is not a failure', runs: [day(0), day(1, { state: 'ABORT' })], expect: [] },
  ])('$name', ({ runs, expect: keys }) => {
    expect(evaluate(runs, MONDAY + 2 * 24 * H).filter((k) => k.startsWith('failed'))).toEqual(keys);
  });
});

describe('stalled-run', () => {
  const history = [0, 1, 2, 3, 4, 5].map((i) => day(i));
  const open = (startedAt: number) => run({ runId: 'open', job: J, state: 'START', startedAt, endedAt: null });
  it.each([
    { name: 'past the 6 h timeout', runs: [...history, open(MONDAY + 6 * 24 * H)], now: MONDAY + 6 * 24 * H + 7 * H, stalled: true },
    { name: 'within the timeout (learned 10 min x 2 is shorter)', runs: [...history, open(MONDAY + 6 * 24 * H)], now: MONDAY + 6 * 24 * H + 5 * H, stalled: false },
    { name: 'a FAIL is not a stall', runs: [...history, run({ runId: 'open', job: J, state: 'FAIL', startedAt: MONDAY + 6 * 24 * H, endedAt: MONDAY + 6 * 24 * H + H })], now: MONDAY + 8 * 24 * H, stalled: false },
    {
      name: 'long learned durations lift the limit above the timeout',
      runs: [...[0, 1, 2, 3, 4, 5].map((i) => day(i, { endedAt: MONDAY + i * 24 * H + 5 * H })), open(MONDAY + 6 * 24 * H)],
      now: MONDAY + 6 * 24 * H + 8 * H,
      stalled: false,
    },
  ])('$name', ({ runs, now, stalled }) => {
    expect(evaluate(runs, now).includes(`stalled-run|${J}|open`)).toBe(stalled);
  });
});

describe('missing-input', () => {
  it.each([
    { name: 'read in 5 of 5, missing now', runs: [0, 1, 2, 3, 4].map((i) => day(i)).concat(day(5, { inputs: [A] })), expect: [`missing-input|${J}|${B}`] },
    { name: 'read in 4 of 5, missing now', runs: [day(0, { inputs: [A] }), ...[1, 2, 3, 4].map((i) => day(i)), day(5, { inputs: [A] })], expect: [`missing-input|${J}|${B}`] },
    { name: 'read in 3 of 5: not usual', runs: [day(0, { inputs: [A] }), day(1, { inputs: [A] }), ...[2, 3, 4].map((i) => day(i)), day(5, { inputs: [A] })], expect: [] },
    { name: 'present now', runs: [0, 1, 2, 3, 4, 5].map((i) => day(i)), expect: [] },
    { name: 'too little history', runs: [0, 1, 2].map((i) => day(i)).concat(day(3, { inputs: [A] })), expect: [] },
  ])('$name', ({ runs, expect: keys }) => {
    expect(evaluate(runs, MONDAY + 7 * 24 * H).filter((k) => k.startsWith('missing'))).toEqual(keys);
  });
});

describe('undeclared-read', () => {
  const X = ds('RAW.SECRET');
  const runs = [day(0, { externalQueryIds: ['q0'] })];
  it.each([
    { name: 'a statement matched by query id read an undeclared input', writes: [write({ dataset: OUT, at: MONDAY, queryId: 'q0', sources: [A, X] })], expect: [`undeclared-read|${J}|${X}`] },
    { name: 'declared inputs only: nothing', writes: [write({ dataset: OUT, at: MONDAY, queryId: 'q0', sources: [A, B] })], expect: [] },
    { name: 'matched by time alone: nothing (too weak)', writes: [write({ dataset: OUT, at: MONDAY + 5 * M, queryId: 'other', sources: [X] })], expect: [] },
    {
      name: 'matched by Airflow hints',
      writes: [write({ dataset: OUT, at: MONDAY + 5 * H, queryId: 'other', sources: [X], hints: { airflowDag: 'daily', airflowTask: 'load' } })],
      expect: [`undeclared-read|${J}|${X}`],
    },
    {
      name: 'a BigQuery statement (project:LOCATION.jobId) to an undeclared output, the run naming its bare job id (Airflow)',
      runs: [day(0, { externalQueryIds: ['airflow_load_5f2c'] })],
      writes: [write({ dataset: ds('TMP.STAGE'), at: MONDAY, queryId: 'acme:US.airflow_load_5f2c', sources: [A, X] })],
      expect: [`undeclared-read|${J}|${X}`],
    },
    {
      name: 'the same statement, the run naming the whole reference',
      runs: [day(0, { externalQueryIds: ['acme:US.airflow_load_5f2c'] })],
      writes: [write({ dataset: ds('TMP.STAGE'), at: MONDAY, queryId: 'acme:US.airflow_load_5f2c', sources: [A, X] })],
      expect: [`undeclared-read|${J}|${X}`],
    },
    {
      name: 'another BigQuery job of the project: nothing',
      runs: [day(0, { externalQueryIds: ['airflow_load_5f2c'] })],
      writes: [write({ dataset: ds('TMP.STAGE'), at: MONDAY, queryId: 'acme:US.bquxjob_9', sources: [A, X] })],
      expect: [],
    },
  ])('$name', ({ writes, expect: keys, ...over }) => {
    expect(evaluate('runs' in over ? over.runs! : runs, MONDAY + 24 * H, { writes }).filter((k) => k.startsWith('undeclared-read'))).toEqual(keys);
  });
});

describe('unobserved-output', () => {
  const runs = [0, 1, 2, 3].map((i) => day(i));
  const full: CoverageFact = { connectorId: 'sf', platform: 'snowflake', namespace: 'snowflake://acme', from: MONDAY - H, to: MONDAY + 5 * 24 * H, gaps: [], recordedAt: MONDAY + 5 * 24 * H };
  const seen = (i: number) => write({ dataset: OUT, at: MONDAY + i * 24 * H + 5 * M });
  it.each([
    { name: 'complete coverage, no write in the last 3 runs', writes: [seen(0)], coverage: [full], expect: [`unobserved-output|${J}|${OUT}`] },
    { name: 'a write in one of the last 3 runs', writes: [seen(2)], coverage: [full], expect: [] },
    { name: 'a recorded gap in a run window: no finding', writes: [], coverage: [{ ...full, gaps: [{ from: MONDAY + 2 * 24 * H, to: MONDAY + 2 * 24 * H + H }] }], expect: [] },
    { name: 'coverage stops before the last run: no finding', writes: [], coverage: [{ ...full, to: MONDAY + 3 * 24 * H }], expect: [] },
    { name: 'no connector observes the platform: no finding', writes: [], coverage: [{ ...full, namespace: 'bigquery' }], expect: [] },
  ])('$name', ({ writes, coverage, expect: keys }) => {
    expect(evaluate(runs, MONDAY + 5 * 24 * H, { writes, coverage }).filter((k) => k.startsWith('unobserved'))).toEqual(keys);
  });
});

describe('unobservedOutputWindowStart (how far back an incremental evaluation reads the other outputs of a job)', () => {
  const slack = DEFAULT_RECONCILE_CONFIG.slackMs;
  it.each([
    { name: 'fewer completed runs than the rule looks at: none', runs: [day(0), day(1)], expect: null },
    { name: 'the first of the last 3 completed runs, less the slack', runs: [day(3), day(0), day(2), day(1)], expect: MONDAY + 24 * H - slack },
    { name: 'failed and open runs do not count', runs: [day(0), day(1), day(2, { state: 'FAIL' }), day(3), day(4, { state: 'START', endedAt: null })], expect: MONDAY - slack },
  ])('$name', ({ runs, expect: want }) => {
    expect(unobservedOutputWindowStart(runs, DEFAULT_RECONCILE_CONFIG.unobservedRuns, slack)).toBe(want);
  });
});

describe('unobservedOutputAwaitsCoverage (whether coverage recorded later can raise unobserved-output)', () => {
  const runs = [0, 1, 2, 3, 4].map((i) => day(i));
  const cov = (to: number, gaps: CoverageFact['gaps'] = []): CoverageFact => ({ connectorId: 'sf', platform: 'snowflake', namespace: 'snowflake://acme', from: MONDAY - H, to, gaps, recordedAt: to });
  const lastEnd = MONDAY + 4 * 24 * H + 10 * M;
  const slack = DEFAULT_RECONCILE_CONFIG.slackMs;
  it.each([
    { name: 'no connector observes anything', runs, coverage: [], awaits: false },
    { name: 'a connector observes another namespace', runs, coverage: [{ ...cov(lastEnd + H), namespace: 'bigquery' }], awaits: false },
    { name: 'every window of the last runs read', runs, coverage: [cov(lastEnd + slack)], awaits: false },
    { name: 'the connector has not read to the end of the last run (it lags)', runs, coverage: [cov(lastEnd)], awaits: true },
    { name: 'a gap in a last run window', runs, coverage: [cov(lastEnd + H, [{ from: MONDAY + 3 * 24 * H, to: MONDAY + 3 * 24 * H + M }])], awaits: true },
    { name: 'a gap in an older run window only', runs, coverage: [cov(lastEnd + H, [{ from: MONDAY + 24 * H, to: MONDAY + 24 * H + M }])], awaits: false },
    { name: 'fewer completed runs than the rule looks at', runs: runs.slice(0, 2), coverage: [cov(MONDAY)], awaits: false },
  ])('$name: $awaits', ({ runs: rs, coverage, awaits }) => {
    expect(unobservedOutputAwaitsCoverage(rs, new CoverageIndex(coverage), DEFAULT_RECONCILE_CONFIG.unobservedRuns, slack)).toBe(awaits);
  });
});

describe('writeConcernsWriter (which new writes can change the findings of a job that outputs the dataset)', () => {
  const X = ds('RAW.SECRET');
  const runs = [0, 1, 2, 3, 4].map((i) => day(i, { externalQueryIds: [`ext-${i}`] })).concat(day(5, { inputs: [A], state: 'FAIL' }));
  // the job has findings of its own before the new write: an undeclared read (by hint), a failed run
  const before = [write({ dataset: OUT, at: MONDAY + 5 * H, queryId: 'hinted', sources: [X], hints: { airflowDag: 'daily', airflowTask: 'load' } })];
  const elsewhere: CoverageFact = { connectorId: 'bq', platform: 'bigquery', namespace: 'bigquery', from: MONDAY - H, to: MONDAY + 7 * 24 * H, gaps: [], recordedAt: MONDAY + 7 * 24 * H };
  const here: CoverageFact = { ...elsewhere, connectorId: 'sf', platform: 'snowflake', namespace: 'snowflake://acme' };
  const actors = { SVC_LOAD: { job: J } };
  const config = { ...DEFAULT_RECONCILE_CONFIG, actors };
  const now = MONDAY + 6 * 24 * H;
  const drafts = (writes: WriteFact[], coverage: CoverageFact[]) =>
    evaluateJob(J, new HistorySnapshot({ domain: 'd', runs, writes, coverage, policies: [] }, config, now));
  const at = MONDAY + 5 * 24 * H + 5 * M;
  it.each([
    { name: 'a dbt model named by its comment, reading nothing', w: write({ dataset: OUT, at, hints: { dbtNode: 'model.daily.load' } }), coverage: [elsewhere], concerns: false },
    { name: 'an analyst, reading nothing', w: write({ dataset: OUT, at, actor: 'someone@acme.com', operation: 'UPDATE' }), coverage: [], concerns: false },
    { name: 'a delete', w: write({ dataset: OUT, at, operation: 'DELETE', actor: 'dba' }), coverage: [elsewhere], concerns: false },
    { name: 'reads a dataset, but names no job', w: write({ dataset: OUT, at, sources: [X], actor: 'someone@acme.com' }), coverage: [elsewhere], concerns: false },
    { name: 'reads a dataset and a hint names a job', w: write({ dataset: OUT, at, sources: [X], hints: { airflowDag: 'daily', airflowTask: 'load' } }), coverage: [], concerns: true },
    { name: 'reads a dataset and a run names its query id', w: write({ dataset: OUT, at, sources: [X], queryId: 'ext-4' }), coverage: [], concerns: true },
    { name: 'reads a dataset and its actor is mapped', w: write({ dataset: OUT, at, sources: [X], actor: 'SVC_LOAD' }), coverage: [], concerns: true },
    { name: 'a connector observes the dataset, the write is after the last run', w: write({ dataset: OUT, at }), coverage: [here], concerns: false },
    { name: 'a connector observes the dataset, the write is before the last 3 runs', w: write({ dataset: OUT, at: MONDAY + 24 * H + 5 * M }), coverage: [here], concerns: false },
    { name: 'a connector observes the dataset, the write is in a last run (unobserved-output)', w: write({ dataset: OUT, at: MONDAY + 4 * 24 * H + 5 * M }), coverage: [here], concerns: true },
    { name: 'a connector observes the dataset, the write is within the slack after a last run', w: write({ dataset: OUT, at: MONDAY + 3 * 24 * H + 10 * M + config.slackMs }), coverage: [here], concerns: true },
    // the latest completed run (day 4; day 5 failed) ends at +10 min: its window closes at the end plus the slack
    { name: 'a connector observes the dataset, the write is at the end of the last completed run plus the slack', w: write({ dataset: OUT, at: MONDAY + 4 * 24 * H + 10 * M + config.slackMs }), coverage: [here], concerns: true },
    { name: 'a connector observes the dataset, the write is a millisecond after that', w: write({ dataset: OUT, at: MONDAY + 4 * 24 * H + 10 * M + config.slackMs + 1 }), coverage: [here], concerns: false },
  ])('$name: $concerns', ({ w, coverage, concerns }) => {
    const history = new HistorySnapshot({ domain: 'd', runs, writes: before, coverage: [], policies: [] }, config, now);
    expect(writeConcernsWriter(w, runs, history.runsByQueryId, config, new CoverageIndex(coverage))).toBe(concerns);
    // what it leaves alone is left alone: the job's findings with the write are those without it
    if (!concerns) expect(drafts([...before, w], coverage)).toEqual(drafts(before, coverage));
  });

  it('a write in a last run under coverage resolves unobserved-output (the window check can fail)', () => {
    const unobserved = `unobserved-output|${J}|${OUT}`;
    expect(drafts(before, [here]).map((d) => d.key)).toContain(unobserved);
    const w = write({ dataset: OUT, at: MONDAY + 4 * 24 * H + 5 * M });
    expect(drafts([...before, w], [here]).map((d) => d.key)).not.toContain(unobserved);
  });

  it('a write that concerns the writers can change their findings (the check above can fail)', () => {
    // not vacuous: the job has findings before the write that the writes above leave as they are
    expect(drafts(before, []).map((d) => d.key)).toEqual(expect.arrayContaining([`undeclared-read|${J}|${X}`, `failed-run|${J}`]));
    const w = write({ dataset: OUT, at, sources: [B, ds('RAW.OTHER')], actor: 'SVC_LOAD' });
    expect(drafts([...before, w], []).map((d) => d.key)).toContain(`undeclared-read|${J}|${ds('RAW.OTHER')}`);
    expect(drafts(before, []).map((d) => d.key)).not.toContain(`undeclared-read|${J}|${ds('RAW.OTHER')}`);
  });
});
