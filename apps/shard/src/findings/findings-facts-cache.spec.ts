import type { NodeId } from '@lineage-hub/model';
import type { WriteFact } from '@lineage-hub/reconcile';
import type { FactRun } from '@lineage-hub/store';
import { FindingsFactsCache } from './findings-facts-cache';

const ds = (n: string) => `dataset:snowflake://acme:${n}` as NodeId;
const job = (n: string) => `job:airflow:${n}` as NodeId;
const w = (dataset: NodeId, at: number, queryId: string): WriteFact => ({ dataset, at, queryId, connectorId: 'sf', sources: [] });
const run = (runId: string, j: NodeId, startedAt: number, endedAt: number | null, outputs: NodeId[], queryIds: string[] = []): FactRun => ({
  runId,
  job: j,
  state: endedAt === null ? 'START' : 'COMPLETE',
  startedAt,
  endedAt,
  inputs: [],
  outputs,
  externalQueryIds: queryIds,
  windowEnd: endedAt,
});
const mark = (writeSeq: number) => ({ eventSeq: 0, writeSeq });

describe('FindingsFactsCache', () => {
  const build = () =>
    FindingsFactsCache.of(
      { writes: [w(ds('a'), 10, 'q1'), w(ds('a'), 50, 'q2'), w(ds('b'), 60, 'q3')], runs: [run('r1', job('x'), 5, 15, [ds('a')], ['ext-1']), run('r2', job('x'), 55, 65, [ds('a'), ds('c')])] },
      mark(3),
      0,
      100,
    );

  it('indexes writes by dataset, runs by job, output and query id; lists what a full evaluation evaluates', () => {
    const c = build();
    expect(c.writesTo(ds('a')).map((x) => x.queryId)).toEqual(['q1', 'q2']);
    expect(c.runsOutputting(ds('c')).map((r) => r.runId)).toEqual(['r2']);
    expect(c.runsByQueryId.get('ext-1')?.runId).toBe('r1');
    expect(c.datasets().sort()).toEqual([ds('a'), ds('b'), ds('c')]);
    expect(c.jobs()).toEqual([job('x')]);
    expect(c.facts).toBe(5);
  });

  it('takes new writes once (a write read twice is kept once) and the re-read runs of a job in place of the old ones', () => {
    const c = build();
    expect(c.update(mark(5), 0, [w(ds('b'), 70, 'q4'), w(ds('a'), 50, 'q2')], [job('x')], [run('r2', job('x'), 55, 66, [ds('c')]), run('r3', job('x'), 80, null, [ds('a')])])).toBe(true);
    expect(c.mark).toEqual(mark(5));
    expect(c.writesTo(ds('b')).map((x) => x.queryId)).toEqual(['q3', 'q4']);
    expect(c.writesTo(ds('a'))).toHaveLength(2);
    expect(c.runsOf(job('x')).map((r) => [r.runId, r.endedAt])).toEqual([['r2', 66], ['r3', null]]);
    expect(c.runsOutputting(ds('a')).map((r) => r.runId)).toEqual(['r3']);
    expect(c.runsByQueryId.get('ext-1')).toBeUndefined();
    expect(c.facts).toBe(6);
  });

  it('reads only the window: writes before it and runs that ended before it are gone, open runs stay', () => {
    const c = build();
    c.update(mark(3), 20, [], [], []);
    expect(c.writesTo(ds('a')).map((x) => x.queryId)).toEqual(['q2']);
    expect(c.runsOf(job('x')).map((r) => r.runId)).toEqual(['r2']);
    expect(c.runsByQueryId.get('ext-1')).toBeUndefined();
    expect(c.serves(mark(3), 20)).toBe(true);
    expect(c.serves(mark(3), 10)).toBe(false); // an earlier window: the cache no longer has what fell out
    expect(c.serves(mark(4), 20)).toBe(false); // another mark: someone else evaluated
  });

  it('reads the same list again as it was until it grows or the window moves (the view of a list is remembered per window)', () => {
    const c = build();
    c.update(mark(3), 20, [], [], []);
    expect(c.runsOf(job('x')).map((r) => r.runId)).toEqual(['r2']);
    expect(c.runsOf(job('x'))).toBe(c.runsOf(job('x'))); // the second read is the first read's view, not a new filter
    c.update(mark(4), 20, [w(ds('a'), 70, 'q5')], [], []);
    expect(c.writesTo(ds('a')).map((x) => x.queryId)).toEqual(['q2', 'q5']);
    c.update(mark(5), 20, [], [job('y')], [run('r4', job('y'), 90, null, [ds('a')])]);
    expect(c.runsOutputting(ds('a')).map((r) => r.runId)).toEqual(['r2', 'r4']); // the list grew: its view too
    c.update(mark(5), 60, [], [], []);
    expect(c.writesTo(ds('a')).map((x) => x.queryId)).toEqual(['q5']);
    expect(c.runsOf(job('x')).map((r) => r.runId)).toEqual(['r2']);
    c.update(mark(5), 70, [], [], []);
    expect(c.runsOf(job('x'))).toEqual([]);
  });

  it('reads a list whose oldest fact is in the window as the list itself, however far the window moved, and filters it once one falls out', () => {
    const c = build();
    const before = c.writesTo(ds('a'));
    c.update(mark(3), 5, [], [], []);
    c.update(mark(3), 10, [], [], []);
    expect(c.writesTo(ds('a'))).toBe(before); // q1 at 10: nothing fell out, no copy
    expect(c.runsOf(job('x'))).toBe(c.runsOf(job('x')));
    c.update(mark(3), 11, [], [], []);
    expect(c.writesTo(ds('a')).map((x) => x.queryId)).toEqual(['q2']);
    expect(c.facts).toBe(4); // q1 dropped for good
    expect(c.runsOf(job('x')).map((r) => r.runId)).toEqual(['r1', 'r2']); // r1 ended at 15: still in
    c.update(mark(3), 16, [], [], []);
    expect(c.runsOf(job('x')).map((r) => r.runId)).toEqual(['r2']);
    expect(c.runsOutputting(ds('a')).map((r) => r.runId)).toEqual(['r2']);
  });

  it('gives up past its bound once what fell out of the window is pruned', () => {
    const c = FindingsFactsCache.of({ writes: [w(ds('a'), 10, 'q1')], runs: [] }, mark(1), 0, 2);
    expect(c.update(mark(2), 20, [w(ds('a'), 30, 'q2'), w(ds('a'), 31, 'q3')], [], [])).toBe(true); // q1 pruned
    expect(c.facts).toBe(2);
    expect(c.update(mark(3), 20, [w(ds('b'), 40, 'q4')], [], [])).toBe(false);
    expect(c.bounded).toBe(false);
  });
});
