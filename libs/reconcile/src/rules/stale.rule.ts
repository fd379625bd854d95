/**
 * stale: the dataset missed its expected update (policy or learned cadence). Key: stale|dataset; resolves by
 * itself on the next update (the rule no longer raises it).
 */
import { humanMs, iso } from '../evidence';
import type { FreshnessVerdict } from '../freshness/freshness-evaluator';
import type { FindingDraft } from '../reconcile.types';

export const staleDataset = (verdict: FreshnessVerdict): FindingDraft[] => {
  if (verdict.status !== 'stale' || verdict.expectedBy === null || verdict.source === null) return [];
  const gap = verdict.usualGapMs === null ? '' : `, usual gap ${humanMs(verdict.usualGapMs)}`;
  return [
    {
      key: `stale|${verdict.dataset}`,
      kind: 'stale',
      dataset: verdict.dataset,
      confidence: verdict.source === 'policy' ? 'high' : 'medium',
      summary: `${verdict.dataset} expected by ${iso(verdict.expectedBy)}, last update ${iso(verdict.lastUpdate)}${gap} (${verdict.source})`,
      evidence: {
        expectedBy: verdict.expectedBy,
        lastUpdate: verdict.lastUpdate,
        ...(verdict.usualGapMs !== null && { usualGapMs: verdict.usualGapMs }),
        source: verdict.source,
        ...(verdict.level && { level: verdict.level }),
        ...(verdict.policy && { policy: verdict.policy }),
      },
    },
  ];
};
