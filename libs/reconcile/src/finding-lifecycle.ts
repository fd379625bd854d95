/**
 * Finding lifecycle: what the rules raise now, against what is open for the subjects just evaluated. A key
 * raised and not open opens a finding (a new id, even if the key was resolved before: a new episode); a key
 * open and raised again is kept (its evidence and summary refreshed when they changed); a key open in the
 * evaluated scope and not raised resolves. Findings outside the scope are left alone.
 */
import type { Finding, FindingHistoryEntry } from '@lineage-hub/model';
import type { FindingDraft } from './reconcile.types';

export interface LifecycleChanges {
  opened: Finding[];
  updated: Finding[];
  /** Still open, only moving numbers changed (elapsed time, lag): stored without a history entry. */
  refreshed: Finding[];
  resolved: Finding[];
  history: FindingHistoryEntry[];
}

export interface LifecycleInput {
  domain: string;
  now: number;
  /** Open findings of the evaluated scope (by key). */
  open: ReadonlyMap<string, Finding>;
  drafts: readonly FindingDraft[];
  /** True for open findings the evaluation covered (resolved when not raised again). */
  inScope: (finding: Finding) => boolean;
  newId: (draft: FindingDraft) => string;
}

/** Evidence fields that move on every evaluation while the condition stays the same. */
const MOVING = new Set(['elapsedMs', 'lagMs', 'coveredUntil']);
const fingerprint = (confidence: string, summary: string, evidence: object): string =>
  JSON.stringify([confidence, summary, Object.entries(evidence).filter(([k]) => !MOVING.has(k))]);

export const applyLifecycle = (input: LifecycleInput): LifecycleChanges => {
  const changes: LifecycleChanges = { opened: [], updated: [], refreshed: [], resolved: [], history: [] };
  const raised = new Set<string>();
  for (const d of input.drafts) {
    if (raised.has(d.key)) continue;
    raised.add(d.key);
    const existing = input.open.get(d.key);
    if (!existing) {
      const f: Finding = {
        id: input.newId(d),
        key: d.key,
        kind: d.kind,
        ...(d.dataset !== undefined && { dataset: d.dataset }),
        ...(d.job !== undefined && { job: d.job }),
        domain: input.domain,
        status: 'open',
        openedAt: input.now,
        resolvedAt: null,
        updatedAt: input.now,
        confidence: d.confidence,
        summary: d.summary,
        evidence: d.evidence,
      };
      changes.opened.push(f);
      changes.history.push({ findingId: f.id, at: input.now, change: 'opened', summary: d.summary });
    } else if (fingerprint(existing.confidence, existing.summary, existing.evidence) !== fingerprint(d.confidence, d.summary, d.evidence)) {
      const f: Finding = { ...existing, confidence: d.confidence, summary: d.summary, evidence: d.evidence, updatedAt: input.now };
      changes.updated.push(f);
      changes.history.push({ findingId: f.id, at: input.now, change: 'updated', summary: d.summary });
    } else if (JSON.stringify(existing.evidence) !== JSON.stringify(d.evidence)) {
      changes.refreshed.push({ ...existing, evidence: d.evidence });
    }
  }
  for (const f of input.open.values()) {
    if (raised.has(f.key) || !input.inScope(f)) continue;
    changes.resolved.push({ ...f, status: 'resolved', resolvedAt: input.now, updatedAt: input.now });
    changes.history.push({ findingId: f.id, at: input.now, change: 'resolved', summary: `resolved: ${f.summary}` });
  }
  return changes;
};
