/**
 * Gateway/worker -> shard messages (@nestjs/microservices, TCP by default). Message patterns are the values of
 * ShardRpcPatterns; ShardContract (shard-contract.ts) names each pattern's request and response type, and every
 * answer is a ShardAnswer (shard-answer.ts): the value, or a domain error code. No URL path and no HTTP status
 * travels in a message; ShardClient (shard-client.ts) is the one typed way to send them.
 *
 * A federated traversal: the gateway sends each shard that may hold the seeds (judged by its membership
 * filter) one `lineage.expand`; the shard walks its local graph as far as the remaining depth allows and
 * returns the nodes, edges and its frontier (dataset/field nodes reached, with the distance reached).
 * The gateway sends frontier nodes on only to shards whose filter may hold them, so round trips grow
 * with domain crossings, not with depth.
 */
import type { NodeId, Provenance, Transformation } from '@lineage-hub/model';
import type { Direction, TraversalResult, TraversalSeed } from '@lineage-hub/graph';
import { ShardReadPatterns } from './shard-reads.contract';

export const ShardRpcPatterns = {
  expand: 'lineage.expand',
  filter: 'lineage.filter',
  info: 'shard.info',
  /** OpenLineage events routed by the gateway (IngestRequest -> IngestBatchResult). */
  ingest: 'lineage.ingest',
  /** Cheap probe: `{domain, version}` only (the gateway checks it before serving a cached answer). */
  version: 'shard.version',
  /** Marquez `data` of many datasets/jobs at once (NodesRequest -> NodesResponse): the gateway's lineage graph nodes. */
  nodes: 'marquez.nodes',
  /** The Marquez-compatible reads the gateway federates, one message each (shard-reads.contract.ts). */
  ...ShardReadPatterns,
} as const;

export type ShardPattern = (typeof ShardRpcPatterns)[keyof typeof ShardRpcPatterns];

export interface NodesRequest {
  /** Canonical dataset/job ids; other kinds and ids the shard has no record of are left out of the answer. */
  ids: NodeId[];
}

export interface NodesResponse {
  domain: string;
  version: number;
  /** id -> the node's Marquez `data`, as the shard's own /api/v1/lineage gives it. */
  nodes: Record<string, unknown>;
}

export interface ExpandRequest {
  seeds: TraversalSeed[];
  direction: Direction;
  /** Max total distance (jobs crossed, counted from the original query node). */
  depth: number;
  maxNodes: number;
  asOf?: number;
  transformations?: string[];
  /**
   * 'columnar': answer with `ExpandResponse.columnar` (and empty nodes/edges/frontier) instead of the plain
   * arrays; 'packed': with `ExpandResponse.packed` (the columnar answer, number columns as base64 int32s).
   * Absent = the plain form. A shard that does not know the field answers plainly; one that predates 'packed'
   * refuses it (field "format") and the gateway asks it for 'columnar' instead. The gateway takes every form.
   */
  format?: 'columnar' | 'packed';
}

/** A number column of a columnar answer: a JSON array on the wire, an Int32Array view when unpacked from 'packed'. */
export type Int32Column = number[] | Int32Array;

/**
 * A traversal answer in compact form (libs/federation columnar-expand.ts): `ids` names every node once; the first
 * `nodeCount` ids are the answer's nodes, in `nodes` order, with `nodeTypes` (0 DATASET, 1 JOB, 2 DATASET_FIELD)
 * and `nodeDistances`; `frontier` holds id positions with `frontierDistances` (and `frontierTypes` when a frontier
 * id is not among the nodes); edges are parallel arrays of id positions, `edgeKind` (0 reads, 1 writes, 2 column),
 * `edgeJob` (an id position; -1 no job field, -2 job null) and, when any edge has them, `edgeTransformations`
 * (a position in `transformationSets`, -1 none) and `edgeProvenance` (0 declared, 1 observed, 2 manual).
 */
export interface ColumnarExpand {
  ids: string[];
  nodeCount: number;
  nodeTypes: Int32Column;
  nodeDistances: Int32Column;
  frontier: Int32Column;
  frontierDistances: Int32Column;
  frontierTypes?: Int32Column;
  edgeFrom: Int32Column;
  edgeTo: Int32Column;
  edgeKind: Int32Column;
  edgeJob: Int32Column;
  edgeTransformations?: Int32Column;
  transformationSets?: Transformation[][];
  /** Present when some edge is not declared (absent = all declared). */
  edgeProvenance?: Int32Column;
}

/**
 * The 'packed' answer (libs/federation packed-expand.ts): the columnar answer's `ids`, counts, and every number
 * column in `columns`, one base64 string of little-endian int32s, in the order packed-expand.ts names; `layout`
 * bits say which optional columns are present (1 frontierTypes, 2 edgeTransformations, 4 edgeProvenance).
 */
