import { jobId } from '@lineage-hub/model';
import { compareStates, mergeRunFacts, toRunState, type RunFact } from './run-state';

const fact = (state: RunFact['state'], t: number, extra: Partial<RunFact> = {}): RunFact => ({
  runId: 'r',
  kind: 'run',
  owner: jobId('p', 'j'),
  startedAt: t,
  updatedAt: t,
  state,
  stateAt: t,
  inputs: [],
  outputs: [],
  columns: [],
  provenance: 'declared',
  nominalStartTime: null,
  nominalEndTime: null,
  parentRunId: null,
  facets: {},
  ...extra,
});

describe('run state', () => {
  it('terminal beats non-terminal whatever the times', () => {
    expect(compareStates('COMPLETE', 1, 'RUNNING', 9)).toBeGreaterThan(0);
    expect(compareStates('START', 9, 'ABORT', 1)).toBeLessThan(0);
  });

  it('earliest terminal wins (the run ended there); ties prefer FAIL/ABORT over COMPLETE and RUNNING over START', () => {
    expect(compareStates('COMPLETE', 5, 'FAIL', 4)).toBeLessThan(0);
    expect(compareStates('FAIL', 5, 'COMPLETE', 9)).toBeGreaterThan(0);
    expect(compareStates('RUNNING', 9, 'START', 5)).toBeGreaterThan(0);
    expect(compareStates('COMPLETE', 5, 'FAIL', 5)).toBeLessThan(0);
    expect(compareStates('COMPLETE', 5, 'ABORT', 5)).toBeLessThan(0);
    expect(compareStates('START', 5, 'RUNNING', 5)).toBeLessThan(0);
  });

  it('maps unknown event types to OTHER', () => {
    expect(toRunState('complete')).toBe('COMPLETE');
    expect(toRunState('weird')).toBe('OTHER');
    expect(toRunState(undefined)).toBe('OTHER');
  });

  it('merges commutatively: start is the earliest, declarations are the union', () => {
    const a = fact('START', 10, { inputs: ['dataset:w:a' as any], facets: { x: 1 } });
    const b = fact('COMPLETE', 20, { outputs: ['dataset:w:b' as any], facets: { x: 2 } });
    const c = fact('RUNNING', 15, { inputs: ['dataset:w:c' as any] });
    const ab = mergeRunFacts(mergeRunFacts(a, b), c);
    const ba = mergeRunFacts(c, mergeRunFacts(b, a));
    expect(ab).toEqual(ba);
    expect(ab).toMatchObject({ state: 'COMPLETE', stateAt: 20, startedAt: 10, updatedAt: 20, inputs: ['dataset:w:a', 'dataset:w:c'], outputs: ['dataset:w:b'], facets: { x: 2 } });
    expect(mergeRunFacts(ab, ab)).toEqual(ab);
  });
});
