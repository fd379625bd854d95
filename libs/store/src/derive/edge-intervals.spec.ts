import { datasetFieldId, datasetId, jobId, type NodeId } from '@lineage-hub/model';
import { computeOwnerEdges, datasetOf } from './edge-intervals';
import type { RunFact } from './run-state';

const J = jobId('p', 'etl');
const A = datasetId('w', 'a');
const B = datasetId('w', 'b');

const runFact = (runId: string, start: number, end: number | null, io: { inputs?: NodeId[]; outputs?: NodeId[] }, state: RunFact['state'] = end === null ? 'RUNNING' : 'COMPLETE'): RunFact => ({
  runId,
  kind: 'run',
  owner: J,
  startedAt: start,
  updatedAt: end ?? start,
  state,
  stateAt: end ?? start,
  inputs: io.inputs ?? [],
  outputs: io.outputs ?? [],
  columns: [],
  provenance: 'declared',
  nominalStartTime: null,
  nominalEndTime: null,
  parentRunId: null,
  facets: {},
});

const intervals = (runs: RunFact[], drops = new Map<NodeId, number[]>()) =>
  computeOwnerEdges(J, runs, drops).edges.map((e) => `${e.kind} ${e.kind === 'reads' ? e.from : e.to} [${e.validFrom},${e.validTo ?? '-'})`);

describe('computeOwnerEdges', () => {
  it('opens at the first declaring run start and closes at the end of the first later completed run without it', () => {
    expect(intervals([runFact('1', 0, 10, { inputs: [A], outputs: [B] }), runFact('2', 20, 30, { inputs: [A] })])).toEqual(['reads dataset:w:a [0,-)', 'writes dataset:w:b [0,30)']);
  });

  it('ignores failed, aborted and unfinished runs when closing', () => {
    const runs = [runFact('1', 0, 10, { outputs: [B] }), runFact('2', 20, 30, {}, 'FAIL'), runFact('3', 40, 50, {}, 'ABORT'), runFact('4', 60, null, {})];
    expect(intervals(runs)).toEqual(['writes dataset:w:b [0,-)']);
  });

  it('reopens when a later run declares the edge again, giving one row per interval', () => {
    const runs = [runFact('1', 0, 10, { outputs: [B] }), runFact('2', 20, 30, {}), runFact('3', 40, 50, { outputs: [B] }), runFact('4', 60, 70, {})];
    expect(intervals(runs)).toEqual(['writes dataset:w:b [0,30)', 'writes dataset:w:b [40,70)']);
  });

  it('does not close on a run that started before the latest declaring run', () => {
    // run 2 started at 5, run 3 (declaring) at 8; run 2 ends at 12: run 3 is later, the edge stays
    expect(intervals([runFact('1', 0, 10, { outputs: [B] }), runFact('2', 5, 12, {}), runFact('3', 8, 20, { outputs: [B] })])).toEqual(['writes dataset:w:b [0,-)']);
  });

  it('is a function of the set of runs: every permutation gives the same edges', () => {
    const runs = [runFact('1', 0, 10, { inputs: [A], outputs: [B] }), runFact('2', 20, 30, { inputs: [A] }), runFact('3', 40, 45, { outputs: [B] }), runFact('4', 50, 60, { inputs: [A] }, 'FAIL')];
    const expected = computeOwnerEdges(J, runs, new Map());
    const permute = (xs: RunFact[]): RunFact[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permute([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])));
    for (const order of permute(runs)) expect(computeOwnerEdges(J, order, new Map())).toEqual(expected);
  });

  it('closes at a DROP of the dataset and reopens with the next declaring run', () => {
    const runs = [runFact('1', 0, 10, { inputs: [A], outputs: [B] }), runFact('2', 50, 60, { inputs: [A], outputs: [B] })];
    expect(intervals(runs, new Map([[B, [25]]]))).toEqual(['reads dataset:w:a [0,-)', 'writes dataset:w:b [0,25)', 'writes dataset:w:b [50,-)']);
  });

  it("keeps the dropping run's own edge when the run repeats the DROP on a later event (Spark: START and COMPLETE)", () => {
    // spark_dataproc drop_table: run 1 declares output B with DROP at its START (10) and again at its COMPLETE (14);
    // run 2 of the same job completes at 15 without B, which is what closes the edge
    const runs = [runFact('1', 10, 14, { outputs: [B] }), runFact('2', 15, 15, { outputs: [A] })];
    expect(intervals(runs, new Map([[B, [10, 14]]]))).toEqual(['writes dataset:w:a [15,-)', 'writes dataset:w:b [10,15)']);
  });

  it('keeps an edge while a declaring run is in progress at the DROP, and closes it at a DROP after that run', () => {
    const runs = [runFact('1', 0, 10, { inputs: [A] }), runFact('2', 20, 30, { inputs: [A] })];
    // 25 falls inside run 2, 32 after every declaring run: the edge opened at 0 closes at 32, not at 25
    expect(intervals(runs, new Map([[A, [25, 32]]]))).toEqual(['reads dataset:w:a [0,32)']);
    // a DROP between runs closes; run 2's own later DROP does not close the edge it reopened
    expect(intervals(runs, new Map([[A, [15, 30]]]))).toEqual(['reads dataset:w:a [0,15)', 'reads dataset:w:a [20,-)']);
  });

  it('resumes from a checkpoint taken while a declaring run is in progress with the same DROP outcome', () => {
    // run 1 started at 0 and is still RUNNING (latest event 50); run 2 starts at 20 (the checkpoint) and fails;
    // the DROP at 40 falls inside run 1, so the edge stays until run 3 completes without it
    const run1 = { ...runFact('1', 0, null, { outputs: [B] }), updatedAt: 50 };
    const run2 = runFact('2', 20, 25, {}, 'FAIL');
    const run3 = runFact('3', 60, 70, {});
    const drops = new Map([[B, [40]]]);
    const whole = computeOwnerEdges(J, [run1, run2, run3], drops);
    expect(whole.edges.map((e) => [e.validFrom, e.validTo])).toEqual([[0, 70]]);
    const first = computeOwnerEdges(J, [run1, run2], drops);
    expect(first.checkpoint).toMatchObject({ at: 20, open: [{ to: B, liveUntil: 50 }] });
    // the store reads only the runs with a point at or after the checkpoint: run 1 (RUNNING, started before) is not among them
    const resumed = computeOwnerEdges(J, [run2, run3], drops, JSON.parse(JSON.stringify(first.checkpoint)));
    expect(resumed.edges).toEqual(whole.edges);
    expect(resumed.checkpoint).toEqual(whole.checkpoint);
  });

  it('gives column edges the same validity, with the transformations of the latest declaring run', () => {
    const from = datasetFieldId('w', 'a', 'x');
    const to = datasetFieldId('w', 'b', 'y');
    const r1 = { ...runFact('1', 0, 10, { outputs: [B] }), columns: [{ from, to, transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }], at: 10 }] };
    const r2 = { ...runFact('2', 20, 30, { outputs: [B] }), columns: [{ from, to, transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }], at: 30 }] };
    const r3 = runFact('3', 40, 50, { outputs: [B] });
    expect(computeOwnerEdges(J, [r3, r2, r1], new Map()).columnEdges).toEqual([
      { from, to, job: J, transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: true }], provenance: 'declared', validFrom: 0, validTo: 50 },
    ]);
  });

  it('names the dataset of a field or dataset id', () => {
    expect(datasetOf(datasetFieldId('s3://b:2024', 'x/y', 'col'))).toBe(datasetId('s3://b:2024', 'x/y'));
    expect(datasetOf(A)).toBe(A);
    expect(datasetOf(J)).toBeNull();
  });
});

