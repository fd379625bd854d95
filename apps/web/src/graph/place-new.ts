/**
 * Incremental placement: nodes an expansion adds are put in columns beside the node they hang off (one column per
 * hop, in the expansion's direction), below what those columns already hold, so every node already drawn keeps its
 * place and an expansion costs time in the nodes it adds, not in the graph's size. "Re-layout" runs ELK over all.
 */
import type { Direction, ExplorerGraph } from './graph-model';

export type Positions = Record<string, { x: number; y: number }>;
export type SizeOf = (id: string) => { width: number; height: number };

const COLUMN = 320;
const GAP = 24;

export const placeNew = (positions: Positions, graph: ExplorerGraph, added: readonly string[], centerId: string, direction: Direction, sizeOf: SizeOf): void => {
  if (!added.length) return;
  const fresh = new Set(added);
  const origin = positions[centerId] ?? { x: 0, y: 0 };
  const step = direction === 'downstream' ? COLUMN : -COLUMN;
  // hops from the center through the new nodes, along the expansion's direction
  const next = new Map<string, string[]>();
  for (const e of graph.edges.values()) {
    const [near, far] = direction === 'downstream' ? [e.from, e.to] : [e.to, e.from];
    if (!fresh.has(far)) continue;
    const list = next.get(near);
    if (list) list.push(far);
    else next.set(near, [far]);
  }
  const hop = new Map<string, number>([[centerId, 0]]);
  const queue = [centerId];
  for (let i = 0; i < queue.length; i++) {
    for (const far of next.get(queue[i]) ?? []) {
      if (hop.has(far)) continue;
      hop.set(far, hop.get(queue[i])! + 1);
      queue.push(far);
    }
  }
  // the lowest occupied point of each column the new nodes go into
  const bottom = new Map<number, number>();
  const columnOf = (x: number) => Math.round((x - origin.x) / COLUMN);
  for (const [id, p] of Object.entries(positions)) {
    if (fresh.has(id) || !graph.nodes.has(id)) continue;
    const c = columnOf(p.x);
    const end = p.y + sizeOf(id).height + GAP;
    if (end > (bottom.get(c) ?? -Infinity)) bottom.set(c, end);
  }
  for (const id of added) {
    const c = Math.sign(step) * (hop.get(id) ?? 1);
    const y = bottom.has(c) ? bottom.get(c)! : origin.y;
    positions[id] = { x: origin.x + c * COLUMN, y };
    bottom.set(c, y + sizeOf(id).height + GAP);
  }
};
