/**
 * The edges a page of a federated answer carries (federated-traversal.ts): the paths from the query node to the
 * page's nodes, walked back over final nodes as far as earlier pages' nodes, over the table's typed edge columns.
 */
import type { Direction } from '@lineage-hub/graph';
import type { FederatedTable } from './federated-table';

/**
 * Edge numbers, in merge order, on the paths to the nodes at answer positions offset..end-1 (walking edges back
 * from them over final nodes, stopping at earlier pages' nodes: the edges into those came with their pages), and
 * the edges from those nodes into nodes of earlier pages (an earlier page served while they were not final could
 * not carry them; a client merging pages may see such an edge twice, and an edge into a node of a later page on
 * the way back, e.g. a job at the same distance, comes again with that page).
 * Late edges too: an edge merged once both its ends were in answer order (FederatedTable.merge: a later leg found it)
 * could be on no page built before it came; it comes with the page holding the answer position that was next when it
 * was merged (its epoch), or with the last page when no node followed.
 * `ordered`: id numbers in answer order, as far as final; `position`: answer position by id number (-1: not final);
 * `last`: the walk ended and no node follows this page.
 */
export function pageEdges(t: FederatedTable, ordered: readonly number[], position: Int32Array, direction: Direction, offset: number, end: number, last = false): number[] {
  const down = direction === 'downstream';
  const from = down ? t.edgeFrom : t.edgeTo;
  const to = down ? t.edgeTo : t.edgeFrom;
  const n = position.length;
  const final = (p: number) => p < n && position[p] >= 0;
  // the final edges by their far end, as compressed rows (no Map or array per node)
  const starts = new Int32Array(n + 1);
  for (let e = 0; e < t.edgeCount; e++) if (final(from[e]) && final(to[e])) starts[to[e] + 1]++;
  for (let p = 0; p < n; p++) starts[p + 1] += starts[p];
  const into = new Int32Array(starts[n]);
  const filled = starts.slice(0, n);
  const keep = new Uint8Array(t.edgeCount);
  for (let e = 0; e < t.edgeCount; e++) {
    if (!final(from[e]) || !final(to[e])) continue;
    const far = to[e];
    const near = from[e];
    if (position[far] < offset && position[near] >= offset && position[near] < end) keep[e] = 1;
    const epoch = t.edgeEpoch[e];
    if (Math.max(position[far], position[near]) < epoch && epoch >= offset && (epoch < end || last)) keep[e] = 1;
    into[filled[far]++] = e;
  }
  const reached = new Uint8Array(n);
  const queue: number[] = [];
  for (let i = offset; i < end; i++) {
    reached[ordered[i]] = 1;
    queue.push(ordered[i]);
  }
  while (queue.length > 0) {
    const far = queue.pop()!;
    for (let k = starts[far]; k < starts[far + 1]; k++) {
      const e = into[k];
      keep[e] = 1;
      const near = from[e];
      // an earlier page's node: the edges on the paths to it came with that page, not again
      if (!reached[near] && position[near] >= offset) {
        reached[near] = 1;
        queue.push(near);
      }
    }
  }
  const out: number[] = [];
  for (let e = 0; e < t.edgeCount; e++) if (keep[e]) out.push(e);
  return out;
}
