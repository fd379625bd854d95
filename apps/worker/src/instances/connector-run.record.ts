/** What the run history shows for one run: state, windows read, counts, coverage and the error, if any. */
import type { CoverageGap } from '@lineage-hub/connector-sdk';

/** What started a run: its schedule, a run-now request, or a backfill/re-run of an explicit window. */
export type RunTrigger = 'schedule' | 'manual' | 'backfill';

export type RunState = 'queued' | 'running' | 'succeeded' | 'retrying' | 'throttled' | 'failed';

export interface RunWindow {
  from: number;
  to: number;
  rowsRead: number;
  events: number;
  observedWrites: number;
  gaps: CoverageGap[];
}

export interface RunRecord {
  runId: string;
  connectorId: string;
  kind: string;
  domain: string;
  trigger: RunTrigger;
  state: RunState;
  attempts: number;
  /** The worker process that ran the last attempt (pid-uuid). */
  worker: string | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The span of time this run read (first window start to last window end), null before the first batch. */
  window: { from: number; to: number } | null;
  counts: { rowsRead: number; events: number; observedWrites: number; batches: number; requests: number; rateLimitWaits: number };
  coverage: {
    windowsCovered: number;
    windows: RunWindow[];
    gaps: CoverageGap[];
    /** False when any gap was recorded: some time was not read. */
    complete: boolean;
    columnLineage: { statements: number; withColumns: number; reason?: string };
    /** The dataset namespace the connector observes (its coverage is filed under it at the domain's shard). */
    namespace?: string;
    /** When the shard of the domain took this run's coverage record (null: not yet, or nothing was read). */
    reportedAt?: number | null;
  };
  error: { code: string; message: string } | null;
}

export const newRunRecord = (init: Pick<RunRecord, 'runId' | 'connectorId' | 'kind' | 'domain' | 'trigger'> & { queuedAt: number }): RunRecord => ({
  ...init,
  state: 'queued',
  attempts: 0,
  worker: null,
  startedAt: null,
  finishedAt: null,
  window: null,
  counts: { rowsRead: 0, events: 0, observedWrites: 0, batches: 0, requests: 0, rateLimitWaits: 0 },
  coverage: { windowsCovered: 0, windows: [], gaps: [], complete: true, columnLineage: { statements: 0, withColumns: 0 } },
  error: null,
});
