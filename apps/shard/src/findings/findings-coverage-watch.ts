/**
 * The jobs whose unobserved-output verdict waits for the connectors' coverage (a last run's window not read
 * completely yet), and the coverage records the last stored evaluation saw. When a round finds a record it had not
 * seen (a connector caught up, or backfilled a gap), it evaluates those jobs again: coverage alone, with no new run
 * or write, can raise the finding. Held between evaluations like the facts cache; a restart starts with a full
 * evaluation, which fills it.
 */
import type { CoverageRecord, NodeId } from '@lineage-hub/model';
import { unobservedOutputAwaitsCoverage, type CoverageIndex, type ReconcileConfig, type RunFact } from '@lineage-hub/reconcile';

const recordKey = (r: CoverageRecord): string => `${r.connectorId}|${r.from}|${r.to}|${r.recordedAt}`;

export class CoverageWatch {
  /** The records the last stored evaluation saw (their keys made only when a job awaits coverage: rarely). */
  private seen: readonly CoverageRecord[] = [];
  private readonly awaiting = new Set<NodeId>();

  /** The jobs to evaluate again this round: those awaiting coverage, when a record is new since the last stored evaluation. */
  jobsToRecheck(records: readonly CoverageRecord[]): NodeId[] {
    if (!this.awaiting.size) return [];
    const seen = new Set(this.seen.map(recordKey));
    if (records.every((r) => seen.has(recordKey(r)))) return [];
    return [...this.awaiting];
  }

  /** After an evaluation is stored: which of the jobs it evaluated await coverage now (full: of all jobs), and the records it saw. */
  record(
    mode: 'full' | 'incremental',
    jobs: readonly NodeId[],
    runsOf: (job: NodeId) => readonly RunFact[],
    coverage: CoverageIndex,
    records: readonly CoverageRecord[],
    config: Pick<ReconcileConfig, 'unobservedRuns' | 'slackMs'>,
  ): void {
    if (mode === 'full') this.awaiting.clear();
    for (const job of jobs) {
      if (unobservedOutputAwaitsCoverage(runsOf(job), coverage, config.unobservedRuns, config.slackMs)) this.awaiting.add(job);
      else this.awaiting.delete(job);
    }
    this.seen = records;
  }

  /** Jobs awaiting coverage (for tests and the log). */
  get size(): number {
    return this.awaiting.size;
  }
}
