/**
 * A lean baseline for the federation bench: a plain BFS over CSR Int32Arrays of a dataset/job graph, given the
 * seed's id string (one Map lookup), that builds the same answer LineageIndex.traverse() gives on that graph:
 * nodes sorted by (distance, id) (through a precomputed id rank), and every edge among the reached nodes in
 * its stored orientation. Same depth rule as libs/graph: a job reached from a dataset at distance d is at
 * d + 1, and so are the datasets it writes (downstream) / the datasets it reads (upstream).
 */
import type { NodeId, LineageEdge } from '@lineage-hub/model';
import type { TraversedEdge, TraversedNode } from '@lineage-hub/graph';

interface Csr {
  offsets: Int32Array;
  targets: Int32Array;
}

export interface TypedGraph {
  names: string[];
  byName: Map<string, number>;
  isJob: Uint8Array;
  rank: Int32Array;
  rankToNode: Int32Array;
  down: Csr;
  up: Csr;
  seen: Uint32Array;
  dist: Int32Array;
  queue: Int32Array;
  pos: Int32Array;
  order: Int32Array;
  stamp: number;
}

const csr = (n: number, from: Int32Array, to: Int32Array): Csr => {
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < from.length; e++) offsets[from[e] + 1]++;
  for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u];
  const targets = new Int32Array(offsets[n]);
  const fill = offsets.slice(0, n);
  for (let e = 0; e < from.length; e++) targets[fill[from[e]]++] = to[e];
  return { offsets, targets };
};

/** The currently valid dataset/job edges as CSR both ways, with the id strings and their sort rank. */
export const buildTypedGraph = (edges: readonly LineageEdge[]): TypedGraph => {
  const byName = new Map<string, number>();
  const names: string[] = [];
  const id = (name: string) => {
    let u = byName.get(name);
    if (u === undefined) {
      u = names.length;
      names.push(name);
      byName.set(name, u);
    }
    return u;
  };
  const valid = edges.filter((e) => e.validTo === null);
  const from = new Int32Array(valid.length);
  const to = new Int32Array(valid.length);
  valid.forEach((e, k) => {
    from[k] = id(e.from);
    to[k] = id(e.to);
  });
  const n = names.length;
  const isJob = new Uint8Array(n);
  for (let u = 0; u < n; u++) isJob[u] = names[u].startsWith('job:') ? 1 : 0;
  const rankToNode = Int32Array.from([...names.keys()].sort((a, b) => (names[a] < names[b] ? -1 : 1)));
  const rank = new Int32Array(n);
  rankToNode.forEach((u, r) => (rank[u] = r));
  return {
    names,
    byName,
    isJob,
    rank,
    rankToNode,
    down: csr(n, from, to),
    up: csr(n, to, from),
    seen: new Uint32Array(n),
    dist: new Int32Array(n),
    queue: new Int32Array(n),
    pos: new Int32Array(n),
    order: new Int32Array(n),
    stamp: 0,
  };
};

/** The answer traverse() gives from `seedId`: sorted nodes and the edges among them (stored orientation). */
export const typedAnswer = (g: TypedGraph, seedId: string, direction: 'downstream' | 'upstream', depth: number): { nodes: TraversedNode[]; edges: TraversedEdge[] } => {
  const seed = g.byName.get(seedId);
  if (seed === undefined) return { nodes: [], edges: [] };
  const { offsets, targets } = direction === 'downstream' ? g.down : g.up;
  const { isJob, seen, dist, queue, rank, rankToNode, pos, order, names } = g;
  const stamp = ++g.stamp;
  let head = 0;
  let n = 0;
  queue[n++] = seed;
  seen[seed] = stamp;
  dist[seed] = 0;
  while (head < n) {
    const u = queue[head++];
    const du = dist[u];
    // crossing a job costs one: a dataset's jobs are one further, a job's datasets at the job's distance
    const step = isJob[u] ? 0 : 1;
    if (du + step > depth) continue;
    for (let i = offsets[u], end = offsets[u + 1]; i < end; i++) {
      const v = targets[i];
      if (seen[v] === stamp) continue;
      seen[v] = stamp;
      dist[v] = du + step;
      queue[n++] = v;
    }
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = dist[queue[i]] * 2 ** 31 + rank[queue[i]];
  keys.sort();
  const nodes: TraversedNode[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const u = rankToNode[keys[i] % 2 ** 31];
    order[i] = u;
    pos[u] = i;
    nodes[i] = { id: names[u] as NodeId, type: isJob[u] ? 'JOB' : 'DATASET', distance: dist[u] };
  }
  const edges: TraversedEdge[] = [];
  for (let i = 0; i < n; i++) {
    const u = order[i];
    for (let k = offsets[u], end = offsets[u + 1]; k < end; k++) {
      const v = targets[k];
      if (seen[v] !== stamp) continue;
      const [a, b] = direction === 'downstream' ? [u, v] : [v, u];
      edges.push({ from: names[a] as NodeId, to: names[b] as NodeId, kind: isJob[a] ? 'writes' : 'reads' });
    }
  }
  return { nodes, edges };
};
