/**
 * The findings settings, read once at start: the rules' config with the actor map (FINDINGS_ACTORS_FILE), the
 * freshness policy file (FRESHNESS_FILE), the history window and the interval. A bad file fails the start with
 * the field named.
 */
import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import type { FreshnessPolicyDocument } from '@lineage-hub/model';
import { parseActorMapFile, parsePolicyFile, reconcileConfig, type ReconcileConfig } from '@lineage-hub/reconcile';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';

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
  const actors = f.actorsFile ? wrap('FINDINGS_ACTORS_FILE', () => parseActorMapFile(readFile(f.actorsFile!))) : {};
  const filePolicies = f.freshnessFile ? wrap('FRESHNESS_FILE', () => parsePolicyFile(readFile(f.freshnessFile!))) : null;
  return { domain: config.domain, rules: reconcileConfig({ actors, slackMs: f.slackMs }), historyMs: f.historyDays * 86_400_000, intervalMs: f.intervalMs, filePolicies, cacheFacts: f.cacheFacts };
};

export const findingsSettingsProvider: Provider = {
  provide: FINDINGS_SETTINGS,
  inject: [SHARD_CONFIG],
  useFactory: (config: ShardConfig) => findingsSettings(config),
};
