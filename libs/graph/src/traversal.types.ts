/**
 * Traversal contract of the in-memory lineage index (libs/graph), also used by the shard's RPC expand.
 * depth = the number of jobs crossed: depth 1 downstream from a dataset = the jobs that read it and the
 * datasets they write. From a job, depth 1 = the datasets it writes (and the jobs reading those are at depth 2).
 * For datasetField traversal a "job crossed" is one column edge.
 */
import type { NodeId, NodeType, Transformation } from '@lineage-hub/model';

export type Direction = 'downstream' | 'upstream';

export interface TraversalSeed {
  id: NodeId;
  /** Jobs already crossed before this seed (for federated continuation); 0 for a fresh query. */
  distance: number;
}

export interface TraversalOptions {
  direction: Direction | 'both';
  /** Max jobs crossed downstream / upstream. */
  depth: number;
  /** Max jobs crossed by upstream walks ('upstream' or 'both'); defaults to `depth`. */
  upstreamDepth?: number;
  /** Node cap: stop after this many nodes and say truncated. */
  maxNodes: number;
  /** Epoch ms; edges valid at that instant only. Omitted = now (currently valid edges). */
  asOf?: number;
  /** Keep only column edges whose transformations match one of these ("DIRECT", "DIRECT/IDENTITY", "INDIRECT/JOIN"). */
  transformations?: string[];
}

export interface TraversedNode {
  id: NodeId;
  type: NodeType;
  /** Jobs crossed from the nearest seed. */
  distance: number;
}

export interface TraversedEdge {
  from: NodeId;
  to: NodeId;
  /** 'reads' | 'writes' for dataset<->job edges; 'column' for field edges. */
  kind: 'reads' | 'writes' | 'column';
  job?: NodeId | null;
  transformations?: Transformation[];
}

export interface TraversalResult {
  /**
   * Sorted by distance, then id. With a cap, exactly the first maxNodes nodes of the uncapped answer in
   * that order. Seeds the index does not hold are left out.
   */
  nodes: TraversedNode[];
  edges: TraversedEdge[];
  /** True when maxNodes stopped the walk before it was done. Never silent. */
  truncated: boolean;
  /**
   * Datasets (or fields) reached whose onward edges may live in another shard; distance as reached.
   * LineageIndex: the datasets of a dataset walk (datasetFields of a column walk) whose distance is below
   * that walk's depth, seeds included, in `nodes` order.
   */
  frontier: TraversedNode[];
}
