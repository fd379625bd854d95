import { updateTimes } from './evaluate';
import { ds, H, jb, M, run, write } from './testing/fact-builders';
import type { RunFact } from './reconcile.types';
import { HistorySnapshot } from './history-snapshot';
import { attributeWrite, isExplained, RunTimeline, type AttributionContext } from './write-attribution';

const T = ds('MART.T');
const NOW = 100 * H;

/** Runs of every state, overlapping, open, without a start. */
const runs: RunFact[] = [
  run({ runId: 'a', job: jb('x'), startedAt: 1 * H, endedAt: 1 * H + 10 * M, outputs: [T] }),
  run({ runId: 'b', job: jb('x'), state: 'FAIL', startedAt: 5 * H, endedAt: 6 * H, outputs: [T] }),
  run({ runId: 'c', job: jb('y'), state: 'START', startedAt: 20 * H, endedAt: null, outputs: [T] }),
  run({ runId: 'd', job: jb('y'), startedAt: 30 * H, endedAt: 40 * H, outputs: [T] }),
  run({ runId: 'e', job: jb('z'), state: 'COMPLETE', startedAt: null, endedAt: 50 * H, outputs: [T] }),
  run({ runId: 'f', job: jb('z'), startedAt: 35 * H, endedAt: 35 * H + M, outputs: [T] }),
];

describe('RunTimeline', () => {
  it('covers(at, which) is covering(at).some(which) at every minute of the history', () => {
    const timeline = new RunTimeline(runs, NOW);
    const completed = (r: RunFact) => r.state === 'COMPLETE';
    for (let at = 0; at <= 60 * H; at += M)
      for (const slack of [0, 5 * M]) {
        expect(timeline.covers(at, slack, NOW, completed)).toBe(timeline.covering(at, slack, NOW).some(completed));
        expect(timeline.covers(at, slack, NOW, () => true)).toBe(timeline.covering(at, slack, NOW).length > 0);
      }
  });

  it('updateTimes counts completed runs and the writes no completed run covers (a failed or open run covers none)', () => {
    const writes = [2, 5.5, 21, 33, 35, 45].map((h) => write({ dataset: T, at: h * H }));
    expect(updateTimes(writes, runs, 5 * M, NOW).sort((a, b) => a - b)).toEqual([1 * H + 10 * M, 2 * H, 5.5 * H, 21 * H, 35 * H + M, 40 * H, 45 * H, 50 * H]);
  });
});

describe('isExplained', () => {
  it('is attributeWrite(...) !== null: by query id, hint, actor (job or domain), time, or nothing', () => {
    const named = run({ runId: 'n', job: jb('daily.load'), startedAt: 80 * H, endedAt: 81 * H, outputs: [ds('OTHER')], externalQueryIds: ['ext'] });
    const history = new HistorySnapshot({ domain: 'd', runs: [...runs, named], writes: [], coverage: [], policies: [] }, {} as never, NOW);
    const ctx: AttributionContext = {
      runsByQueryId: history.runsByQueryId,
      hintIndex: history.hintIndex,
      actors: { SVC_X: { job: jb('x') }, SVC_SALES: { domain: 'sales' } },
      slackMs: 5 * M,
      now: NOW,
    };
    const timeline = new RunTimeline(runs, NOW);
    const writes = [
      ...[0, 2, 5.5, 21, 33, 35, 45, 70].map((h) => write({ dataset: T, at: h * H })),
      write({ dataset: T, at: 70 * H, queryId: 'ext' }),
      write({ dataset: T, at: 70 * H, hints: { airflowDag: 'daily', airflowTask: 'load' } }),
      write({ dataset: T, at: 70 * H, hints: { dbtNode: 'model.nobody.here' } }),
      write({ dataset: T, at: 70 * H, actor: 'SVC_X' }),
      write({ dataset: T, at: 70 * H, actor: 'SVC_SALES' }),
      write({ dataset: T, at: 70 * H, actor: 'someone' }),
    ];
    const explained = writes.map((w) => isExplained(w, timeline, ctx));
    // each way of explaining a write occurs (time, query id, hint, actor job, actor domain), and none
    expect(new Set(writes.map((w) => attributeWrite(w, timeline, ctx)?.via ?? 'none'))).toEqual(new Set(['time', 'queryId', 'hint:airflow', 'actor', 'actor-domain', 'none']));
    expect(explained).toEqual(writes.map((w) => attributeWrite(w, timeline, ctx) !== null));
    // not vacuous: both answers occur
    expect(new Set(explained)).toEqual(new Set([true, false]));
  });
});
