/**
 * Severity from blast radius, by configurable rules: the first rule whose conditions all hold wins; none
 * holds -> `info`. A condition left out always holds.
 */
import type { Severity } from './alert.types';
import type { RankedBlastRadius } from './blast-radius';

export interface SeverityRule {
  severity: Severity;
  /** Only for these finding kinds. */
  kinds?: string[];
  /** The most critical tier hurt (the asset or a consumer) is at most this (1 = tier:1). */
  maxTier?: number;
  minDatasets?: number;
  minDomains?: number;
  /** At least this many critical (tiered) consumers. */
  minCritical?: number;
}

export const DEFAULT_SEVERITY_RULES: SeverityRule[] = [
  { severity: 'critical', maxTier: 1 },
  { severity: 'error', maxTier: 2 },
  { severity: 'error', minDomains: 3 },
  { severity: 'warning', minDatasets: 1 },
];

export const ruleHolds = (rule: SeverityRule, kind: string, radius: RankedBlastRadius): boolean =>
  (!rule.kinds || rule.kinds.includes(kind)) &&
  (rule.maxTier === undefined || (radius.topTier !== null && radius.topTier <= rule.maxTier)) &&
  (rule.minDatasets === undefined || radius.datasets >= rule.minDatasets) &&
  (rule.minDomains === undefined || Object.keys(radius.domains).length >= rule.minDomains) &&
  (rule.minCritical === undefined || radius.critical.length >= rule.minCritical);

export const severityFor = (kind: string, radius: RankedBlastRadius, rules: SeverityRule[] = DEFAULT_SEVERITY_RULES): Severity =>
  rules.find((rule) => ruleHolds(rule, kind, radius))?.severity ?? 'info';

export const severityRank = (severity: Severity): number => ({ critical: 0, error: 1, warning: 2, info: 3 })[severity];
