/**
 * Layered layout with elkjs, computed in a web worker (ELK's own worker script, driven through its API from this
 * thread), whenever the drawn graph changes; the latest request wins.
 */
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { useEffect, useRef, useState } from 'react';

export interface LayoutInput {
  nodes: Array<{ id: string; width: number; height: number }>;
  edges: Array<{ id: string; from: string; to: string }>;
}

export interface Layout {
  positions: Record<string, { x: number; y: number }>;
  ms?: number;
  /** The key of the input these positions are for. */
  key?: string;
}

let elk: InstanceType<typeof ELK> | undefined;
const layoutEngine = () => (elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) }));

const OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '80',
  'elk.spacing.nodeNode': '24',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
};

export const layout = async (input: LayoutInput): Promise<{ positions: Layout['positions']; ms: number }> => {
  const started = performance.now();
  const graph = await layoutEngine().layout({
    id: 'root',
    layoutOptions: OPTIONS,
    children: input.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: input.edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const positions: Layout['positions'] = {};
  for (const c of graph.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return { positions, ms: performance.now() - started };
};

export const useLayout = (input: LayoutInput, key: string): Layout => {
  const [state, setState] = useState<Layout>({ positions: {} });
  const latest = useRef(key);
  useEffect(() => {
    latest.current = key;
    layout(input).then(
      (result) => {
        if (latest.current !== key) return;
        (window as unknown as { __lastLayoutMs?: number }).__lastLayoutMs = result.ms;
        setState({ ...result, key });
      },
      (e: Error) => console.error('layout failed', e),
    );
    // the key names the input
  }, [key]);
  return state;
};
