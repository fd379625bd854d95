/** Defaults for the rules; a shard's config may override any of them. */
import type { ReconcileConfig } from './reconcile.types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_RECONCILE_CONFIG: ReconcileConfig = {
  slackMs: 5 * MINUTE,
  actors: {},
  missingInput: { minRuns: 4, ofRuns: 5 },
  unobservedRuns: 3,
  stalled: { timeoutMs: 6 * HOUR, quantile: 0.95, margin: 2, minRuns: 5 },
  freshness: { minUpdates: 7, burstMs: 5 * MINUTE, quantile: 0.9, margin: 1.5, minSlackMs: 15 * MINUTE, minSlackRatio: 0.25, changeWindow: 5, changeRatio: 3 },
  // Snowflake ACCOUNT_USAGE lags 45 min to 3 h; BigQuery INFORMATION_SCHEMA.JOBS minutes; Redshift STL/SYS minutes
  // (STL keeps ~7 days: a lag beyond that loses data); Salesforce's API is current.
  coverageLatencyMs: { snowflake: 3 * HOUR, bigquery: 15 * MINUTE, redshift: 15 * MINUTE, salesforce: 15 * MINUTE },
  coverageDefaultLatencyMs: HOUR,
  coverageSlackMs: HOUR,
};

/** Defaults with the given overrides (nested objects merged one level deep). */
export const reconcileConfig = (overrides: Partial<ReconcileConfig> = {}): ReconcileConfig => ({
  ...DEFAULT_RECONCILE_CONFIG,
  ...overrides,
  missingInput: { ...DEFAULT_RECONCILE_CONFIG.missingInput, ...overrides.missingInput },
  stalled: { ...DEFAULT_RECONCILE_CONFIG.stalled, ...overrides.stalled },
  freshness: { ...DEFAULT_RECONCILE_CONFIG.freshness, ...overrides.freshness },
  coverageLatencyMs: { ...DEFAULT_RECONCILE_CONFIG.coverageLatencyMs, ...overrides.coverageLatencyMs },
});
