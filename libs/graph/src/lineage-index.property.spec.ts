/**
 * Property test: on random graphs built by random deltas (replaced owners, closed intervals, column
 * edges with transformations, aliases, renames), `traverse` equals a plain reference written here from
 * the contract alone: shortest distances by relaxation to a fixpoint over plain edge lists, then sort and cut.
 * Both the incrementally updated index and one loaded from the final snapshot are checked.
 */
import type { AliasRecord, ColumnEdge, LineageEdge, NodeId, Transformation } from '@lineage-hub/model';
import type { GraphDelta } from '@lineage-hub/model';
import { LineageIndex } from './lineage-index';
import { expandCompact, type TraversalOptions, type TraversalResult, type TraversalSeed, type TraversedEdge, type TraversedNode } from './traversal.types';

/** Small deterministic PRNG (mulberry32). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const TRANSFORMATIONS: Transformation[][] = [
  [{ type: 'DIRECT', subtype: 'IDENTITY' }],
  [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }],
  [{ type: 'INDIRECT', subtype: 'JOIN' }],
  [{ type: 'INDIRECT', subtype: 'FILTER' }, { type: 'DIRECT', subtype: 'AGGREGATION' }],
  [],
];
const FILTERS = [undefined, ['DIRECT'], ['DIRECT/IDENTITY'], ['INDIRECT/JOIN', 'DIRECT/AGGREGATION'], ['INDIRECT']];
const TIMES = [50, 100, 150, 200, 250, 300];

interface Group {
  owner: string;
  edges: LineageEdge[];
  columnEdges: ColumnEdge[];
}

const randomDeltas = (random: () => number): GraphDelta[] => {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
  const nDatasets = 4 + Math.floor(random() * 10);
  const nJobs = 2 + Math.floor(random() * 8);
  const datasets = Array.from({ length: nDatasets }, (_, i) => `dataset:ns:d${i}`);
  const jobs = Array.from({ length: nJobs }, (_, i) => `job:ns:j${i}`);
  const fields = (d: string) => ['a', 'b', 'c'].map((c) => `datasetField:${d.slice('dataset:'.length)}:${c}`);
  const interval = () => {
    const from = pick([0, 50, 100, 150, 200]);
    const to = random() < 0.6 ? null : from + pick([50, 100, 150]);
    return { validFrom: from, validTo: to };
  };
  const deltas: GraphDelta[] = [];
  const nDeltas = 1 + Math.floor(random() * 6);
  for (let k = 0; k < nDeltas; k++) {
    const groups: GraphDelta['groups'] = [];
    for (let g = Math.floor(random() * 4); g >= 0; g--) {
      const jobOwned = random() < 0.85;
      const owner = jobOwned ? pick(jobs) : pick(datasets);
      const edges: LineageEdge[] = [];
      const columnEdges: ColumnEdge[] = [];
      if (jobOwned) {
        for (let i = Math.floor(random() * 4); i > 0; i--) edges.push({ from: pick(datasets) as NodeId, to: owner as NodeId, kind: 'reads', provenance: pick(['declared', 'observed']), ...interval() });
        for (let i = Math.floor(random() * 3); i > 0; i--) edges.push({ from: owner as NodeId, to: pick(datasets) as NodeId, kind: 'writes', provenance: 'declared', ...interval() });
      }
      for (let i = Math.floor(random() * 5); i > 0; i--) {
        const from = random() < 0.15 ? pick(datasets) : pick(fields(pick(datasets)));
        columnEdges.push({
          from: from as NodeId,
          to: pick(fields(pick(datasets))) as NodeId,
          job: jobOwned ? (owner as NodeId) : null,
          transformations: pick(TRANSFORMATIONS),
          provenance: 'declared',
          ...interval(),
        });
      }
      groups.push({ owner: owner as NodeId, edges, columnEdges });
    }
    const aliases: AliasRecord[] = [];
    if (random() < 0.3) aliases.push({ alias: `dataset:phys:P${Math.floor(random() * 3)}` as NodeId, canonical: pick(datasets) as NodeId });
    if (random() < 0.15) aliases.push({ alias: pick(datasets) as NodeId, canonical: pick(datasets) as NodeId });
    const lifecycle: GraphDelta['lifecycle'] = [];
    if (random() < 0.1) lifecycle.push({ dataset: pick(datasets) as NodeId, state: 'RENAME', renamedTo: pick(datasets) as NodeId, at: 100 });
    if (random() < 0.1) lifecycle.push({ dataset: pick(datasets) as NodeId, state: 'DROP', at: 100 });
    deltas.push({ groups, aliases, lifecycle });
  }
  return deltas;
};

/** The reference: plain maps and lists, no typed arrays, no levels. */
class Reference {
  owners = new Map<string, Group>();
  target = new Map<string, string>();
  known = new Set<string>();

