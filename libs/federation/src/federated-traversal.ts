/**
 * The federated traversal: stitch shard-local expansions into one answer without holding anyone's graph.
 *
 * Round 1 sends the query node to every shard whose membership filter may hold it. Each shard walks its
 * local graph as far as the remaining depth allows and answers nodes, edges and its frontier. Every
 * dataset/field reached below the depth limit goes on, in the next round, only to the shards whose filter
 * may hold it and that have not already expanded it at that distance or closer. Rounds therefore grow with
 * the number of domain crossings, not with depth. A shard that fails or misses its deadline is named in
 * `missingDomains` and the answer says `complete: false`; it is never dropped silently.
 */
import type { NodeId, NodeType } from '@lineage-hub/model';
import type { Direction, TraversedEdge } from '@lineage-hub/graph';
import type { MembershipFilter } from './membership-filter';
import type { ExpandRequest, ExpandResponse } from './shard-rpc.contract';

export interface FederationShard {
  domain: string;
  /** Every id the shard holds: the query node goes to each shard this may hold it. */
  filter: MembershipFilter;
  /** Ids the shard can walk on from, per direction (optional; `filter` stands in when absent). */
  downstream?: MembershipFilter;
  upstream?: MembershipFilter;
}

/** How the traversal reaches a shard (TCP ClientProxy in the gateway, direct calls in tests/bench). */
export interface ExpandTransport {
  expand(domain: string, request: ExpandRequest, timeoutMs: number): Promise<ExpandResponse>;
}

export interface FederatedQuery {
  /** Canonical ids (libs/model) of the query node(s). */
  seeds: NodeId[];
  direction: Direction;
  depth: number;
  maxNodes: number;
  asOf?: number;
  transformations?: string[];
}

export interface FederatedLimits {
  /** Per-shard, per-round deadline. */
  shardTimeoutMs: number;
  /** Deadline for the whole query. */
  budgetMs: number;
}

export interface FederatedNode {
  id: NodeId;
  type: NodeType;
  distance: number;
  /** Every domain whose shard holds this node (sorted). */
  domains: string[];
  /** The owning domain: a job's shard; for a dataset the shard whose job writes it, else the first holder. */
  domain: string;
}

export interface FederatedStats {
  roundTrips: number;
  messages: number;
  /** Seeds sent on to shards (all rounds). */
  seedsRouted: number;
  /** Seeds a shard's filter claimed but the shard did not hold. */
  falsePositives: number;
  /** Filter checks that said "no" (true negatives), so the false-positive rate can be computed. */
  filterNegatives: number;
  /** Each answering shard's graph version (cache validation). */
  versions: Record<string, number>;
  domainsQueried: string[];
}

export interface FederatedResult {
  nodes: FederatedNode[];
  edges: Array<TraversedEdge & { domain: string }>;
  complete: boolean;
  missingDomains: string[];
  truncated: boolean;
  stats: FederatedStats;
}

const edgeKey = (edge: TraversedEdge) => `${edge.kind}|${edge.from}|${edge.to}|${edge.job ?? ''}`;

const timeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), Math.max(1, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

export interface FederatedOptions {
  /** The domain that owns a node by configuration (e.g. NAMESPACE_DOMAINS), used when no writer was seen. */
  ownerOf?: (id: NodeId) => string | undefined;
  /** Observes each round: the seeds sent to each domain (diagnostics, benches). */
  onRound?: (round: number, batches: ReadonlyMap<string, ExpandRequest['seeds']>) => void;
}

export const federatedTraversal = async (
  query: FederatedQuery,
  shards: FederationShard[],
  transport: ExpandTransport,
  limits: FederatedLimits,
  options: FederatedOptions = {},
): Promise<FederatedResult> => {
  const deadline = Date.now() + limits.budgetMs;
  const nodes = new Map<string, { id: NodeId; type: NodeType; distance: number; domains: Set<string>; writer?: string }>();
  const edges = new Map<string, TraversedEdge & { domain: string }>();
  const expanded = new Map<string, Map<string, number>>(shards.map((s) => [s.domain, new Map()]));
  const missing = new Set<string>();
  const versions: Record<string, number> = {};
  const stats: FederatedStats = {
    roundTrips: 0,
    messages: 0,
    seedsRouted: 0,
    falsePositives: 0,
    filterNegatives: 0,
    versions,
    domainsQueried: [],
  };
  const queried = new Set<string>();
  let truncated = false;

  // Pending work: node id -> the smallest distance it must be expanded from.
  let pending = new Map<string, { id: NodeId; distance: number; from?: string }>();
  for (const seed of query.seeds) pending.set(seed, { id: seed, distance: 0 });

  let first = true;
  while (pending.size > 0) {
    const batches = new Map<string, ExpandRequest['seeds']>();
    for (const item of pending.values()) {
      for (const shard of shards) {
        if (missing.has(shard.domain)) continue;
        const done = expanded.get(shard.domain)!;
        const at = done.get(item.id);
        if (at !== undefined && at <= item.distance) continue;
        const filter = first ? shard.filter : (shard[query.direction] ?? shard.filter);
        if (!filter.mayHold(item.id)) {
          stats.filterNegatives++;
          continue;
        }
        done.set(item.id, item.distance);
        let batch = batches.get(shard.domain);
        if (!batch) batches.set(shard.domain, (batch = []));
        batch.push({ id: item.id, distance: item.distance });
      }
    }
    pending = new Map();
    first = false;
    if (batches.size === 0) break;

    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      for (const domain of batches.keys()) missing.add(domain);
      break;
    }
    const roundTimeout = Math.min(limits.shardTimeoutMs, remaining);
    const maxNodes = Math.max(1, query.maxNodes - nodes.size);
    stats.roundTrips++;
    options.onRound?.(stats.roundTrips, batches);
    stats.messages += batches.size;
    const calls = [...batches].map(async ([domain, seeds]) => {
      stats.seedsRouted += seeds.length;
      queried.add(domain);
      const request: ExpandRequest = {
        seeds,
        direction: query.direction,
        depth: query.depth,
        maxNodes,
        ...(query.asOf !== undefined ? { asOf: query.asOf } : {}),
        ...(query.transformations?.length ? { transformations: query.transformations } : {}),
      };
      try {
        const response = await timeout(transport.expand(domain, request, roundTimeout), roundTimeout, `shard "${domain}"`);
        return { domain, seeds, response };
      } catch {
        return { domain, seeds, response: null };
      }
    });
    for (const { domain, seeds, response } of await Promise.all(calls)) {
      if (!response) {
        missing.add(domain);
        continue;
      }
      versions[domain] = response.version;
      if (response.truncated) truncated = true;
      const held = new Set<string>();
      for (const node of response.nodes) {
        held.add(node.id);
        const known = nodes.get(node.id);
        if (known) {
          known.domains.add(domain);
          if (node.distance < known.distance) known.distance = node.distance;
        } else {
          nodes.set(node.id, { id: node.id, type: node.type, distance: node.distance, domains: new Set([domain]) });
        }
      }
      const unknown = response.unknownSeeds ?? seeds.filter((s) => !held.has(s.id)).map((s) => s.id);
      stats.falsePositives += unknown.length;
      for (const edge of response.edges) {
        const key = edgeKey(edge);
        if (!edges.has(key)) edges.set(key, { ...edge, domain });
        if (edge.kind === 'writes' || edge.kind === 'column') {
          const target = nodes.get(edge.to);
          if (target && !target.writer) target.writer = domain;
        }
      }
      // Everything this shard reached below the depth limit may continue in another shard.
      const done = expanded.get(domain)!;
      const onward = [...response.frontier, ...response.nodes.filter((n) => n.type !== 'JOB')];
      for (const node of onward) {
        if (node.distance >= query.depth) continue;
        const before = done.get(node.id);
        if (before === undefined || node.distance < before) done.set(node.id, node.distance);
        const best = nodes.get(node.id)?.distance ?? node.distance;
        const distance = Math.min(best, node.distance);
        const queuedAt = pending.get(node.id);
        if (!queuedAt || distance < queuedAt.distance) pending.set(node.id, { id: node.id, distance });
      }
    }
    if (nodes.size >= query.maxNodes) {
      if (pending.size > 0) truncated = true;
      break;
    }
  }

  stats.domainsQueried = [...queried].sort();
  const out: FederatedNode[] = [...nodes.values()].map((n) => {
    const domains = [...n.domains].sort();
    const domain =
      n.type === 'JOB' && domains.length === 1 ? domains[0] : (n.writer ?? options.ownerOf?.(n.id) ?? domains[0]);
    return { id: n.id, type: n.type, distance: n.distance, domains, domain };
  });
  out.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (out.length > query.maxNodes) {
    truncated = true;
    out.length = query.maxNodes;
  }
  const kept = new Set(out.map((n) => n.id));
  return {
    nodes: out,
    edges: [...edges.values()].filter((e) => kept.has(e.from) && kept.has(e.to)),
    complete: missing.size === 0,
    missingDomains: [...missing].sort(),
    truncated,
    stats,
  };
};
