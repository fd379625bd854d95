/** Run history as the API shows it: every time ISO-8601 (the store keeps epoch ms). */
import type { CoverageGap } from '@lineage-hub/connector-sdk';
import type { RunRecord } from '../instances/connector-run.record';

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const gapView = (g: CoverageGap) => ({ ...g, from: iso(g.from), to: iso(g.to) });

export const runView = (r: RunRecord) => ({
  ...r,
  queuedAt: iso(r.queuedAt),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
  window: r.window ? { from: iso(r.window.from), to: iso(r.window.to) } : null,
  /** Live while the run runs: vendor requests, rows read and pages (batches) delivered so far. */
  progress: { requests: r.counts.requests, rows: r.counts.rowsRead, pages: r.counts.batches },
  coverage: {
    ...r.coverage,
    windows: r.coverage.windows.map((w) => ({ ...w, from: iso(w.from), to: iso(w.to), gaps: w.gaps.map(gapView) })),
    gaps: r.coverage.gaps.map(gapView),
  },
});

export type RunView = ReturnType<typeof runView>;