describe('computeOwnerEdges resumed from a checkpoint', () => {
  /** Deterministic pseudo-random runs of one job over a handful of datasets. */
  const randomRuns = (seed: number, count: number): RunFact[] => {
    let s = seed;
    const next = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pool = ['a', 'b', 'c', 'd'].map((n) => datasetId('w', n));
    const pick = () => pool.filter(() => next() < 0.5);
    let t = 0;
    return Array.from({ length: count }, (_, i) => {
      t += Math.floor(next() * 10);
      const roll = next();
      const state: RunFact['state'] = roll < 0.6 ? 'COMPLETE' : roll < 0.75 ? 'FAIL' : roll < 0.85 ? 'ABORT' : 'RUNNING';
      const end = state === 'RUNNING' ? null : t + Math.floor(next() * 25);
      const cols = next() < 0.5 ? [{ from: datasetFieldId('w', 'a', 'x'), to: datasetFieldId('w', 'b', 'y'), transformations: [{ type: next() < 0.5 ? 'DIRECT' : 'INDIRECT' }], at: t }] : [];
      return { ...runFact(`r${String(i).padStart(3, '0')}`, t, end, { inputs: pick(), outputs: pick() }, state), columns: cols };
    });
  };

  it('gives the same edges as a full computation, for many random histories split anywhere', () => {
    for (let seed = 1; seed <= 60; seed += 1) {
      const runs = randomRuns(seed, 14);
      const drops = new Map<NodeId, number[]>(seed % 3 === 0 ? [[datasetId('w', 'b'), [40 + seed]]] : []);
      const whole = computeOwnerEdges(J, runs, drops);
      for (let k = 1; k < runs.length; k += 1) {
        const first = computeOwnerEdges(J, runs.slice(0, k), drops);
        const at = first.checkpoint!.at;
        const rest = runs.slice(k);
        if (rest.some((r) => r.startedAt < at)) continue; // the store only resumes when nothing earlier changed
        const needed = [...runs.slice(0, k).filter((r) => r.startedAt >= at || (r.state === 'COMPLETE' && (r.stateAt as number) >= at)), ...rest];
        const resumed = computeOwnerEdges(J, needed, drops, first.checkpoint!);
        const keptEdges = first.edges.filter((e) => e.validTo !== null && e.validTo < at);
        const keptColumns = first.columnEdges.filter((e) => e.validTo !== null && e.validTo < at);
        const sort = (xs: any[]) => [...xs].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
        expect({ seed, k, edges: sort([...keptEdges, ...resumed.edges]), columns: sort([...keptColumns, ...resumed.columnEdges]) }).toEqual({
          seed,
          k,
          edges: sort(whole.edges),
          columns: sort(whole.columnEdges),
        });
        expect(resumed.checkpoint).toEqual(whole.checkpoint);
      }
    }
  });
});
