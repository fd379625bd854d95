/** The federated traversal's contract: shards, transport, query, limits, and the answer with its stats. */
import type { FederatedAliases } from './federated-aliases';
import type { NodeId } from '@lineage-hub/model';
import type { Direction } from '@lineage-hub/graph';
import type { MembershipFilter } from './membership-filter';
import type { ExpandRequest, ExpandResponse } from './shard-rpc.contract';
import type { FederatedEdge, FederatedNode } from './federated-table';

export type { FederatedEdge, FederatedNode } from './federated-table';

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
  /** Depth legs walked (1 unless the answer was paged early: see FederatedTraversal). */
  legs: number;
}

export interface FederatedResult {
  nodes: FederatedNode[];
  edges: FederatedEdge[];
  complete: boolean;
  missingDomains: string[];
  truncated: boolean;
  stats: FederatedStats;
}

export interface FederatedOptions {
  /** The domain that owns a node by configuration (e.g. NAMESPACE_DOMAINS), used when no writer was seen. */
  ownerOf?: (id: NodeId) => string | undefined;
  /** Observes each round: the seeds sent to each domain (diagnostics, benches). */
  onRound?: (round: number, batches: ReadonlyMap<string, ExpandRequest['seeds']>) => void;
  /**
   * The expand answer form asked of shards: 'packed' (default; a shard that refuses it is asked for 'columnar'),
   * 'columnar' (shards that predate it answer plainly) or 'plain'.
   */
  answerFormat?: 'packed' | 'columnar' | 'plain';
  /** The shards' aliases united (federated-aliases.ts): one node across domains for a table known by several names. */
  aliases?: FederatedAliases;
}
