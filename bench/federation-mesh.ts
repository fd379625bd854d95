/**
 * The federation bench's data mesh: 8 domains of jobs reading recent datasets of their own domain (4% of reads
 * another domain's), generated deterministically per domain, so each shard process makes its own part and the
 * bench process the merged graph. BENCH_JOBS_PER_DOMAIN scales it (42,500: ~1M edges).
 */
import type { LineageEdge, NodeId } from '@lineage-hub/model';

export const DOMAINS = 8;
export const JOBS_PER_DOMAIN = Number(process.env.BENCH_JOBS_PER_DOMAIN ?? 42_500);
const SOURCES_PER_DOMAIN = 2_000;
/** A job reads datasets written by the previous WINDOW jobs of its domain (pipelines build on recent models). */
const WINDOW = 3_000;
/** Share of reads that consume another domain's dataset (the cross-domain consumers). */
export const CROSS_DOMAIN = 0.04;

export const rng = (seed: number) => {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
};

const dataset = (d: number, k: number) => `dataset:wh${d}:analytics.t${k}` as NodeId;
const source = (d: number, k: number) => `dataset:wh${d}:raw.src${k}` as NodeId;
const job = (d: number, j: number) => `job:etl-d${d}:model_${j}` as NodeId;

const edge = (from: NodeId, to: NodeId, kind: 'reads' | 'writes'): LineageEdge => ({ from, to, kind, provenance: 'declared', validFrom: 0, validTo: null });

/** Domain d's jobs and their edges; deterministic per domain, so a shard process makes its own part. */
export const domainGroups = (d: number): Array<{ owner: NodeId; edges: LineageEdge[] }> => {
  const random = rng(1000 + d);
  const groups: Array<{ owner: NodeId; edges: LineageEdge[] }> = [];
  for (let j = 0; j < JOBS_PER_DOMAIN; j++) {
    const owner = job(d, j);
    const edges: LineageEdge[] = [];
    const r = random();
    const reads = r < 0.3 ? 1 : r < 0.75 ? 2 : 3;
    const seen = new Set<string>();
    for (let i = 0; i < reads; i++) {
      let input: NodeId;
      const pick = random();
      const k = Math.floor(Math.max(0, j - WINDOW) + random() * Math.min(j, WINDOW));
      if (pick < CROSS_DOMAIN && j > 0) {
        const other = (d + 1 + Math.floor(random() * (DOMAINS - 1))) % DOMAINS;
        input = dataset(other, k);
      } else if (pick < CROSS_DOMAIN + 0.1 || j === 0) {
        input = source(d, Math.floor(random() * SOURCES_PER_DOMAIN));
      } else {
        input = dataset(d, k);
      }
      if (seen.has(input)) continue;
      seen.add(input);
      edges.push(edge(input, owner, 'reads'));
    }
    edges.push(edge(owner, dataset(d, j), 'writes'));
    groups.push({ owner, edges });
  }
  return groups;
};
