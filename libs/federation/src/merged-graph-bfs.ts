/**
 * The reference answer: a plain BFS over the union of every shard's edges, in one process. Federated
 * answers must equal it (tests and bench check), and the bench times it as the single-process baseline.
 * Semantics follow libs/graph's traversal contract: depth counts jobs crossed; a job reached from a
 * dataset at distance d is at d+1 and so are the datasets it writes; from a job seed its outputs are at 1;
 * for datasetField traversal each column edge is one step.
 */
import type { ColumnEdge, LineageEdge, NodeId, NodeType } from '@lineage-hub/model';
import type { Direction } from '@lineage-hub/graph';

export interface MergedGraph {
  /** dataset -> jobs reading it, job -> datasets it writes (downstream); reversed for upstream. */
  down: Map<string, string[]>;
  up: Map<string, string[]>;
  fieldDown: Map<string, string[]>;
  fieldUp: Map<string, string[]>;
}

const valid = (edge: { validFrom: number; validTo: number | null }, asOf: number | undefined) =>
  asOf === undefined ? edge.validTo === null : edge.validFrom <= asOf && (edge.validTo === null || asOf < edge.validTo);

const push = (map: Map<string, string[]>, key: string, value: string) => {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else map.set(key, [value]);
};

export const buildMergedGraph = (edges: Iterable<LineageEdge>, columnEdges: Iterable<ColumnEdge> = [], asOf?: number): MergedGraph => {
  const graph: MergedGraph = { down: new Map(), up: new Map(), fieldDown: new Map(), fieldUp: new Map() };
  for (const edge of edges) {
    if (!valid(edge, asOf)) continue;
    push(graph.down, edge.from, edge.to);
    push(graph.up, edge.to, edge.from);
  }
  for (const edge of columnEdges) {
    if (!valid(edge, asOf)) continue;
    push(graph.fieldDown, edge.from, edge.to);
    push(graph.fieldUp, edge.to, edge.from);
  }
  return graph;
};

const typeOf = (id: string): NodeType =>
  id.startsWith('job:') ? 'JOB' : id.startsWith('datasetField:') ? 'DATASET_FIELD' : 'DATASET';

/** Node id -> distance, for every node within `depth` jobs of the seeds (each seed at its own distance). */
export const mergedGraphBfs = (
  graph: MergedGraph,
  seed: NodeId | Array<{ id: NodeId | string; distance: number }>,
  direction: Direction,
  depth: number,
): Map<string, { type: NodeType; distance: number }> => {
  const seeds = typeof seed === 'string' ? [{ id: seed, distance: 0 }] : seed;
  const seen = new Map<string, { type: NodeType; distance: number }>();
  let layer: string[] = [];
  for (const s of seeds) {
    const before = seen.get(s.id);
    if (before && before.distance <= s.distance) continue;
    seen.set(s.id, { type: typeOf(s.id), distance: s.distance });
    layer.push(s.id);
  }
  // A column walk (field seeds) follows column edges only; a dataset it reaches is a leaf.
  const column = seeds.some((s) => s.id.startsWith('datasetField:'));
  // Label-correcting BFS: entering a job costs one, leaving it costs nothing (a job seed's outputs are at 1);
  // a node found again at a shorter distance is walked again.
  while (layer.length > 0) {
    const next: string[] = [];
    for (const id of layer) {
      const at = seen.get(id)!.distance;
      const field = column;
      if (column && !id.startsWith('datasetField:')) continue;
      const adjacency = field
        ? direction === 'downstream' ? graph.fieldDown : graph.fieldUp
        : direction === 'downstream' ? graph.down : graph.up;
      const isJob = id.startsWith('job:');
      for (const to of adjacency.get(id) ?? []) {
        const step = field ? at + 1 : isJob ? Math.max(at, 1) : at + 1;
        if (step > depth) continue;
        const before = seen.get(to);
        if (before && before.distance <= step) continue;
        seen.set(to, { type: typeOf(to), distance: step });
        next.push(to);
      }
    }
    layer = next;
  }
  return seen;
};
