import type { NodeId, ObservedWrite } from '@lineage-hub/model';
import { CoverageIndex, reconcileConfig, type CoverageFact, type WriteFact } from '@lineage-hub/reconcile';
import type { FactRun, FindingsStore } from '@lineage-hub/store';
import { FindingsFactsCache } from './findings-facts-cache';
import { incrementalFromCache, type IncrementalInput } from './findings-incremental-facts';

const ds = (n: string, ns = 'snowflake://acme') => `dataset:${ns}:${n}` as NodeId;
const job = (n: string) => `job:airflow:${n}` as NodeId;
const fact = (dataset: NodeId, at: number, queryId: string): WriteFact => ({ dataset, at, queryId, connectorId: 'sf', sources: [] });
const run = (runId: string, j: NodeId, startedAt: number, outputs: NodeId[]): FactRun => ({
  runId,
  job: j,
  state: 'COMPLETE',
  startedAt,
  endedAt: startedAt + 10,
  inputs: [],
  outputs,
  externalQueryIds: [],
  windowEnd: startedAt + 10,
});
// only what a warm round asks of the store when no job got run events and no run names a query id
const store = { runsOfJobs: async () => [], writesByQueryIds: async () => [] } as unknown as FindingsStore;

describe('incrementalFromCache: which jobs a warm round evaluates', () => {
  const A = ds('A');
  const B = ds('B', 'bigquery://p');
  const X = job('x');
  const Y = job('y');
  const cache = () =>
    FindingsFactsCache.of(
      { writes: [fact(A, 10, 'q1'), fact(B, 10, 'q2')], runs: [run('r1', X, 5, [A]), run('r3', X, 20, [A]), run('r4', X, 40, [A]), run('r2', Y, 5, [B])] },
      { eventSeq: 0, writeSeq: 2 },
      0,
      100,
    );
  const config = reconcileConfig({ actors: { SVC_X: { job: X } } });
  // X's last 3 runs span 5..50; with the slack, a write up to 50 + slack falls in their windows
  const afterLastRun = 50 + config.slackMs + 1;
  const covering = (namespace: string): CoverageFact => ({ connectorId: 'c', platform: 'p', namespace, from: 0, to: 2 * afterLastRun, gaps: [], recordedAt: 2 * afterLastRun });
  const input = (writes: ObservedWrite[], over: Partial<IncrementalInput> = {}): IncrementalInput => ({
    changes: { jobs: [], datasets: [...new Set(writes.map((w) => w.dataset))], described: [], writes, eventSeq: 0, writeSeq: 3 },
    due: [],
    openJobs: [],
    since: 0,
    config,
    coverage: new CoverageIndex([]),
    ...over,
  });
  const write = (dataset: NodeId, over: Partial<ObservedWrite> = {}): ObservedWrite => ({ dataset, sources: [], writtenAt: 50, queryId: 'new', connectorId: 'sf', ...over });

  it.each([
    { name: 'a write that names no job, no connector observing: the dataset only', writes: [write(A, { hints: { dbtNode: 'model.p.x' } })], over: {}, jobs: [] },
    { name: 'a write that read a dataset and names a job by actor: its writers too', writes: [write(A, { sources: [B], actor: 'SVC_X' })], over: {}, jobs: [X] },
    { name: 'a connector observes the written dataset, the write in a last run: its writers too', writes: [write(A)], over: { coverage: new CoverageIndex([covering('snowflake://acme')]) }, jobs: [X] },
    {
      name: 'a connector observes the written dataset, the write after the last run: the dataset only',
      writes: [write(A, { writtenAt: afterLastRun })],
      over: { coverage: new CoverageIndex([covering('snowflake://acme')]) },
      jobs: [],
    },
    { name: 'a connector observes another namespace: the dataset only', writes: [write(A)], over: { coverage: new CoverageIndex([covering('bigquery://p')]) }, jobs: [] },
    { name: 'a due dataset: its writers as before', writes: [], over: { due: [B] }, jobs: [Y] },
    { name: 'a job with an open run: evaluated', writes: [write(A)], over: { openJobs: [Y] }, jobs: [Y] },
  ])('$name', async ({ writes, over, jobs }) => {
    const scope = await incrementalFromCache(store, cache(), input(writes, over));
    expect(scope!.jobs).toEqual(jobs);
    expect(scope!.datasets).toEqual(writes.length ? [A] : [B]);
  });
});
