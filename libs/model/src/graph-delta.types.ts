/**
 * What the store hands the in-memory index (libs/graph): the derived graph whole (a snapshot, at startup) or
 * what one write changed (a delta). Here in libs/model so libs/store and libs/graph are siblings that both
 * depend on the model and never on each other.
 */
import type { AliasRecord, ColumnEdge, LineageEdge } from './lineage.types';
import type { NodeId } from './node-id';

/**
 * What changed in the derived graph, so the in-memory index stays in step without a reload.
 * Each group is the complete current edge set of one owner (a job id, or a dataset id for job-less
 * lineage such as a DatasetEvent's columnLineage facet): the index replaces the owner's edges wholesale.
 */
export interface GraphDelta {
  groups: Array<{ owner: NodeId; edges: LineageEdge[]; columnEdges: ColumnEdge[] }>;
  aliases: AliasRecord[];
  /** Datasets renamed or dropped by lifecycleStateChange. */
  lifecycle: Array<{ dataset: NodeId; state: 'RENAME' | 'DROP' | string; renamedTo?: NodeId; at: number }>;
}

export interface GraphSnapshot extends GraphDelta {
  /** Monotonic version: the highest event seq applied. */
  version: number;
}