  apply(delta: GraphDelta): void {
    const datasetOfField = (f: string) => `dataset:${f.slice('datasetField:'.length, f.lastIndexOf(':'))}`;
    const know = (id: string) => {
      this.known.add(id);
      if (id.startsWith('datasetField:')) this.known.add(datasetOfField(id));
    };
    for (const g of delta.groups) {
      know(g.owner);
      this.owners.set(g.owner, { owner: g.owner, edges: g.edges, columnEdges: g.columnEdges });
      for (const e of g.edges) [e.from, e.to].forEach(know);
      for (const e of g.columnEdges) [e.from, e.to, ...(e.job ? [e.job] : [])].forEach(know);
    }
    // Fields of aliased datasets are known under the canonical dataset too (as the aliases stand now, and below after they change).
    for (const id of [...this.known]) if (id.startsWith('datasetField:')) this.known.add(this.canonical(id));
    const records = [...delta.aliases, ...delta.lifecycle.filter((l) => l.state === 'RENAME' && l.renamedTo).map((l) => ({ alias: l.dataset, canonical: l.renamedTo! }))];
    for (const { alias, canonical } of records) {
      know(alias);
      know(canonical);
      if (alias === canonical || this.target.get(alias) === canonical) continue;
      let cycle = false;
      for (let c: string | undefined = canonical; c !== undefined; c = this.target.get(c)) if (c === alias) cycle = true;
      if (!cycle) this.target.set(alias, canonical);
    }
    for (const id of [...this.known]) if (id.startsWith('datasetField:')) this.known.add(this.canonical(id));
  }

  canonical(id: string): string {
    let c = id;
    while (this.target.has(c)) c = this.target.get(c)!;
    if (!c.startsWith('datasetField:')) return c;
    const last = c.lastIndexOf(':');
    const dataset = `dataset:${c.slice('datasetField:'.length, last)}`;
    const root = this.canonical(dataset);
    return root === dataset ? c : this.canonical(`datasetField:${root.slice('dataset:'.length)}${c.slice(last)}`);
  }

