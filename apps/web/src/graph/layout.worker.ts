/// <reference lib="webworker" />
/** Layered layout (elkjs) off the main thread: {nodes: [{id, width, height}], edges: [{id, from, to}]} -> positions. */
import ELK from 'elkjs/lib/elk.bundled.js';

const elk = new ELK();

self.onmessage = async (event: MessageEvent) => {
  const { seq, nodes, edges } = event.data as { seq: number; nodes: Array<{ id: string; width: number; height: number }>; edges: Array<{ id: string; from: string; to: string }> };
  const started = performance.now();
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.layered.spacing.nodeNodeBetweenLayers': '80', 'elk.spacing.nodeNode': '24', 'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX' },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const positions: Record<string, { x: number; y: number }> = {};
  for (const c of graph.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  (self as unknown as Worker).postMessage({ seq, positions, ms: performance.now() - started });
};
