// The UI bench's baseline (bench/ui.bench.ts): a bare @xyflow/react page with the same graph as the explorer at the
// bench's target size (a hub node, its consumer jobs, their tables; 240 x 64 each), laid out by ELK over the whole graph in ELK's own
// web worker with the explorer's large-graph options and no leaf stacks, or put in a column without ELK. No app code.
// Query: ?n=549&elk=1&bg=1&visibleOnly=1. Sets data-ready on #root and window.__elkMs.
import { Background, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';

const q = new URLSearchParams(location.search);
const n = Number(q.get('n') ?? 549);
const FAST = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
  'elk.spacing.nodeNode': '24',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.crossingMinimization.strategy': 'NONE',
};
// the bench's graph: H read by jobs, each writing one table (H -> j1 -> o1, H -> j2 -> o2, ...)
const ids = Array.from({ length: n }, (_, i) => (i === 0 ? 'H' : i % 2 ? `j${(i + 1) / 2}` : `o${i / 2}`));
const edges = ids.slice(1).map((id) => ({ id: `e-${id}`, source: id.startsWith('j') ? 'H' : `j${id.slice(1)}`, target: id }));

const positions = async () => {
  if (q.get('elk') !== '1') return Object.fromEntries(ids.map((id, i) => [id, i === 0 ? { x: 0, y: 0 } : { x: i % 2 ? 320 : 640, y: Math.floor((i - 1) / 2) * 88 }]));
  const elk = new ELK({ workerFactory: () => new Worker(elkWorkerUrl) });
  const started = performance.now();
  const g = await elk.layout({
    id: 'root',
    layoutOptions: FAST,
    children: ids.map((id) => ({ id, width: 240, height: 64 })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  window.__elkMs = performance.now() - started;
  return Object.fromEntries(g.children.map((c) => [c.id, { x: c.x, y: c.y }]));
};

positions().then((at) => {
  const nodes = ids.map((id) => ({ id, position: at[id], data: { label: id }, style: { width: 240, height: 64 } }));
  const root = document.getElementById('root');
  createRoot(root).render(
    h(ReactFlow, { nodes, edges, fitView: true, minZoom: 0.02, onlyRenderVisibleElements: q.get('visibleOnly') === '1', nodesDraggable: false, nodesConnectable: false, elementsSelectable: false }, q.get('bg') === '1' ? h(Background) : null),
  );
  requestAnimationFrame(() => requestAnimationFrame(() => root.setAttribute('data-ready', 'true')));
});