  traverse(seeds: TraversalSeed[], opts: TraversalOptions): TraversalResult {
    const valid = (e: { validFrom: number; validTo: number | null }) =>
      opts.asOf === undefined ? e.validTo === null : e.validFrom <= opts.asOf && (e.validTo === null || opts.asOf < e.validTo);
    const wanted = opts.transformations?.length ? new Set(opts.transformations.map((t) => t.toUpperCase())) : null;
    const keep = (e: ColumnEdge) =>
      wanted === null || e.transformations.some((t) => wanted.has(t.type) || (t.subtype !== undefined && wanted.has(`${t.type}/${t.subtype}`)));
    const flat = [...this.owners.values()];
    const lineage = flat.flatMap((g) => g.edges).filter(valid).map((e) => ({ from: this.canonical(e.from), to: this.canonical(e.to), kind: e.kind, provenance: e.provenance }));
    // an edge known several ways: declared, then observed, then manual
    const RANK = ['declared', 'observed', 'manual'];
    const firstProvenance = (a: string | undefined, b: string | undefined) => (RANK.indexOf(b ?? 'declared') < RANK.indexOf(a ?? 'declared') ? b : a);
    const columns = flat
      .flatMap((g) => g.columnEdges)
      .filter((e) => valid(e) && keep(e))
      .map((e) => ({ from: this.canonical(e.from), to: this.canonical(e.to), job: e.job ? this.canonical(e.job) : null, transformations: e.transformations }));
    const typeOf = (id: string): TraversedNode['type'] => (id.startsWith('job:') ? 'JOB' : id.startsWith('datasetField:') ? 'DATASET_FIELD' : 'DATASET');
    // A known id lands on its canonical node; an unknown field of an aliased dataset on the canonical dataset's field.
    const resolve = (id: string): string | null => {
      if (this.known.has(id)) return this.canonical(id);
      if (!id.startsWith('datasetField:')) return null;
      const dataset = `dataset:${id.slice('datasetField:'.length, id.lastIndexOf(':'))}`;
      if (!this.known.has(dataset) || this.canonical(dataset) === dataset) return null;
      return this.known.has(this.canonical(id)) ? this.canonical(id) : null;
    };
    const resolved = seeds.filter((s) => resolve(s.id) !== null).map((s) => ({ id: resolve(s.id)!, distance: s.distance }));
    const upDepth = opts.upstreamDepth ?? opts.depth;
    const byKey = (dist: Map<string, number>) => (a: string, b: string) => dist.get(a)! - dist.get(b)! || (a < b ? -1 : a > b ? 1 : 0);

    interface WalkOut { members: Set<string>; total: number; dist: Map<string, number>; frontier: Set<string>; column: boolean }
    const walks: WalkOut[] = [];
    const run = (column: boolean, downstream: boolean, limit: number) => {
      const mine = resolved.filter((s) => (typeOf(s.id) === 'DATASET_FIELD') === column);
      if (mine.length === 0) return;
      const dist = new Map<string, number>();
      const outDist = new Map<string, number>(); // jobs: the distance their onward datasets get
      const lower = (m: Map<string, number>, id: string, d: number) => {
        if (!(m.get(id)! <= d)) {
          m.set(id, d);
          return true;
        }
        return false;
      };
      for (const s of mine) {
        lower(dist, s.id, s.distance);
        if (typeOf(s.id) === 'JOB') lower(outDist, s.id, s.distance + 1);
      }
      for (let changed = true; changed; ) {
        changed = false;
        if (column) {
          for (const e of columns) {
            const [a, b] = downstream ? [e.from, e.to] : [e.to, e.from];
            if (typeOf(a) === 'DATASET_FIELD' && dist.has(a) && lower(dist, b, dist.get(a)! + 1)) changed = true;
          }
        } else {
          for (const e of lineage) {
            const into = downstream ? 'reads' : 'writes';
            const [a, b] = downstream ? [e.from, e.to] : [e.to, e.from];
            if (e.kind === into) {
              if (dist.has(a) && typeOf(a) === 'DATASET') {
                if (lower(dist, b, dist.get(a)! + 1)) changed = true;
                if (lower(outDist, b, dist.get(a)! + 1)) changed = true;
              }
            } else if (outDist.has(a) && lower(dist, b, outDist.get(a)!)) changed = true;
          }
        }
      }
      const all = [...dist.keys()].filter((id) => dist.get(id)! <= limit).sort(byKey(dist));
      const members = new Set(all.slice(0, opts.maxNodes));
      const eligible = column ? 'DATASET_FIELD' : 'DATASET';
      const frontier = new Set([...members].filter((id) => typeOf(id) === eligible && dist.get(id)! < limit));
      walks.push({ members, total: all.length, dist, frontier, column });
    };
    if (opts.direction !== 'upstream') run(false, true, opts.depth);
    if (opts.direction !== 'downstream') run(false, false, upDepth);
    if (opts.direction !== 'upstream') run(true, true, opts.depth);
    if (opts.direction !== 'downstream') run(true, false, upDepth);

    const best = new Map<string, number>();
    for (const w of walks) for (const id of w.members) if (!(best.get(id)! <= w.dist.get(id)!)) best.set(id, w.dist.get(id)!);
    const order = [...best.keys()].sort(byKey(best));
    const kept = order.slice(0, opts.maxNodes);
    const keptSet = new Set(kept);
    const walkTruncated = walks.some((w) => w.total > opts.maxNodes);
    const nodes = kept.map((id) => ({ id: id as NodeId, type: typeOf(id), distance: best.get(id)! }));
    const frontierIds = new Set(walks.flatMap((w) => [...w.frontier]));
    const frontier = nodes.filter((n) => frontierIds.has(n.id));
    const position = new Map(kept.map((id, i) => [id, i]));

    const found = new Map<string, { edge: TraversedEdge; sort: [number, number, number, string, string] }>();
    for (const w of walks) {
      const inside = (id: string) => w.members.has(id) && keptSet.has(id);
      if (w.column) {
        for (const e of columns) {
          if (!inside(e.from) || !inside(e.to)) continue;
          const tkey = e.transformations.length === 0 ? '' : JSON.stringify(e.transformations);
          const key = `${e.from}|${e.to}|column|${e.job ?? ''}|${tkey}`;
          found.set(key, {
            edge: { from: e.from as NodeId, to: e.to as NodeId, kind: 'column', job: e.job as NodeId | null, transformations: e.transformations },
            sort: [position.get(e.from)!, position.get(e.to)!, 2, e.job ?? '', tkey],
          });
        }
      } else {
        for (const e of lineage) {
          if (!inside(e.from) || !inside(e.to)) continue;
          const key = `${e.from}|${e.to}|${e.kind}`;
          const provenance = firstProvenance(found.get(key)?.edge.provenance ?? (found.has(key) ? 'declared' : 'manual'), e.provenance);
          const edge: TraversedEdge = { from: e.from as NodeId, to: e.to as NodeId, kind: e.kind };
          if (provenance && provenance !== 'declared') edge.provenance = provenance as TraversedEdge['provenance'];
          found.set(key, { edge, sort: [position.get(e.from)!, position.get(e.to)!, e.kind === 'reads' ? 0 : 1, '', ''] });
        }
      }
    }
    const cmp = (a: [number, number, number, string, string], b: [number, number, number, string, string]) =>
      a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0) || (a[4] < b[4] ? -1 : a[4] > b[4] ? 1 : 0);
    const edges = [...found.values()].sort((a, b) => cmp(a.sort, b.sort)).map((x) => x.edge);
    return { nodes, edges, truncated: order.length > opts.maxNodes || walkTruncated, frontier };
  }
}

