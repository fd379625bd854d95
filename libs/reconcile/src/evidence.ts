/** Facts as finding evidence. */
import type { EvidenceRun, EvidenceWrite } from '@lineage-hub/model';
import { excerpt } from './node-parts';
import type { RunFact, WriteFact } from './reconcile.types';

export const writeEvidence = (w: WriteFact): EvidenceWrite => ({
  dataset: w.dataset,
  at: w.at,
  ...(w.operation !== undefined && { operation: w.operation }),
  ...(w.actor !== undefined && { actor: w.actor }),
  queryId: w.queryId,
  ...(w.queryText !== undefined && { textExcerpt: excerpt(w.queryText) }),
  ...(w.rows !== undefined && { rows: w.rows }),
  connectorId: w.connectorId,
});

export const runEvidence = (r: RunFact): EvidenceRun => ({ runId: r.runId, job: r.job, state: r.state, startedAt: r.startedAt, endedAt: r.endedAt });

export const iso = (t: number | null | undefined): string => (t === null || t === undefined ? 'never' : new Date(t).toISOString());

export const humanMs = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  if (m < 120) return `${m}m`;
  const h = ms / 3_600_000;
  return h < 48 ? `${Math.round(h * 10) / 10}h` : `${Math.round((h / 24) * 10) / 10}d`;
};

/** Runs ordered by start (runs without a start last). */
export const byStart = (a: RunFact, b: RunFact): number => (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity) || a.runId.localeCompare(b.runId);

export const isRemoval = (operation: string | undefined): boolean => operation === 'DELETE' || operation === 'TRUNCATE';
