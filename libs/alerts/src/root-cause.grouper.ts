/**
 * Grouping by root cause across domains. A finding whose upstream (the gateway's federated upstream
 * traversal) holds an open finding joins the alert of the farthest such upstream that has no open upstream
 * of its own: one stale source and its twenty stale consumers in three domains are one alert at the source,
 * listing the consumers. Each consumer still gets its own alert, linked to the root, which does not page
 * unless grouping is configured to (`downstream: page`).
 */
import type { AffectedAsset } from './alert.types';
import { alertKey } from './alert-key';
import { findingAsset, findingRule, type FindingInput } from './finding-input.types';

export interface UpstreamNode {
  id: string;
  distance: number;
}

/** The federated upstream of a node (every ancestor, with its distance). */
export type UpstreamLookup = (asset: string) => Promise<UpstreamNode[]>;

export interface FindingGroup {
  key: string;
  kind: string;
  asset: string;
  rule: string;
  domain: string;
  /** Open findings with this key. */
  findings: FindingInput[];
  /** The root group's key when this asset is downstream of another open finding; null for a root. */
  rootKey: string | null;
  /** For a root: the downstream findings that joined it. */
  affected: AffectedAsset[];
}

const byOpenedThenId = (a: FindingInput, b: FindingInput) => a.openedAt - b.openedAt || a.id.localeCompare(b.id);

/** Runs fn over items with at most `limit` in flight. */
const mapLimited = async <T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
};

export const groupByRootCause = async (findings: FindingInput[], upstream: UpstreamLookup, concurrency = 8): Promise<FindingGroup[]> => {
  const open = findings.filter((f) => f.status === 'open').sort(byOpenedThenId);
  const byAsset = new Map<string, FindingInput[]>();
  for (const finding of open) {
    const asset = findingAsset(finding);
    byAsset.set(asset, [...(byAsset.get(asset) ?? []), finding]);
  }
  const assets = [...byAsset.keys()].sort();
  const ancestors = new Map<string, UpstreamNode[]>();
  const lists = await mapLimited(assets, concurrency, upstream);
  assets.forEach((asset, i) => ancestors.set(asset, lists[i].filter((n) => n.id !== asset && byAsset.has(n.id))));

  // Lineage has cycles (a job that reads what it writes, two jobs feeding each other): assets upstream of each other
  // are one cycle. A root cycle has no open ancestor outside itself; its asset whose finding opened first (then by id)
  // is its root, and the others join it.
  const ancestorIds = new Map(assets.map((asset) => [asset, new Set((ancestors.get(asset) ?? []).map((n) => n.id))]));
  const inCycle = (x: string, y: string) => ancestorIds.get(x)!.has(y) && ancestorIds.get(y)!.has(x);
  const isRootCycle = (x: string) => (ancestors.get(x) ?? []).every((n) => inCycle(x, n.id));
  const firstOpened = (x: string) => byAsset.get(x)![0].openedAt;
  const cycleRoot = (x: string) =>
    [x, ...(ancestors.get(x) ?? []).filter((n) => inCycle(x, n.id)).map((n) => n.id)].sort((a, b) => firstOpened(a) - firstOpened(b) || a.localeCompare(b))[0];

  /** The root asset for an asset: among its open ancestors, those in a root cycle (most often alone); the farthest wins. */
  const rootOf = (asset: string): string => {
    if (isRootCycle(asset)) return cycleRoot(asset);
    const open = ancestors.get(asset)!;
    const roots = open.filter((n) => isRootCycle(n.id));
    const pick = (roots.length ? roots : open).sort((a, b) => b.distance - a.distance || a.id.localeCompare(b.id))[0];
    return isRootCycle(pick.id) ? cycleRoot(pick.id) : pick.id;
  };

  const groups = new Map<string, FindingGroup>();
  const groupFor = (finding: FindingInput, rootKey: string | null): FindingGroup => {
    const asset = findingAsset(finding);
    const rule = findingRule(finding);
    const key = alertKey(finding.kind, asset, rule);
    let group = groups.get(key);
    if (!group) {
      group = { key, kind: finding.kind, asset, rule, domain: finding.domain, findings: [], rootKey, affected: [] };
      groups.set(key, group);
    }
    group.findings.push(finding);
    return group;
  };

  for (const asset of assets) {
    const root = rootOf(asset);
    if (root === asset) for (const finding of byAsset.get(asset)!) groupFor(finding, null);
  }
  for (const asset of assets) {
    const root = rootOf(asset);
    if (root === asset) continue;
    // The root's first (earliest) finding's alert carries the downstream ones.
    const rootFinding = byAsset.get(root)![0];
    const rootGroup = groups.get(alertKey(rootFinding.kind, root, findingRule(rootFinding)));
    if (!rootGroup) {
      // an upstream answer cut short (not every ancestor of an ancestor listed) named a root that is not one: the asset
      // stands alone rather than losing its alert
      for (const finding of byAsset.get(asset)!) groupFor(finding, null);
      continue;
    }
    for (const finding of byAsset.get(asset)!) {
      rootGroup.affected.push({ asset, domain: finding.domain, findingId: finding.id, kind: finding.kind });
      groupFor(finding, rootGroup.key);
    }
  }
  return [...groups.values()];
};
