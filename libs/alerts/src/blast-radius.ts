/**
 * Blast radius: who downstream is hurt. From the federated downstream impact of the root asset (datasets
 * with their domains) and each consumer's criticality: a tier from its tags (`tier:1` most critical), a
 * configured list of critical datasets, or an owner on the critical-owners list.
 */
import type { BlastRadius, CriticalConsumer } from './alert.types';

export interface Consumer {
  id: string;
  /** Every domain whose shard holds the dataset (a consumer's shard holds its inputs too). */
  domains: string[];
  /** The owning domain (its writer's, or by namespace) when the traversal knows it: the one it is counted under. */
  domain?: string;
  tags?: string[];
  owners?: string[];
}

export interface CriticalitySettings {
  /** Node ids (or bare names) of datasets that count as tier 1. */
  criticalDatasets: string[];
  /** Owners (OpenLineage ownership facet names) whose datasets count as tier 1. */
  criticalOwners: string[];
}

/** A consumer's tier (1 most critical) and why; null when it has none. */
export const consumerTier = (consumer: Consumer, settings: CriticalitySettings): { tier: number; reason: string } | null => {
  const bare = consumer.id.replace(/^dataset:/, '');
  if (settings.criticalDatasets.some((d) => d === consumer.id || d === bare)) return { tier: 1, reason: 'critical-list' };
  const owner = (consumer.owners ?? []).find((o) => settings.criticalOwners.includes(o));
  if (owner) return { tier: 1, reason: `owner:${owner}` };
  let best: number | null = null;
  for (const tag of consumer.tags ?? []) {
    const match = /^tier[:=_-]?(\d+)$/i.exec(tag.trim());
    if (match && (best === null || Number(match[1]) < best)) best = Number(match[1]);
  }
  return best === null ? null : { tier: best, reason: `tier:${best}` };
};

export interface RankedBlastRadius extends BlastRadius {
  /** The most critical tier among the asset and its consumers (null: none tiered). */
  topTier: number | null;
}

const TOP_CRITICAL = 10;

export const blastRadius = (asset: Consumer, consumers: Consumer[], settings: CriticalitySettings, complete = true): RankedBlastRadius => {
  const domains: Record<string, number> = {};
  const tiered: Array<CriticalConsumer & { tier: number }> = [];
  let datasets = 0;
  for (const consumer of consumers) {
    if (consumer.id === asset.id || !consumer.id.startsWith('dataset:')) continue;
    datasets++;
    const counted = consumer.domain ? [consumer.domain] : consumer.domains.length ? consumer.domains : ['unknown'];
    for (const domain of counted) domains[domain] = (domains[domain] ?? 0) + 1;
    const tier = consumerTier(consumer, settings);
    if (tier) tiered.push({ id: consumer.id, domain: counted[0], reason: tier.reason, tier: tier.tier });
  }
  const own = consumerTier(asset, settings);
  tiered.sort((a, b) => a.tier - b.tier || a.id.localeCompare(b.id));
  const tiers = [...tiered.map((t) => t.tier), ...(own ? [own.tier] : [])];
  return {
    datasets,
    domains,
    critical: tiered.slice(0, TOP_CRITICAL).map(({ id, domain, reason }) => ({ id, domain, reason })),
    complete,
    topTier: tiers.length ? Math.min(...tiers) : null,
  };
};
