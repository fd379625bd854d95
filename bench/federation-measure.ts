/** Measuring helpers of the federation bench: percentiles, formatting, load, answer checks, domain crossings. */
import os from 'node:os';
import type { buildMergedGraph } from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';

export const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
export const ms = (hr: bigint) => Number(hr) / 1e6;
export const fmt = (n: number) => (Number.isNaN(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
export const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The fewest domain crossings the answer needs: over (node, domain of the last job crossed) states, the
 * lexicographically best (distance, crossings) per node; max over the answer of its crossings. A crossing is
 * a job of another domain than the previous job on the path; the seed goes to every holder at once.
 */
export const crossingsNeeded = (graph: ReturnType<typeof buildMergedGraph>, seed: NodeId, direction: 'downstream' | 'upstream', depth: number) => {
  const adjacency = direction === 'downstream' ? graph.down : graph.up;
  const domainOf = (jobId: string) => jobId.slice('job:etl-'.length, jobId.indexOf(':', 'job:etl-'.length));
  type State = { node: string; last: string; d: number; c: number };
  const best = new Map<string, { d: number; c: number }>();
  const better = (a: { d: number; c: number }, b?: { d: number; c: number }) => !b || a.d < b.d || (a.d === b.d && a.c < b.c);
  let layer: State[] = [{ node: seed, last: '', d: 0, c: 0 }];
  const stateBest = new Map<string, number>([[`${seed}|`, 0]]);
  best.set(seed, { d: 0, c: 0 });
  for (let d = 0; d <= depth && layer.length; d++) {
    // expand datasets of this layer into jobs (next layer), through jobs to their outputs (same distance)
    const next: State[] = [];
    for (const s of layer) {
      for (const j of adjacency.get(s.node) ?? []) {
        const jd = d + 1;
        if (jd > depth) continue;
        const dom = domainOf(j);
        const c = s.c + (s.last && s.last !== dom ? 1 : 0);
        const key = `${j}|${dom}`;
        const known = stateBest.get(key);
        if (known !== undefined && known <= c) continue;
        stateBest.set(key, c);
        if (better({ d: jd, c }, best.get(j))) best.set(j, { d: jd, c });
        for (const out of adjacency.get(j) ?? []) {
          const okey = `${out}|${dom}`;
          const oknown = stateBest.get(okey);
          if (oknown !== undefined && oknown <= c) continue;
          stateBest.set(okey, c);
          if (better({ d: jd, c }, best.get(out))) best.set(out, { d: jd, c });
          next.push({ node: out, last: dom, d: jd, c });
        }
      }
    }
    layer = next;
  }
  let max = 0;
  for (const v of best.values()) max = Math.max(max, v.c);
  return max;
};

export const load1 = () => os.loadavg()[0].toFixed(1);

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

/**
 * Resolves once this process is idle: under 5% of a core (its GC threads included, process.cpuUsage) over 50 ms,
 * at most 3 s. The bench calls it between its passes, so the garbage one pass left (the Map walk allocates heavily)
 * is not swept and marked by V8's background threads on the same cores while the next pass is timed.
 */
export const quiesce = async () => {
  const until = Date.now() + 3_000;
  for (;;) {
    const before = cpuMs();
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (cpuMs() - before < 2.5 || Date.now() > until) return;
  }
};

export const sameAnswer = (a: Map<string, number>, b: Map<string, number>) => {
  if (a.size !== b.size) return false;
  for (const [id, d] of a) if (b.get(id) !== d) return false;
  return true;
};
