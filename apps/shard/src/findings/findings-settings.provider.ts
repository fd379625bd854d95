/**
 * The findings settings, read once at start: the rules' config with the actor map (FINDINGS_ACTORS_FILE) and the
 * thresholds the environment overrides (FINDINGS_SLACK_MS, FINDINGS_STALLED_TIMEOUT_MS, FINDINGS_MISSING_INPUT_*,
 * FINDINGS_UNOBSERVED_RUNS), the
 * freshness policy file (FRESHNESS_FILE), the history window and the interval. A bad file fails the start with
 * the field named.
 */
import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import type { FreshnessPolicyDocument } from '@lineage-hub/model';
import { DEFAULT_RECONCILE_CONFIG, parseActorMapFile, parsePolicyFile, reconcileConfig, type ReconcileConfig } from '@lineage-hub/reconcile';
import type { ShardConfig } from '../shard.config';

export const FINDINGS_SETTINGS = Symbol('FINDINGS_SETTINGS');

export interface FindingsSettings {
  domain: string;
  rules: ReconcileConfig;
  historyMs: number;
  intervalMs: number;
  /** The policy document of FRESHNESS_FILE, applied at start (null: none configured). */
  filePolicies: FreshnessPolicyDocument | null;
  /** Writes and runs of the history window held in memory between evaluations at most (0: none; default 5,000,000). */
  cacheFacts?: number;
}

/** The file's text (the caller names the variable in any error). */
const readFile = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
};

export const findingsSettings = (config: ShardConfig): FindingsSettings => {
  const f = config.findings;
  const wrap = <T>(variable: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw new Error(`${variable}: ${(e as Error).message}`);
    }
  };
  const actors = f.actorsFile ? wrap(`FINDINGS_ACTORS_FILE (${f.actorsFile})`, () => parseActorMapFile(readFile(f.actorsFile!))) : {};
  const filePolicies = f.freshnessFile ? wrap(`FRESHNESS_FILE (${f.freshnessFile})`, () => parsePolicyFile(readFile(f.freshnessFile!))) : null;
  const rules = reconcileConfig({
    actors,
    slackMs: f.slackMs,
    ...(f.stalledTimeoutMs !== undefined && { stalled: { ...DEFAULT_RECONCILE_CONFIG.stalled, timeoutMs: f.stalledTimeoutMs } }),
    ...(f.missingInput && { missingInput: f.missingInput }),
    ...(f.unobservedRuns !== undefined && { unobservedRuns: f.unobservedRuns }),
  });
  return { domain: config.domain, rules, historyMs: f.historyDays * 86_400_000, intervalMs: f.intervalMs, filePolicies, cacheFacts: f.cacheFacts };
};

/**
 * The settings as a provider value, read when the module is built (ShardModule.forRoot): a bad file fails the start
 * before any provider has opened anything. Read in a factory, it failed after the store had been opened, which then
 * stayed open (Nest closes nothing of a module that did not finish being created).
 */
export const findingsSettingsProvider = (config: ShardConfig): Provider => ({ provide: FINDINGS_SETTINGS, useValue: findingsSettings(config) });
