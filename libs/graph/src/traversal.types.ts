/**
 * Traversal contract of the in-memory lineage index (libs/graph), also used by the shard's RPC expand.
 * depth = the number of jobs crossed: depth 1 downstream from a dataset = the jobs that read it and the
 * datasets they write. From a job, depth 1 = the datasets it writes (and the jobs reading those are at depth 2).
 * For datasetField traversal a "job crossed" is one column edge.
 */
import type { NodeId, NodeType, Provenance, Transformation } from '@lineage-hub/model';

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
  /**
   * The answer's nodes in walk order instead of (distance, id) order (same nodes, edges, frontier and cap): for a
   * caller that orders them itself (the federation gateway merges and sorts per leg). A cap that cuts still sorts.
   */
  unordered?: boolean;
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
  /**
   * How the edge is known, when not 'declared' (absent = declared). An edge known several ways reports the first of
   * declared, observed, manual among its versions valid at the traversal's time.
   */
  provenance?: Provenance;
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

/** `CompactTraversalResult.types[i]` names: 0 DATASET, 1 JOB, 2 DATASET_FIELD. */
export const COMPACT_NODE_TYPES: readonly NodeType[] = ['DATASET', 'JOB', 'DATASET_FIELD'];
/** `CompactTraversalResult.edgeKinds[k]` names: 0 reads, 1 writes, 2 column. */
export const COMPACT_EDGE_KINDS: readonly TraversedEdge['kind'][] = ['reads', 'writes', 'column'];

/**
 * The same answer as TraversalResult, as typed arrays over node positions plus string tables (no object
 * per node or edge): node i of `nodes` is ids[i] / COMPACT_NODE_TYPES[types[i]] / distances[i]; edge k is
 * ids[edgeFrom[k]] -> ids[edgeTo[k]] of kind COMPACT_EDGE_KINDS[edgeKinds[k]]; a column edge's job is
 * jobs[edgeJobs[k]] (-1: null) and its transformations transformationLists[edgeTransformations[k]];
 * reads/writes edges have -1 in both. Same order, cap, truncation and frontier as traverse().
 * `expandCompact()` turns it into the TraversalResult traverse() returns.
 */
export interface CompactTraversalResult {
  ids: NodeId[];
  types: Uint8Array;
  distances: Int32Array;
  /** Positions (into ids) of the frontier nodes, in node order. */
  frontier: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeKinds: Uint8Array;
  edgeJobs: Int32Array;
  edgeTransformations: Int32Array;
  jobs: NodeId[];
  transformationLists: ReadonlyArray<readonly Transformation[]>;
  /** Present when some edge is not 'declared': COMPACT_PROVENANCES codes per edge. */
  edgeProvenance?: Uint8Array;
  truncated: boolean;
  /**
   * The index's node number of each id of `ids`, then of `jobs`: stable while `numbering` stays the same (a
   * reload numbers anew), so a caller can keep what it learned per number (the lean expand transport's dictionary).
   */
  nodeNumbers: Int32Array;
  numbering: number;
}

/**
 * traverseHeldNumbers()'s answer: traverseHeld()'s without the `ids` array (a pointer per node, most of what an
 * expand allocates on the JS heap). The nodes are `nodeCount`; an id is `idTable[nodeNumbers[i]]` (the index's own
 * table, read-only and valid until the index next changes), so a caller that only needs the ids it has not sent
 * before (the lean expand transport) looks up those and no others.
 */
export type NumberedTraversalResult = Omit<CompactTraversalResult, 'ids'> & {
  nodeCount: number;
  idTable: readonly NodeId[];
  unknownSeeds: NodeId[];
};

/** `CompactTraversalResult.edgeProvenance[k]` names: 0 declared, 1 observed, 2 manual. */
export const COMPACT_PROVENANCES: readonly Provenance[] = ['declared', 'observed', 'manual'];

/** The TraversalResult a CompactTraversalResult stands for (equal to what traverse() returns). */
export const expandCompact = (c: CompactTraversalResult): TraversalResult => {
  const n = c.ids.length;
  const nodes: TraversedNode[] = new Array(n);
  for (let i = 0; i < n; i++) nodes[i] = { id: c.ids[i], type: COMPACT_NODE_TYPES[c.types[i]], distance: c.distances[i] };
  const frontier: TraversedNode[] = new Array(c.frontier.length);
  for (let i = 0; i < c.frontier.length; i++) frontier[i] = nodes[c.frontier[i]];
  const m = c.edgeFrom.length;
  const edges: TraversedEdge[] = new Array(m);
  for (let k = 0; k < m; k++) {
    const kind = COMPACT_EDGE_KINDS[c.edgeKinds[k]];
    edges[k] =
      kind === 'column'
        ? {
            from: c.ids[c.edgeFrom[k]],
            to: c.ids[c.edgeTo[k]],
            kind,
            job: c.edgeJobs[k] < 0 ? null : c.jobs[c.edgeJobs[k]],
            transformations: c.transformationLists[c.edgeTransformations[k]] as Transformation[],
          }
        : { from: c.ids[c.edgeFrom[k]], to: c.ids[c.edgeTo[k]], kind };
    const p = c.edgeProvenance?.[k] ?? 0;
    if (p) edges[k].provenance = COMPACT_PROVENANCES[p];
  }
  return { nodes, edges, truncated: c.truncated, frontier };
};
