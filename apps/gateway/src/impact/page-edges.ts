/**
 * The edges of one page of an impact answer: every edge of the traversal on a path from the query node to a node on
 * the page. Filtering by the far end alone dropped the hops in between: a page of a dataset's downstream datasets
 * (ids sort datasets before jobs) came without the jobs that write them and the query node's edges to those jobs,
 * so a client drawing the page saw its nodes unconnected. The walk back stops at nodes of earlier pages (`earlier`):
 * the edges into those came with their pages, so no page repeats them.
 */
import type { Direction } from '@lineage-hub/federation';

export const edgesToPage = <E extends { from: string; to: string }>(edges: readonly E[], onPage: ReadonlySet<string>, direction: Direction, earlier: ReadonlySet<string> = new Set()): E[] => {
  const near = (e: E) => (direction === 'downstream' ? e.from : e.to);
  const far = (e: E) => (direction === 'downstream' ? e.to : e.from);
  const into = new Map<string, E[]>();
  for (const e of edges) {
    const list = into.get(far(e));
    if (list) list.push(e);
    else into.set(far(e), [e]);
  }
  const keep = new Set<E>();
  const reached = new Set(onPage);
  const queue = [...onPage];
  while (queue.length) {
    for (const e of into.get(queue.pop()!) ?? []) {
      keep.add(e);
      const back = near(e);
      // an earlier page's node: the edges on the paths to it came with that page, not again
      if (!reached.has(back) && !earlier.has(back)) {
        reached.add(back);
        queue.push(back);
      }
    }
  }
  return edges.filter((e) => keep.has(e));
};
