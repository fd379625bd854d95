import type { CoverageRecord, NodeId } from '@lineage-hub/model';
import { CoverageIndex, reconcileConfig, type RunFact } from '@lineage-hub/reconcile';
import { CoverageWatch } from './findings-coverage-watch';

const H = 3_600_000;
const J = 'job:airflow:daily.load' as NodeId;
const K = 'job:airflow:hourly.load' as NodeId;
const OUT = 'dataset:snowflake://acme:MART.OUT' as NodeId;
const run = (i: number, job = J): RunFact => ({ runId: `${job}-${i}`, job, state: 'COMPLETE', startedAt: i * H, endedAt: i * H + 600_000, inputs: [], outputs: [OUT], externalQueryIds: [] });
const covered = (to: number, recordedAt = to): CoverageRecord => ({ connectorId: 'sf', platform: 'snowflake', namespace: 'snowflake://acme', from: 0, to, gaps: [], recordedAt });
const config = reconcileConfig();
const runs = new Map<NodeId, RunFact[]>([
  [J, [1, 2, 3].map((i) => run(i))],
  [K, [1, 2, 3].map((i) => run(i, K))],
]);
const runsOf = (j: NodeId) => runs.get(j) ?? [];

describe('CoverageWatch', () => {
  it('rechecks the jobs whose last runs the connector had not read, once a new coverage record arrives', () => {
    const watch = new CoverageWatch();
    const lagging = [covered(3 * H)]; // J's and K's last run (3 h .. 3 h 10 min) not read yet
    watch.record('full', [J, K], runsOf, new CoverageIndex(lagging), lagging, config);
    expect(watch.size).toBe(2);
    expect(watch.jobsToRecheck(lagging)).toEqual([]); // nothing new: nothing to do
    const caughtUp = [...lagging, covered(5 * H)];
    expect(watch.jobsToRecheck(caughtUp).sort()).toEqual([J, K].sort());
    // J evaluated again with the new coverage: no longer waiting; K not evaluated: still waiting
    watch.record('incremental', [J], runsOf, new CoverageIndex(caughtUp), caughtUp, config);
    expect(watch.size).toBe(1);
    expect(watch.jobsToRecheck(caughtUp)).toEqual([]);
    expect(watch.jobsToRecheck([...caughtUp, covered(6 * H)])).toEqual([K]);
  });

  it('a failed evaluation records nothing: the new record still triggers the next round', () => {
    const watch = new CoverageWatch();
    const lagging = [covered(3 * H)];
    watch.record('full', [J], runsOf, new CoverageIndex(lagging), lagging, config);
    const caughtUp = [...lagging, covered(5 * H)];
    expect(watch.jobsToRecheck(caughtUp)).toEqual([J]);
    // (no record(): the evaluation failed) asked again, the same
    expect(watch.jobsToRecheck(caughtUp)).toEqual([J]);
  });

  it('a full evaluation replaces what was waiting', () => {
    const watch = new CoverageWatch();
    const lagging = [covered(3 * H)];
    watch.record('full', [J, K], runsOf, new CoverageIndex(lagging), lagging, config);
    const read = [covered(10 * H)];
    watch.record('full', [J, K], runsOf, new CoverageIndex(read), read, config);
    expect(watch.size).toBe(0);
  });
});