/** A traversal answer with nodes, frontier and edges sorted (the unordered option's answer compared as a set). */
const inAnswerOrder = (r: TraversalResult): TraversalResult => {
  const byNode = (a: { distance: number; id: string }, b: { distance: number; id: string }) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const edgeKey = (e: TraversalResult['edges'][number]) => JSON.stringify([e.from, e.to, e.kind, e.job ?? '', e.transformations ?? '', e.provenance ?? '']);
  return {
    ...r,
    nodes: [...r.nodes].sort(byNode),
    frontier: [...r.frontier].sort(byNode),
    edges: [...r.edges].sort((a, b) => (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0)),
  };
};

describe('LineageIndex equals a reference BFS on random graphs', () => {
  it('for every option, after incremental applies and after a fresh load', () => {
    let checked = 0;
    for (let graph = 0; graph < 150; graph++) {
      const random = rng(1000 + graph);
      const deltas = randomDeltas(random);
      const reference = new Reference();
      const incremental = new LineageIndex();
      incremental.load({ version: 0, groups: [], aliases: [], lifecycle: [] });
      for (const d of deltas) {
        reference.apply(d);
        incremental.apply(d);
        // Querying between deltas builds the CSR, so later deltas kill CSR entries and use the append path.
        if (random() < 0.5) incremental.traverse([{ id: 'dataset:ns:d0' as NodeId, distance: 0 }], { direction: 'both', depth: 2, maxNodes: 50 });
      }
      // A snapshot of the final state (ids seen only in replaced groups are not in it).
      const snapshot = {
        version: deltas.length,
        groups: [...reference.owners.values()] as GraphDelta['groups'],
        aliases: deltas.flatMap((d) => [
          ...d.aliases,
          ...d.lifecycle.filter((l) => l.state === 'RENAME' && l.renamedTo).map((l) => ({ alias: l.dataset, canonical: l.renamedTo! })),
        ]),
        lifecycle: [],
      };
      const fresh = new LineageIndex();
      fresh.load(snapshot);
      // Loaded from the first delta, then updated: a mix of ranked nodes (from the load) and nodes interned
      // since, which queries place by binary search until apply() re-ranks.
      const mixed = new LineageIndex();
      mixed.load({ version: 0, groups: deltas[0].groups, aliases: [], lifecycle: [] });
      mixed.apply({ groups: [], aliases: deltas[0].aliases, lifecycle: deltas[0].lifecycle });
      for (const d of deltas.slice(1)) mixed.apply(d);
      const freshReference = new Reference();
      freshReference.apply(snapshot);
      expect(new Set(incremental.nodeIds())).toEqual(reference.known);
      expect(new Set(fresh.nodeIds())).toEqual(freshReference.known);
      const known = [...reference.known].sort();
      for (let q = 0; q < 12; q++) {
        const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
        const seeds: TraversalSeed[] = [];
        for (let s = 1 + Math.floor(random() * 3); s > 0; s--) {
          seeds.push({ id: (random() < 0.1 ? 'dataset:ns:unknown' : pick(known)) as NodeId, distance: random() < 0.7 ? 0 : Math.floor(random() * 3) });
        }
        const opts: TraversalOptions = {
          direction: pick(['downstream', 'upstream', 'both'] as const),
          depth: Math.floor(random() * 5),
          maxNodes: random() < 0.5 ? 1000 : 1 + Math.floor(random() * 8),
        };
        if (random() < 0.4) opts.upstreamDepth = Math.floor(random() * 5);
        if (random() < 0.5) opts.asOf = pick(TIMES);
        const filter = pick(FILTERS);
        if (filter) opts.transformations = filter;
        const context = JSON.stringify({ graph, seeds, opts });
        const full = reference.traverse(seeds, opts);
        expect({ context, result: incremental.traverse(seeds, opts) }).toEqual({ context, result: full });
        expect({ context, result: mixed.traverse(seeds, opts) }).toEqual({ context, result: full });
        expect({ context, result: expandCompact(mixed.traverseCompact(seeds, opts)) }).toEqual({ context, result: full });
        expect({ context, result: expandCompact(incremental.traverseCompact(seeds, opts)) }).toEqual({ context, result: full });
        // unordered: the same answer in walk order (put back in (distance, id) order here)
        expect({ context, result: inAnswerOrder(expandCompact(mixed.traverseCompact(seeds, { ...opts, unordered: true }))) }).toEqual({ context, result: inAnswerOrder(full) });
        // a shard's expand: the seeds it holds walked, the others listed (each looked up once)
        const held = mixed.traverseHeld(seeds, { ...opts, unordered: true });
        expect({ context, unknownSeeds: held.unknownSeeds }).toEqual({ context, unknownSeeds: seeds.filter((s) => !mixed.has(s.id)).map((s) => s.id) });
        expect({ context, result: inAnswerOrder(expandCompact(held)) }).toEqual({ context, result: inAnswerOrder(full) });
        expect({ context, reach: incremental.reach(seeds, opts) }).toEqual({ context, reach: { nodes: full.nodes.length, truncated: full.truncated } });
        expect({ context, result: fresh.traverse(seeds, opts) }).toEqual({ context, result: freshReference.traverse(seeds, opts) });
        checked++;
      }
    }
    expect(checked).toBe(1800);
  });
});
