/**
 * Layered layout with elkjs, computed in a web worker (ELK's own worker script, driven through its API from this
 * thread). Run when a graph is opened, when node sizes change (columns), and on "Re-layout"; expansions place their
 * nodes incrementally (place-new.ts). Small graphs get a thorough layout, large ones a fast one.
 */
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { Positions } from './place-new';

export interface LayoutInput {
  nodes: Array<{ id: string; width: number; height: number }>;
  edges: Array<{ id: string; from: string; to: string }>;
}

let elk: InstanceType<typeof ELK> | undefined;
const layoutEngine = () => (elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) }));

const BASE = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
  'elk.spacing.nodeNode': '24',
  // React Flow draws its own edges: ELK's cheapest routing is enough
  'elk.edgeRouting': 'POLYLINE',
};
/** Up to this many nodes the layout minimises crossings and balances placement. */
export const THOROUGH_MAX_NODES = 150;
const THOROUGH = { ...BASE, 'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX' };
// Beyond it, nodes keep the order they were drawn in (the explorer adds them page by page, so a page stays together)
// and are placed simply: a 549-node fan-out took 7-10 s with network-simplex placement and crossing minimisation,
// 0.7 s like this (in Node, load ~22).
const FAST = { ...BASE, 'elk.layered.nodePlacement.strategy': 'SIMPLE', 'elk.layered.crossingMinimization.strategy': 'NONE' };

/** Starts ELK's worker (it loads and compiles a large script) before the first layout needs it. */
export const warmLayout = (): void => void layoutEngine().layout({ id: 'warm', children: [{ id: 'a', width: 1, height: 1 }], edges: [] }).catch(() => undefined);

export const layout = async (input: LayoutInput): Promise<{ positions: Positions; ms: number }> => {
  const started = performance.now();
  const graph = await layoutEngine().layout({
    id: 'root',
    layoutOptions: input.nodes.length > THOROUGH_MAX_NODES ? FAST : THOROUGH,
    children: input.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: input.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const positions: Positions = {};
  for (const c of graph.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return { positions, ms: performance.now() - started };
};
