/**
 * Layered layout with elkjs, computed in a web worker (ELK's own worker script, driven through its API from this
 * thread). Run when a graph is opened, when node sizes change (columns), and on "Re-layout"; expansions place their
 * nodes incrementally (place-new.ts). Chains fanned out from one node reach ELK as one block (leaf-stacks.ts).
 * Small graphs get a thorough layout, large ones a fast one.
 */
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { type LayoutInput, stackLeaves } from './leaf-stacks';
import type { Positions } from './place-new';

export type { LayoutInput } from './leaf-stacks';

let elk: InstanceType<typeof ELK> | undefined;
const layoutEngine = () => (elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) }));

const NODE_GAP = 24;
const LAYER_GAP = 80;
const BASE = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
  'elk.spacing.nodeNode': String(NODE_GAP),
  // React Flow draws its own edges: ELK's cheapest routing is enough
  'elk.edgeRouting': 'POLYLINE',
};
/** Up to this many nodes (a leaf stack counts one) the layout minimises crossings and balances placement. */
export const THOROUGH_MAX_NODES = 150;
const THOROUGH = { ...BASE, 'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX' };
// Beyond it, nodes keep the order they were drawn in (the explorer adds them page by page, so a page stays together)
// and are placed simply: a 549-node fan-out took 7-10 s with network-simplex placement and crossing minimisation,
// 0.7 s like this (in Node, load ~22, warm; 3-7 s for the first layout in a fresh process: ELK's compiled GWT code is
// slow until the JIT has seen it, and in the browser each page's worker starts cold). Leaf stacks cut the fan-out
// itself to one ELK node.
const FAST = { ...BASE, 'elk.layered.nodePlacement.strategy': 'SIMPLE', 'elk.layered.crossingMinimization.strategy': 'NONE' };

/**
 * Starts ELK's worker (it loads and compiles a large script) before the first layout needs it. Only that: a layout
 * run to warm the JIT up would sit in the worker's queue ahead of the first real one.
 */
export const warmLayout = (): void => void run({ nodes: [{ id: 'a', width: 1, height: 1 }], edges: [] }, BASE).catch(() => undefined);

const run = async (input: LayoutInput, layoutOptions: Record<string, string>): Promise<Positions> => {
  const graph = await layoutEngine().layout({
    id: 'root',
    layoutOptions,
    children: input.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: input.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const positions: Positions = {};
  for (const c of graph.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return positions;
};

export interface LayoutResult {
  positions: Positions;
  ms: number;
  /** How many nodes ELK itself laid out (a leaf stack counts one). */
  elkNodes: number;
}

export const layout = async (input: LayoutInput): Promise<LayoutResult> => {
  const started = performance.now();
  const stacked = stackLeaves(input, NODE_GAP, LAYER_GAP);
  const positions = stacked.spread(await run(stacked.input, stacked.input.nodes.length > THOROUGH_MAX_NODES ? FAST : THOROUGH));
  return { positions, ms: performance.now() - started, elkNodes: stacked.input.nodes.length };
};
