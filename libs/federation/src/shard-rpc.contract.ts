/**
 * Gateway <-> shard messages (@nestjs/microservices, TCP by default). Message patterns are the keys of
 * ShardRpcPatterns; every handler takes the request type and answers the response type below.
 *
 * A federated traversal: the gateway sends each shard that may hold the seeds (judged by its membership
 * filter) one `lineage.expand`; the shard walks its local graph as far as the remaining depth allows and
 * returns the nodes, edges and its frontier (dataset/field nodes reached, with the distance reached).
 * The gateway sends frontier nodes on only to shards whose filter may hold them, so round trips grow
 * with domain crossings, not with depth.
 */
import type { NodeId } from '@lineage-hub/model';
import type { Direction, TraversalResult, TraversalSeed } from '@lineage-hub/graph';

export const ShardRpcPatterns = {
  expand: 'lineage.expand',
  filter: 'lineage.filter',
  info: 'shard.info',
  /** Marquez-compatible reads, so the gateway can federate them. */
  read: 'marquez.read',
  ingest: 'lineage.ingest',
} as const;

export interface ExpandRequest {
  seeds: TraversalSeed[];
  direction: Direction;
  /** Max total distance (jobs crossed, counted from the original query node). */
  depth: number;
  maxNodes: number;
  asOf?: number;
  transformations?: string[];
}

export interface ExpandResponse extends TraversalResult {
  domain: string;
  /** The shard's graph version the answer was computed at (cache key part). */
  version: number;
}

export interface FilterResponse {
  domain: string;
  version: number;
  /** Serialized membership filter of all node ids the shard holds (datasets, fields, jobs, aliases). */
  filter: SerializedFilter;
}

export interface SerializedFilter {
  kind: 'bloom';
  /** Library-specific JSON of the filter (bloom-filters `saveAsJSON`). */
  data: unknown;
  items: number;
}

export interface ShardInfo {
  domain: string;
  httpUrl: string;
  rpc: { host: string; port: number };
  version: number;
  stats: { events: number; datasets: number; jobs: number; runs: number; edges: number };
}

/** A Marquez read forwarded by the gateway: the same path and query the shard's HTTP API takes. */
export interface ReadRequest {
  path: string; // e.g. "/api/v1/namespaces/ns/datasets"
  query: Record<string, string>;
}

export interface ReadResponse {
  status: number;
  body: unknown;
}

export interface IngestRequest {
  events: unknown[];
}

export type { Direction, NodeId };
