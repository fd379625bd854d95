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
import type { ColumnarExpand, ExpandRequest, ExpandResponse } from './shard-rpc.contract';
import { COLUMNAR_EDGE_KINDS as EDGE_KIND_CODES, COLUMNAR_NODE_TYPES as NODE_TYPE_CODES, COLUMNAR_PROVENANCES, columnarExpandAnswer } from './columnar-expand';

export interface FederationShard {
  domain: string;
  /** Every id the shard holds: the query node goes to each shard this may hold it. */
  filter: MembershipFilter;
  /** Ids the shard can walk on from over the edges valid now, per direction (optional; `filter` stands in when absent, and for asOf queries). */
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

interface NodeEntry {
  id: NodeId;
  type: NodeType;
  distance: number;
  domains: Set<string>;
  writer?: string;
  /** Order of first sight: with the kind, two indexes name an edge without building a string. */
  index: number;
}

const JOB = NODE_TYPE_CODES.indexOf('JOB');
const WRITES = EDGE_KIND_CODES.indexOf('writes');
const COLUMN = EDGE_KIND_CODES.indexOf('column');
const NO_JOB = -1;
const NULL_JOB = -2;
/** Indexed edge keys are (from * MAX + to) * 4 + kind: exact in a double up to this many nodes. */
const MAX_INDEXED_NODES = 2 ** 24;

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
  /** The expand answer form asked of shards: 'columnar' (default; shards that predate it answer plainly) or 'plain'. */
  answerFormat?: 'columnar' | 'plain';

}

