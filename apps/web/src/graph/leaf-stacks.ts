/**
 * Leaf stacks: before ELK runs, the branches hanging off one node on one side that are plain chains ending in a leaf
 * (a dataset's consumer job and the table it writes, as a paged fan-out draws them; or just a leaf) are grouped by
 * length, each group replaced by one block node, and afterwards spread back at the block's place: one row per chain,
 * in drawing order, one column per hop. ELK would draw them like that anyway (the large-graph layout keeps the drawing
 * order); this way its work grows with the graph's branching, not with the width of a fan-out: a dataset with 274
 * consumer jobs, each writing one table, is 2 nodes for ELK, not 549.
 */
import type { Positions } from './place-new';

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  id: string;
  from: string;
  to: string;
}
export interface LayoutInput {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** Groups of fewer chains than this are left to ELK. */
export const MIN_STACK = 3;

type Side = 'after' | 'before';

interface Block {
  id: string;
  /** 'after': the chains are downstream of their anchor (drawn right of it); 'before': upstream. */
  side: Side;
  /** Each chain from the anchor outward. */
  chains: LayoutNode[][];
  /** Width of each hop's column. */
  columns: number[];
  width: number;
  height: number;
}

export interface StackedLayout {
  /** What ELK lays out: the other nodes, one node per block, one edge per block. */
  input: LayoutInput;
  /** ELK's positions of `input` -> a position for every node of the original input. */
  spread(positions: Positions): Positions;
}

const BLOCK = '\u0000block\u0000';

/** `gap`: between rows (ELK's node spacing); `layerGap`: between hops (ELK's spacing between layers). */
export const stackLeaves = (input: LayoutInput, gap: number, layerGap: number, minStack = MIN_STACK): StackedLayout => {
  // each node's distinct neighbours, and on which side of each it is
  const out = new Map<string, Set<string>>();
  const into = new Map<string, Set<string>>();
  const add = (m: Map<string, Set<string>>, k: string, v: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(v);
  for (const e of input.edges) {
    add(out, e.from, e.to);
    add(into, e.to, e.from);
  }
  const outOf = (id: string) => out.get(id) ?? new Set<string>();
  const intoOf = (id: string) => into.get(id) ?? new Set<string>();
  const byId = new Map(input.nodes.map((n) => [n.id, n]));

  // from every leaf, walk toward its anchor through nodes with one neighbour each way on the chain's line
  const groups = new Map<string, { anchor: string; side: Side; chains: LayoutNode[][] }>();
  for (const leaf of input.nodes) {
    const o = outOf(leaf.id);
    const i = intoOf(leaf.id);
    const side: Side | undefined = i.size === 1 && o.size === 0 ? 'after' : o.size === 1 && i.size === 0 ? 'before' : undefined;
    if (!side) continue;
    const toward = side === 'after' ? intoOf : outOf; // toward the anchor
    const away = side === 'after' ? outOf : intoOf;
    const chain = [leaf];
    let at = leaf.id;
    let anchor = [...toward(at)][0];
    let cycle = false;
    // a node is on the chain when it links one node toward the anchor and only `at` away from it
    for (;;) {
      if (chain.some((c) => c.id === anchor)) {
        cycle = true;
        break;
      }
      const back = toward(anchor);
      const forth = away(anchor);
      if (back.size !== 1 || forth.size !== 1 || back.has(at) || !byId.has(anchor)) break;
      chain.push(byId.get(anchor)!);
      at = anchor;
      anchor = [...back][0];
    }
    if (cycle || !byId.has(anchor)) continue;
    chain.reverse(); // from the anchor outward
    const key = `${side}\u0000${anchor}\u0000${chain.length}`;
    const g = groups.get(key);
    if (g) g.chains.push(chain);
    else groups.set(key, { anchor, side, chains: [chain] });
  }

  const blockOf = new Map<string, Block>();
  const blocks: Block[] = [];
  for (const [key, g] of groups) {
    if (g.chains.length < minStack) continue;
    const hops = g.chains[0].length;
    const columns = Array.from({ length: hops }, (_, h) => Math.max(...g.chains.map((c) => c[h].width)));
    const rows = g.chains.map((c) => Math.max(...c.map((n) => n.height)));
    const block: Block = {
      id: `${BLOCK}${key}`,
      side: g.side,
      chains: g.chains,
      columns,
      width: columns.reduce((a, b) => a + b, 0) + layerGap * (hops - 1),
      height: rows.reduce((a, b) => a + b, 0) + gap * (rows.length - 1),
    };
    blocks.push(block);
    for (const c of g.chains) for (const n of c) blockOf.set(n.id, block);
  }
  if (!blocks.length) return { input, spread: (p) => p };

  const nodes: LayoutNode[] = [];
  const placed = new Set<string>();
  for (const n of input.nodes) {
    const b = blockOf.get(n.id);
    if (!b) nodes.push(n);
    else if (!placed.has(b.id)) {
      placed.add(b.id);
      nodes.push({ id: b.id, width: b.width, height: b.height });
    }
  }
  const edges: LayoutEdge[] = [];
  const linked = new Set<string>();
  for (const e of input.edges) {
    const b = blockOf.get(e.from) ?? blockOf.get(e.to);
    if (!b) edges.push(e);
    else if (!linked.has(b.id)) {
      linked.add(b.id);
      const anchor = b.side === 'after' ? [...intoOf(b.chains[0][0].id)][0] : [...outOf(b.chains[0][0].id)][0];
      edges.push(b.side === 'after' ? { id: b.id, from: anchor, to: b.id } : { id: b.id, from: b.id, to: anchor });
    }
  }
  return {
    input: { nodes, edges },
    spread(positions) {
      const result: Positions = {};
      for (const [id, p] of Object.entries(positions)) if (!id.startsWith(BLOCK)) result[id] = p;
      for (const b of blocks) {
        const at = positions[b.id] ?? { x: 0, y: 0 };
        // each hop's column, from the anchor outward: left to right downstream, right to left upstream
        const left: number[] = [];
        let x = b.side === 'after' ? at.x : at.x + b.width;
        for (const w of b.columns) {
          if (b.side === 'after') {
            left.push(x);
            x += w + layerGap;
          } else {
            left.push(x - w);
            x -= w + layerGap;
          }
        }
        let y = at.y;
        for (const chain of b.chains) {
          // downstream nodes line up on their left edge (toward the anchor), upstream ones on their right
          chain.forEach((n, h) => (result[n.id] = { x: b.side === 'after' ? left[h] : left[h] + b.columns[h] - n.width, y }));
          y += Math.max(...chain.map((n) => n.height)) + gap;
        }
      }
      return result;
    },
  };
};
