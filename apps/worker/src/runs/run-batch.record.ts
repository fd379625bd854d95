/**
 * What one delivered batch adds to its run's record: its counts, the window it read (the newest MAX_WINDOWS_KEPT
 * in detail; counts and gaps cover them all), the run's span when the run keeps its cursor, column-lineage
 * coverage, and its gaps, with one more when the shard refused some of its events.
 */
import type { CoverageGap, PullBatch } from '@lineage-hub/connector-sdk';
import type { RunRecord } from '../instances/connector-run.record';
import type { RunCounters } from './run-context';

export const MAX_WINDOWS_KEPT = 200;

/** Adds `batch` to `run` and returns the batch's gaps (for the run's gap list, which the caller keeps). */
export const recordBatch = (
  run: RunRecord,
  batch: PullBatch,
  eventsRefused: Array<{ reason: string }>,
  counters: RunCounters,
  keepCursor: boolean,
): CoverageGap[] => {
  const gaps: CoverageGap[] = [...batch.coverage.gaps];
  if (eventsRefused.length > 0)
    gaps.push({
      kind: 'partial',
      from: batch.coverage.windowStart,
      to: batch.coverage.windowEnd,
      reason: `the shard refused ${eventsRefused.length} event(s): ${eventsRefused.slice(0, 3).map((r) => r.reason).join('; ')}`,
    });
  const c = run.counts;
  c.rowsRead += batch.coverage.rowsRead;
  c.events += batch.events.length;
  c.observedWrites += batch.observedWrites.length;
  c.batches += 1;
  c.requests = counters.requests;
  c.rateLimitWaits = counters.rateLimitWaits;
  run.coverage.windows.push({
    from: batch.coverage.windowStart,
    to: batch.coverage.windowEnd,
    rowsRead: batch.coverage.rowsRead,
    events: batch.events.length,
    observedWrites: batch.observedWrites.length,
    gaps,
  });
  run.coverage.windowsCovered += 1;
  if (run.coverage.windows.length > MAX_WINDOWS_KEPT) run.coverage.windows.splice(0, run.coverage.windows.length - MAX_WINDOWS_KEPT);
  if (keepCursor)
    run.window = {
      from: Math.min(run.window?.from ?? batch.coverage.windowStart, batch.coverage.windowStart),
      to: Math.max(run.window?.to ?? batch.coverage.windowEnd, batch.coverage.windowEnd),
    };
  const cl = batch.coverage.columnLineage;
  if (cl) {
    run.coverage.columnLineage.statements += cl.statements;
    run.coverage.columnLineage.withColumns += cl.withColumns;
    if (cl.reason) run.coverage.columnLineage.reason = cl.reason;
  }
  return gaps;
};