export const federatedTraversal = async (
  query: FederatedQuery,
  shards: FederationShard[],
  transport: ExpandTransport,
  limits: FederatedLimits,
  options: FederatedOptions = {},
): Promise<FederatedResult> => {
  const deadline = Date.now() + limits.budgetMs;
  const nodes = new Map<string, NodeEntry>();
  const edges: Array<TraversedEdge & { domain: string }> = [];
  /** Edges seen, keyed by their ends' node indexes and kind (no job): numbers, not strings. */
  const indexedEdges = new Set<number>();
  /** Edges with a job (column edges) or an end outside the answer's nodes: kind|from|to|job. */
  const keyedEdges = new Set<string>();
  let strayEdges = false;
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

  type Work = Map<string, { id: NodeId; distance: number }>;
  type Batches = Map<string, ExpandRequest['seeds']>;

  /** Which shard gets which of the work: the filters say who may hold / walk on, `expanded` says who did already. */
  const route = (work: Work, first: boolean): Batches => {
    const batches: Batches = new Map();
    const routes = shards
      .filter((shard) => !missing.has(shard.domain))
      .map((shard) => ({
        domain: shard.domain,
        done: expanded.get(shard.domain)!,
        filter: first || query.asOf !== undefined ? shard.filter : (shard[query.direction] ?? shard.filter),
        batch: null as ExpandRequest['seeds'] | null,
      }));
    // Items outer, shards inner: the filter hashing hashes an id once for all shards.
    for (const item of work.values()) {
      for (const r of routes) {
        const at = r.done.get(item.id);
        if (at !== undefined && at <= item.distance) continue;
        if (!r.filter.mayHold(item.id)) {
          stats.filterNegatives++;
          continue;
        }
        r.done.set(item.id, item.distance);
        (r.batch ??= []).push({ id: item.id, distance: item.distance });
      }
    }
    for (const r of routes) if (r.batch) batches.set(r.domain, r.batch);
    return batches;
  };

  /** One expand message; null when the shard failed or missed its deadline. */
  const send = async (domain: string, seeds: ExpandRequest['seeds'], timeoutMs: number) => {
    stats.seedsRouted += seeds.length;
    queried.add(domain);
    const request: ExpandRequest = {
      seeds,
      direction: query.direction,
      depth: query.depth,
      maxNodes: Math.max(1, query.maxNodes - nodes.size),
      ...(query.asOf !== undefined ? { asOf: query.asOf } : {}),
      ...(query.transformations?.length ? { transformations: query.transformations } : {}),
      ...(options.answerFormat === 'plain' ? {} : { format: 'columnar' as const }),
    };
    try {
      const response = await timeout(transport.expand(domain, request, timeoutMs), timeoutMs, `shard "${domain}"`);
      return columnarExpandAnswer(response);
    } catch {
      return null;
    }
  };

  /** Merges one answer; what it reached below the depth limit goes into `onwardWork` (it may continue elsewhere). */
  const merge = (domain: string, seeds: ExpandRequest['seeds'], response: ExpandResponse & { columnar: ColumnarExpand }, onwardWork: Work) => {
    versions[domain] = response.version;
    if (response.truncated) truncated = true;
    // One pass over the columnar arrays: ids are looked up once per answer, edges deduplicated by number.
    const c = response.columnar;
    const ids = c.ids as NodeId[];
    const entries: Array<NodeEntry | undefined> = new Array(ids.length);
    for (let i = 0; i < c.nodeCount; i++) {
      const id = ids[i];
      const distance = c.nodeDistances[i];
      let entry = nodes.get(id);
      if (entry) {
        entry.domains.add(domain);
        if (distance < entry.distance) entry.distance = distance;
      } else {
        entry = { id, type: NODE_TYPE_CODES[c.nodeTypes[i]], distance, domains: new Set([domain]), index: nodes.size };
        nodes.set(id, entry);
      }
      entries[i] = entry;
    }
    if (response.unknownSeeds) stats.falsePositives += response.unknownSeeds.length;
    else {
      const held = new Set<string>(ids.slice(0, c.nodeCount));
      for (const seed of seeds) if (!held.has(seed.id)) stats.falsePositives++;
    }
    for (let k = 0; k < c.edgeFrom.length; k++) {
      const from = entries[c.edgeFrom[k]];
      const to = entries[c.edgeTo[k]];
      const kind = c.edgeKind[k];
      const job = c.edgeJob[k];
      let known: boolean;
      if (from && to && job === NO_JOB && to.index < MAX_INDEXED_NODES) {
        const key = (from.index * MAX_INDEXED_NODES + to.index) * 4 + kind;
        known = indexedEdges.has(key);
        if (!known) indexedEdges.add(key);
      } else {
        if (!from || !to) strayEdges = true;
        const key = `${kind}|${ids[c.edgeFrom[k]]}|${ids[c.edgeTo[k]]}|${job >= 0 ? ids[job] : ''}`;
        known = keyedEdges.has(key);
        if (!known) keyedEdges.add(key);
      }
      if (!known) {
        const edge = { from: ids[c.edgeFrom[k]], to: ids[c.edgeTo[k]], kind: EDGE_KIND_CODES[kind] } as TraversedEdge & { domain: string };
        if (job === NULL_JOB) edge.job = null;
        else if (job >= 0) edge.job = ids[job];
        const set = c.edgeTransformations?.[k] ?? -1;
        if (set >= 0) edge.transformations = c.transformationSets![set];
        const provenance = c.edgeProvenance?.[k] ?? 0;
        if (provenance) edge.provenance = COLUMNAR_PROVENANCES[provenance];
        edge.domain = domain;
        edges.push(edge);
      }
      if (to && !to.writer && (kind === WRITES || kind === COLUMN)) to.writer = domain;
    }
    const done = expanded.get(domain)!;
    const onward = (id: NodeId, reached: number, best: number) => {
      if (reached >= query.depth) return;
      const before = done.get(id);
      if (before === undefined || reached < before) done.set(id, reached);
      const distance = Math.min(best, reached);
      const queuedAt = onwardWork.get(id);
      if (!queuedAt || distance < queuedAt.distance) onwardWork.set(id, { id, distance });
    };
    for (let i = 0; i < c.frontier.length; i++) {
      const p = c.frontier[i];
      const reached = c.frontierDistances[i];
      // a frontier node listed among the nodes at the same distance goes on with the nodes below
      if (p < c.nodeCount && c.nodeTypes[p] !== JOB && c.nodeDistances[p] === reached) continue;
      onward(ids[p], reached, nodes.get(ids[p])?.distance ?? reached);
    }
    for (let i = 0; i < c.nodeCount; i++) if (c.nodeTypes[i] !== JOB) onward(ids[i], c.nodeDistances[i], entries[i]!.distance);
  };

  /** Sends a round's batches (counting them); null when the query's budget is spent. */
  const dispatch = (batches: Batches, round: number): Array<Promise<{ domain: string; seeds: ExpandRequest['seeds']; response: Awaited<ReturnType<typeof send>> }>> | null => {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      for (const domain of batches.keys()) missing.add(domain);
      return null;
    }
    const timeoutMs = Math.min(limits.shardTimeoutMs, remaining);
    stats.roundTrips = round;
    options.onRound?.(round, batches);
    stats.messages += batches.size;
    return [...batches].map(async ([domain, seeds]) => ({ domain, seeds, response: await send(domain, seeds, timeoutMs) }));
  };

  // Rounds: each round's answers are all merged before their onward work is routed (one message per shard per round).
  let work: Work = new Map(query.seeds.map((seed) => [seed, { id: seed, distance: 0 }]));
  for (let round = 1; work.size > 0; round++) {
    const batches = route(work, round === 1);
    if (batches.size === 0) break;
    const calls = dispatch(batches, round);
    if (!calls) break;
    work = new Map();
    for (const { domain, seeds, response } of await Promise.all(calls)) {
      if (!response) missing.add(domain);
      else merge(domain, seeds, response, work);
    }
    if (nodes.size >= query.maxNodes) {
      if (work.size > 0) truncated = true;
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
  let kept: Set<string> | Map<string, NodeEntry> | null = strayEdges ? nodes : null;
  if (out.length > query.maxNodes) {
    truncated = true;
    out.length = query.maxNodes;
    kept = new Set(out.map((n) => n.id));
  }
  return {
    nodes: out,
    edges: kept ? edges.filter((e) => kept.has(e.from) && kept.has(e.to)) : edges,
    complete: missing.size === 0,
    missingDomains: [...missing].sort(),
    truncated,
    stats,
  };
};
