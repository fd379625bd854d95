/**
 * coverage-gap: a connector instance is behind by more than its platform's known latency plus the schedule
 * slack (key coverage-gap|connector|behind), or a run recorded a window it could not read and no later run
 * filled it (key coverage-gap|connector|gap:from-to).
 */
import type { CoverageIndex } from '../coverage-index';
import { humanMs, iso } from '../evidence';
import type { FindingDraft, ReconcileConfig } from '../reconcile.types';

export const allowedLag = (platform: string, cfg: ReconcileConfig): number =>
  (cfg.coverageLatencyMs[platform.toLowerCase()] ?? cfg.coverageDefaultLatencyMs) + cfg.coverageSlackMs;

export const coverageGaps = (coverage: CoverageIndex, cfg: ReconcileConfig, now: number): FindingDraft[] => {
  const drafts: FindingDraft[] = [];
  for (const c of coverage.connectors) {
    const lag = now - c.coveredUntil;
    const allowed = allowedLag(c.platform, cfg);
    if (lag <= allowed) continue;
    drafts.push({
      key: `coverage-gap|${c.connectorId}|behind`,
      kind: 'coverage-gap',
      confidence: 'high',
      summary: `connector ${c.connectorId} (${c.platform}) is behind by more than ${humanMs(allowed)}`,
      evidence: { connectorId: c.connectorId, platform: c.platform, coveredUntil: c.coveredUntil, lagMs: lag, allowedLagMs: allowed },
    });
  }
  for (const g of coverage.openGaps)
    drafts.push({
      key: `coverage-gap|${g.connectorId}|gap:${g.from}-${g.to}`,
      kind: 'coverage-gap',
      confidence: 'high',
      summary: `connector ${g.connectorId} (${g.platform}) could not read ${iso(g.from)} to ${iso(g.to)}${g.reason ? `: ${g.reason}` : ''}`,
      evidence: { connectorId: g.connectorId, platform: g.platform, gap: { from: g.from, to: g.to, ...(g.reason && { reason: g.reason }) } },
    });
  return drafts;
};