export interface PackedExpand {
  ids: string[];
  nodeCount: number;
  frontierCount: number;
  edgeCount: number;
  layout: number;
  columns: string;
  transformationSets?: Transformation[][];
}

export interface ExpandResponse extends TraversalResult {
  domain: string;
  /** The shard's graph version the answer was computed at (cache key part). */
  version: number;
  /**
   * Seeds this shard does not hold at all (a membership-filter false positive). Optional: when absent the
   * gateway counts a seed missing from `nodes` as unknown.
   */
  unknownSeeds?: NodeId[];
  /** Present when the request asked for format 'columnar': the answer, with nodes/edges/frontier left empty. */
  columnar?: ColumnarExpand;
  /** Present when the request asked for format 'packed': the answer, with nodes/edges/frontier left empty. */
  packed?: PackedExpand;
}

export interface VersionResponse {
  domain: string;
  version: number;
  /**
   * The port of the shard's lean expand server on its RPC host (lean-expand-server.ts: `lineage.expand` as binary
   * frames, ids against a per-connection dictionary). Absent: the shard has none; expand goes over this pattern.
   */
  expandPort?: number;
}

export interface FilterResponse {
  domain: string;
  version: number;
  /** Serialized membership filter of all node ids the shard holds (datasets, fields, jobs, aliases). */
  filter: SerializedFilter;
  /**
   * Optional directional filters (buildDirectionalFilters): ids this shard has an edge *from* (it can continue a
   * downstream walk from them) and ids it has an edge *to* (it can continue upstream). When present the gateway
   * sends frontier nodes only to shards that can walk on from them; the query node still goes to every holder.
   */
  downstream?: SerializedFilter;
  upstream?: SerializedFilter;
  /**
   * True while the shard is still building the directional filters of this version (a large graph builds them in
   * slices): the gateway routes by `filter` meanwhile and fetches again. Directional filters describe the edges
   * valid now, so the gateway never uses them for asOf queries.
   */
  directionalPending?: boolean;
  /**
   * The aliases the shard declared, [alias, canonical] (symlinks, renamed datasets' old names): the gateway unites
   * every shard's (federated-aliases.ts), so a table one domain knows by a symlink and another only by that name is
   * one node across domains. Absent: none (a shard that predates it).
   */
  aliases?: Array<[string, string]>;
}

export interface SerializedFilter {
  kind: 'bloom';
  /** Library-specific JSON of the filter (bloom-filters `saveAsJSON`). */
  data: unknown;
  items: number;
  /** The hash the filter was built with: absent = the library's default; 'fnv1a-2x32-edh' = membership-filter.ts FAST_HASHING. */
  hashing?: string;
}

export interface ShardInfo {
  domain: string;
  httpUrl: string;
  rpc: { host: string; port: number };
  version: number;
  /** As VersionResponse.expandPort. */
  expandPort?: number;
  stats: { events: number; datasets: number; jobs: number; runs: number; edges: number };
}

export interface IngestRequest {
  events: unknown[];
  /** How the events' lineage is known (a producer declared it, a connector observed it, a steward entered it); default declared. */
  provenance?: Provenance;
}

/**
 * The OpenLineage batch outcome (the OpenLineage spec defines no batch response; this is the shard's): SUCCESS
 * when every event was stored, PARTIAL when some were (the failed ones listed), FAILURE when none were.
 */
/**
 * The OpenLineage batch answer (spec/OpenLineage.openapi.yml, POST /lineage/batch, 200): `status` success when every
 * event was stored, partial_success when any failed; `summary` counts; `failed_events` by index (`field` is the hub's
 * addition). The hub adds `duplicates` (stored before, changed nothing) and `warnings` (facets dropped, per index).
 */
export interface IngestBatchResult {
  status: 'success' | 'partial_success';
  summary: { received: number; successful: number; failed: number; retriable: number; non_retriable: number };
  failed_events: Array<{ index: number; reason: string; retriable: boolean; field?: string }>;
  duplicates: number;
  warnings: Array<{ index: number; warnings: string[] }>;
}

/**
 * Self-registration (libs/federation shard-registration.ts): a shard started with REDIS_URL keeps the key
 * `${SHARD_REGISTRY_PREFIX}${domain}` alive (JSON of ShardRegistration, TTL refreshed by a heartbeat) and
 * publishes on SHARD_REGISTRY_CHANNEL when it joins or leaves. A key that expires = the shard left.
 */
export const SHARD_REGISTRY_PREFIX = 'lineage-hub:shard:';
export const SHARD_REGISTRY_CHANNEL = 'lineage-hub:shards';

export interface ShardRegistration {
  domain: string;
  rpc: { host: string; port: number };
  httpUrl?: string;
  /** As VersionResponse.expandPort (on the rpc host). */
  expandPort?: number;
  /** Graph version at the last heartbeat (a hint; the gateway still probes before trusting a cache). */
  version?: number;
  registeredAt: number;
  heartbeatAt: number;
}

export type { Direction, NodeId };
