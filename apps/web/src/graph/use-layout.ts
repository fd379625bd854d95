/** Asks the layout worker for positions whenever the drawn graph changes; the latest request wins. */
import { useEffect, useRef, useState } from 'react';

export interface LayoutInput {
  nodes: Array<{ id: string; width: number; height: number }>;
  edges: Array<{ id: string; from: string; to: string }>;
}

let worker: Worker | undefined;
const layoutWorker = () => (worker ??= new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' }));

export const useLayout = (input: LayoutInput, key: string): { positions: Record<string, { x: number; y: number }>; ms?: number } => {
  const [state, setState] = useState<{ positions: Record<string, { x: number; y: number }>; ms?: number }>({ positions: {} });
  const seq = useRef(0);
  useEffect(() => {
    const w = layoutWorker();
    const mine = ++seq.current;
    const on = (e: MessageEvent) => {
      if (e.data.seq !== mine) return;
      setState({ positions: e.data.positions, ms: e.data.ms });
      (window as any).__lastLayoutMs = e.data.ms;
    };
    w.addEventListener('message', on);
    w.postMessage({ seq: mine, ...input });
    return () => w.removeEventListener('message', on);
  }, [key]);
  return state;
};
