import { DomainError, type ColumnEdge, type LineageEdge, type NodeId, type Transformation } from '@lineage-hub/model';
import type { GraphDelta, GraphSnapshot } from '@lineage-hub/model';
import { LineageIndex } from './lineage-index';
import { expandCompact, type TraversalOptions, type TraversalResult } from './traversal.types';

const ds = (name: string) => `dataset:ns:${name}` as NodeId;
const job = (name: string) => `job:ns:${name}` as NodeId;
const fld = (dataset: string, field: string) => `datasetField:ns:${dataset}:${field}` as NodeId;

const reads = (dataset: string, j: string, validFrom = 0, validTo: number | null = null): LineageEdge => ({
  from: ds(dataset), to: job(j), kind: 'reads', provenance: 'declared', validFrom, validTo,
});
const writes = (j: string, dataset: string, validFrom = 0, validTo: number | null = null): LineageEdge => ({
  from: job(j), to: ds(dataset), kind: 'writes', provenance: 'declared', validFrom, validTo,
});
const column = (from: NodeId, to: NodeId, j: string | null, transformations: Transformation[], validFrom = 0, validTo: number | null = null): ColumnEdge => ({
  from, to, job: j === null ? null : job(j), transformations, provenance: 'declared', validFrom, validTo,
});
const group = (owner: NodeId, edges: LineageEdge[], columnEdges: ColumnEdge[] = []) => ({ owner, edges, columnEdges });

/**
 *   a -> j1 -> b -> j2 -> c -> j3 -> e
 *                     \-> d
 * Columns: a.x -(j1 DIRECT/IDENTITY)-> b.x -(j2 DIRECT/TRANSFORMATION)-> c.x
 *          a.y -(j1 INDIRECT/JOIN)---> b.z -(j2 INDIRECT/FILTER)------> c.w ; dataset a -(j2 INDIRECT/FILTER)-> c.w
 */
const snapshot = (): GraphSnapshot => ({
  version: 7,
  groups: [
    group(job('j1'), [reads('a', 'j1'), writes('j1', 'b')], [
      column(fld('a', 'x'), fld('b', 'x'), 'j1', [{ type: 'DIRECT', subtype: 'IDENTITY' }]),
      column(fld('a', 'y'), fld('b', 'z'), 'j1', [{ type: 'INDIRECT', subtype: 'JOIN' }]),
    ]),
    group(job('j2'), [reads('b', 'j2'), writes('j2', 'c'), writes('j2', 'd')], [
      column(fld('b', 'x'), fld('c', 'x'), 'j2', [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }]),
      column(fld('b', 'z'), fld('c', 'w'), 'j2', [{ type: 'INDIRECT', subtype: 'FILTER' }]),
      column(ds('a'), fld('c', 'w'), 'j2', [{ type: 'INDIRECT', subtype: 'FILTER' }]),
    ]),
    group(job('j3'), [reads('c', 'j3'), writes('j3', 'e')]),
  ],
  aliases: [],
  lifecycle: [],
});

const loaded = (snap = snapshot()) => {
  const index = new LineageIndex();
  index.load(snap);
  return index;
};

const down = (depth: number, extra: Partial<TraversalOptions> = {}): TraversalOptions => ({ direction: 'downstream', depth, maxNodes: 1000, ...extra });
const up = (depth: number, extra: Partial<TraversalOptions> = {}): TraversalOptions => ({ direction: 'upstream', depth, maxNodes: 1000, ...extra });
const seed = (id: NodeId, distance = 0) => [{ id, distance }];
const ids = (r: TraversalResult) => r.nodes.map((n) => `${n.id}@${n.distance}`);
const frontier = (r: TraversalResult) => r.frontier.map((n) => `${n.id}@${n.distance}`);
const edges = (r: TraversalResult) => r.edges.map((e) => `${e.from}>${e.to}:${e.kind}`);

describe('LineageIndex edge provenance', () => {
  it('answers how each edge is known: declared first, then observed, then manual, among the versions valid then', () => {
    const index = new LineageIndex();
    const as = (e: LineageEdge, provenance: LineageEdge['provenance'], validFrom = 0, validTo: number | null = null): LineageEdge => ({ ...e, provenance, validFrom, validTo });
    index.load({
      version: 1,
      groups: [
        group(job('j'), [as(reads('a', 'j'), 'observed'), as(writes('j', 'b'), 'manual'), as(writes('j', 'b'), 'observed', 0, 100)]),
        group(job('k'), [as(reads('a', 'k'), 'observed'), as(reads('a', 'k'), 'declared')]),
      ],
      aliases: [],
      lifecycle: [],
    } as unknown as GraphSnapshot);
    const now = index.traverse([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 1, maxNodes: 100 });
    const provenance = (r: TraversalResult) => Object.fromEntries(r.edges.map((e) => [`${e.from}>${e.to}`, e.provenance ?? 'declared']));
    expect(provenance(now)).toEqual({ [`${ds('a')}>${job('j')}`]: 'observed', [`${ds('a')}>${job('k')}`]: 'declared', [`${job('j')}>${ds('b')}`]: 'manual' });
    const then = index.traverse([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 1, maxNodes: 100, asOf: 50 });
    expect(provenance(then)[`${job('j')}>${ds('b')}`]).toBe('observed');
    const compact = index.traverseCompact([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 1, maxNodes: 100 });
    expect(expandCompact(compact)).toEqual(now);
  });
});

describe('LineageIndex traversal depth (jobs crossed)', () => {
  const index = loaded();

  it('depth 1 downstream from a dataset = the jobs reading it and the datasets they write', () => {
    const r = index.traverse(seed(ds('a')), down(1));
    expect(ids(r)).toEqual(['dataset:ns:a@0', 'dataset:ns:b@1', 'job:ns:j1@1']);
    expect(r.nodes[0]).toEqual({ id: 'dataset:ns:a', type: 'DATASET', distance: 0 });
    expect(r.nodes[2].type).toBe('JOB');
    expect(edges(r)).toEqual(['dataset:ns:a>job:ns:j1:reads', 'job:ns:j1>dataset:ns:b:writes']);
    expect(r.truncated).toBe(false);
    expect(frontier(r)).toEqual(['dataset:ns:a@0']);
  });

  it('depth 2 and 3 downstream from a dataset', () => {
    expect(ids(index.traverse(seed(ds('a')), down(2)))).toEqual([
      'dataset:ns:a@0', 'dataset:ns:b@1', 'job:ns:j1@1', 'dataset:ns:c@2', 'dataset:ns:d@2', 'job:ns:j2@2',
    ]);
    const r = index.traverse(seed(ds('a')), down(3));
    expect(ids(r)).toEqual([
      'dataset:ns:a@0', 'dataset:ns:b@1', 'job:ns:j1@1', 'dataset:ns:c@2', 'dataset:ns:d@2', 'job:ns:j2@2', 'dataset:ns:e@3', 'job:ns:j3@3',
    ]);
    expect(frontier(r)).toEqual(['dataset:ns:a@0', 'dataset:ns:b@1', 'dataset:ns:c@2', 'dataset:ns:d@2']);
  });

  it('depth 0 is the seed alone, with no frontier', () => {
    const r = index.traverse(seed(ds('a')), down(0));
    expect(ids(r)).toEqual(['dataset:ns:a@0']);
    expect(r.edges).toEqual([]);
    expect(r.frontier).toEqual([]);
  });

  it('from a job: depth 1 = the datasets it writes, depth 2 adds the jobs reading those', () => {
    const r1 = index.traverse(seed(job('j2')), down(1));
    expect(ids(r1)).toEqual(['job:ns:j2@0', 'dataset:ns:c@1', 'dataset:ns:d@1']);
    expect(edges(r1)).toEqual(['job:ns:j2>dataset:ns:c:writes', 'job:ns:j2>dataset:ns:d:writes']);
    expect(r1.frontier).toEqual([]);
    const r2 = index.traverse(seed(job('j2')), down(2));
    expect(ids(r2)).toEqual(['job:ns:j2@0', 'dataset:ns:c@1', 'dataset:ns:d@1', 'dataset:ns:e@2', 'job:ns:j3@2']);
    expect(frontier(r2)).toEqual(['dataset:ns:c@1', 'dataset:ns:d@1']);
    expect(ids(index.traverse(seed(job('j2')), up(1)))).toEqual(['job:ns:j2@0', 'dataset:ns:b@1']);
  });

  it('upstream from a dataset: the jobs writing it and their inputs', () => {
    expect(ids(index.traverse(seed(ds('e')), up(1)))).toEqual(['dataset:ns:e@0', 'dataset:ns:c@1', 'job:ns:j3@1']);
    const r = index.traverse(seed(ds('e')), up(2));
    expect(ids(r)).toEqual(['dataset:ns:e@0', 'dataset:ns:c@1', 'job:ns:j3@1', 'dataset:ns:b@2', 'job:ns:j2@2']);
    expect(edges(r)).toEqual([
      'dataset:ns:c>job:ns:j3:reads', 'job:ns:j3>dataset:ns:e:writes', 'dataset:ns:b>job:ns:j2:reads', 'job:ns:j2>dataset:ns:c:writes',
    ]);
  });

  it('both directions with separate depths', () => {
    const r = index.traverse(seed(ds('c')), { direction: 'both', depth: 1, upstreamDepth: 2, maxNodes: 100 });
    expect(ids(r)).toEqual([
      'dataset:ns:c@0', 'dataset:ns:b@1', 'dataset:ns:e@1', 'job:ns:j2@1', 'job:ns:j3@1', 'dataset:ns:a@2', 'job:ns:j1@2',
    ]);
    // d is written by j2 but j2 is upstream of c: the upstream walk does not go down to d.
    expect(ids(r)).not.toContain('dataset:ns:d@1');
    expect(frontier(r)).toEqual(['dataset:ns:c@0', 'dataset:ns:b@1']);
  });

  it('seeds carry a starting distance for federated continuation', () => {
    const r = index.traverse(seed(ds('b'), 1), down(2));
    expect(ids(r)).toEqual(['dataset:ns:b@1', 'dataset:ns:c@2', 'dataset:ns:d@2', 'job:ns:j2@2']);
    expect(frontier(r)).toEqual(['dataset:ns:b@1']);
    expect(index.traverse(seed(ds('b'), 3), down(2)).nodes).toEqual([]);
    const two = index.traverse([{ id: ds('c'), distance: 0 }, { id: ds('a'), distance: 0 }], down(1));
    expect(ids(two)).toEqual(['dataset:ns:a@0', 'dataset:ns:c@0', 'dataset:ns:b@1', 'dataset:ns:e@1', 'job:ns:j1@1', 'job:ns:j3@1']);
  });

  it('ignores unknown seeds and refuses bad options naming the field', () => {
    expect(index.traverse(seed(ds('nope')), down(3))).toEqual({ nodes: [], edges: [], truncated: false, frontier: [] });
    const bad = (f: () => unknown, field: string) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe('invalid-argument');
        expect((e as DomainError).field).toBe(field);
        return;
      }
      throw new Error(`expected invalid-argument on ${field}`);
    };
    bad(() => index.traverse(seed(ds('a')), down(-1)), 'depth');
    bad(() => index.traverse(seed(ds('a')), down(1, { maxNodes: 0 })), 'maxNodes');
    bad(() => index.traverse(seed(ds('a')), { ...down(1), direction: 'sideways' as any }), 'direction');
    bad(() => index.traverse(seed(ds('a')), down(1, { upstreamDepth: 1.5 })), 'upstreamDepth');
    bad(() => index.traverse(seed(ds('a')), down(1, { asOf: Number.NaN })), 'asOf');
    bad(() => index.traverse(seed(ds('a')), down(1, { transformations: [''] })), 'transformations[0]');
    bad(() => index.traverse([{ id: 'run:1' as NodeId, distance: 0 }], down(1)), 'seeds[0].id');
    bad(() => index.traverse([{ id: ds('a'), distance: -2 }], down(1)), 'seeds[0].distance');
  });

  it('traverseHeld walks the seeds it holds and lists the others, as has() says, in seed order', () => {
    const seeds = [{ id: ds('nope'), distance: 0 }, { id: ds('a'), distance: 0 }, { id: 'run:1' as NodeId, distance: -1 }, { id: ds('b'), distance: 1 }];
    const held = index.traverseHeld(seeds, down(3, { unordered: true }));
    expect(held.unknownSeeds).toEqual([ds('nope'), 'run:1']);
    const { unknownSeeds: _unknown, ...compact } = held;
    expect(compact).toEqual(index.traverseCompact([seeds[1], seeds[3]], down(3, { unordered: true })));
    expect(held.ids.length).toBeGreaterThan(0);
    // none held: an empty answer, every seed listed
    const none = index.traverseHeld([{ id: ds('x1'), distance: 0 }, { id: ds('x2'), distance: 2 }], down(3));
    expect([none.ids, none.edgeFrom.length, none.frontier.length, none.truncated, none.unknownSeeds]).toEqual([[], 0, 0, false, [ds('x1'), ds('x2')]]);
    // a held seed's distance is checked as traverseCompact() checks it; traverseCompact() still refuses a malformed id
    expect(() => index.traverseHeld([{ id: ds('a'), distance: -2 }], down(1))).toThrow(DomainError);
    expect(() => index.traverseCompact([{ id: 'run:1' as NodeId, distance: 0 }], down(1))).toThrow(DomainError);
  });
});

describe('LineageIndex node cap', () => {
  it('keeps the first maxNodes nodes in (distance, id) order and says truncated', () => {
    const index = loaded();
    const r = index.traverse(seed(ds('a')), down(3, { maxNodes: 4 }));
    expect(ids(r)).toEqual(['dataset:ns:a@0', 'dataset:ns:b@1', 'job:ns:j1@1', 'dataset:ns:c@2']);
    expect(r.truncated).toBe(true);
    expect(edges(r)).toEqual(['dataset:ns:a>job:ns:j1:reads', 'job:ns:j1>dataset:ns:b:writes']);
    const exact = index.traverse(seed(ds('a')), down(3, { maxNodes: 8 }));
    expect(exact.nodes).toHaveLength(8);
    expect(exact.truncated).toBe(false);
    const both = index.traverse(seed(ds('c')), { direction: 'both', depth: 1, upstreamDepth: 2, maxNodes: 3 });
    expect(ids(both)).toEqual(['dataset:ns:c@0', 'dataset:ns:b@1', 'dataset:ns:e@1']);
    expect(both.truncated).toBe(true);
  });
});

describe('LineageIndex edge order', () => {
  it('sorts a hub row by the position of each target, however wide', () => {
    const jobs = Array.from({ length: 50 }, (_, i) => `h${String(49 - i).padStart(2, '0')}`);
    const index = loaded({ version: 1, groups: jobs.map((j) => group(job(j), [reads('hub', j), writes(j, `out_${j}`)])), aliases: [], lifecycle: [] });
    const r = index.traverse(seed(ds('hub')), down(1));
    expect(r.nodes).toHaveLength(101);
    const sortedJobs = [...jobs].sort();
    expect(edges(r).slice(0, 50)).toEqual(sortedJobs.map((j) => `dataset:ns:hub>job:ns:${j}:reads`));
    expect(edges(r).slice(50)).toEqual(sortedJobs.map((j) => `job:ns:${j}>dataset:ns:out_${j}:writes`));
    expect(index.reach(seed(ds('hub')), down(1))).toEqual({ nodes: 101, truncated: false });
    expect(index.reach(seed(ds('hub')), down(1, { maxNodes: 100 }))).toEqual({ nodes: 100, truncated: true });
  });
});

describe('LineageIndex order with nodes added since the load', () => {
  it('places nodes interned after the last ranking among the ranked ones by id, in nodes and edge rows', () => {
    const early = Array.from({ length: 40 }, (_, i) => `h${String(2 * i).padStart(3, '0')}`);
    const late = Array.from({ length: 40 }, (_, i) => `h${String(2 * i + 1).padStart(3, '0')}`).reverse();
    const index = loaded({ version: 1, groups: early.map((j) => group(job(j), [reads('hub', j), writes(j, `out_${j}`)])), aliases: [], lifecycle: [] });
    // Fewer than the re-rank threshold: these stay unranked and are merged in by each query.
    for (const j of late) index.apply({ groups: [group(job(j), [reads('hub', j), writes(j, `out_${j}`)])], aliases: [], lifecycle: [] });
    const r = index.traverse(seed(ds('hub')), down(1));
    const all = [...early, ...late].sort();
    expect(ids(r)).toEqual(['dataset:ns:hub@0', ...[...all.map((j) => `dataset:ns:out_${j}`), ...all.map((j) => `job:ns:${j}`)].sort().map((id) => `${id}@1`)]);
    expect(edges(r).slice(0, 80)).toEqual(all.map((j) => `dataset:ns:hub>job:ns:${j}:reads`));
    expect(edges(r).slice(80)).toEqual(all.map((j) => `job:ns:${j}>dataset:ns:out_${j}:writes`));
    const capped = index.traverse(seed(ds('hub')), down(1, { maxNodes: 5 }));
    expect(ids(capped)).toEqual(ids(r).slice(0, 5));
    expect(capped.truncated).toBe(true);
  });
});

describe('LineageIndex traverseCompact', () => {
  it('gives the same answer as typed arrays over node positions plus string tables', () => {
    const index = loaded();
    const c = index.traverseCompact(seed(fld('a', 'x')), down(2));
    expect(c.ids).toEqual([fld('a', 'x'), fld('b', 'x'), fld('c', 'x')]);
    expect([...c.types]).toEqual([2, 2, 2]);
    expect([...c.distances]).toEqual([0, 1, 2]);
    expect([...c.frontier]).toEqual([0, 1]);
    expect([...c.edgeFrom]).toEqual([0, 1]);
    expect([...c.edgeTo]).toEqual([1, 2]);
    expect([...c.edgeKinds]).toEqual([2, 2]);
    expect(c.jobs).toEqual([job('j1'), job('j2')]);
    expect([...c.edgeJobs]).toEqual([0, 1]);
    expect(c.transformationLists).toEqual([[{ type: 'DIRECT', subtype: 'IDENTITY' }], [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }]]);
    expect([...c.edgeTransformations]).toEqual([0, 1]);
    expect(c.truncated).toBe(false);
    const d = index.traverseCompact(seed(ds('a')), down(1));
    expect([...d.edgeKinds]).toEqual([0, 1]);
    expect([...d.edgeJobs]).toEqual([-1, -1]);
    expect(expandCompact(d)).toEqual(index.traverse(seed(ds('a')), down(1)));
  });
});

describe('LineageIndex as-of', () => {
  // j1 read a until t=200, then reads x instead; b was dropped at t=300 (its write edge closed then).
  const index = loaded({
    version: 1,
    groups: [
      group(job('j1'), [reads('a', 'j1', 100, 200), reads('x', 'j1', 200), writes('j1', 'b', 100, 300)]),
    ],
    aliases: [],
    lifecycle: [{ dataset: ds('b'), state: 'DROP', at: 300 }],
  });

  it('follows only edges valid at asOf (validFrom <= asOf < validTo)', () => {
    expect(ids(index.traverse(seed(ds('b')), up(1, { asOf: 150 })))).toEqual(['dataset:ns:b@0', 'dataset:ns:a@1', 'job:ns:j1@1']);
    expect(ids(index.traverse(seed(ds('b')), up(1, { asOf: 200 })))).toEqual(['dataset:ns:b@0', 'dataset:ns:x@1', 'job:ns:j1@1']);
    expect(ids(index.traverse(seed(ds('b')), up(1, { asOf: 99 })))).toEqual(['dataset:ns:b@0']);
    expect(ids(index.traverse(seed(ds('b')), up(1, { asOf: 300 })))).toEqual(['dataset:ns:b@0']);
    expect(ids(index.traverse(seed(ds('a')), down(1, { asOf: 150 })))).toEqual(['dataset:ns:a@0', 'dataset:ns:b@1', 'job:ns:j1@1']);
    expect(ids(index.traverse(seed(ds('a')), down(1, { asOf: 250 })))).toEqual(['dataset:ns:a@0']);
  });

  it('without asOf follows only open edges', () => {
    expect(ids(index.traverse(seed(ds('x')), down(1)))).toEqual(['dataset:ns:x@0', 'job:ns:j1@1']);
    expect(ids(index.traverse(seed(ds('b')), up(1)))).toEqual(['dataset:ns:b@0']);
  });
});

describe('LineageIndex aliases and lifecycle', () => {
  it('lands any alias on its canonical node, and merges edges stored under an alias', () => {
    const snap = snapshot();
    snap.groups.push(group(job('j0'), [{ ...writes('j0', 'a'), to: 'dataset:phys:A_TABLE' as NodeId }]));
    snap.aliases.push({ alias: 'dataset:phys:A_TABLE' as NodeId, canonical: ds('a') });
    const index = loaded(snap);
    const r = index.traverse(seed('dataset:phys:A_TABLE' as NodeId), down(1));
    expect(ids(r)).toEqual(['dataset:ns:a@0', 'dataset:ns:b@1', 'job:ns:j1@1']);
    expect(ids(index.traverse(seed(ds('a')), up(1)))).toEqual(['dataset:ns:a@0', 'job:ns:j0@1']);
    expect(edges(index.traverse(seed(ds('a')), up(1)))).toEqual(['job:ns:j0>dataset:ns:a:writes']);
    expect(index.has('dataset:phys:A_TABLE')).toBe(true);
    expect(index.canonicalId('dataset:phys:A_TABLE')).toBe(ds('a'));
    // A field named on the alias lands on the canonical dataset's field.
    expect(ids(index.traverse(seed('datasetField:phys:A_TABLE:x' as NodeId), down(1)))).toEqual([
      'datasetField:ns:a:x@0', 'datasetField:ns:b:x@1',
    ]);
    expect([...index.nodeIds()]).toContain('dataset:phys:A_TABLE');
  });

  it('RENAME makes the old id an alias of the new one, delivered by apply', () => {
    const index = loaded();
    index.apply({ groups: [group(job('j4'), [reads('old', 'j4'), writes('j4', 'f')])], aliases: [], lifecycle: [] }, 8);
    index.apply({
      groups: [group(job('j5'), [reads('new', 'j5'), writes('j5', 'g')])],
      aliases: [],
      lifecycle: [{ dataset: ds('old'), state: 'RENAME', renamedTo: ds('new'), at: 500 }],
    }, 9);
    expect(index.version).toBe(9);
    const r = index.traverse(seed(ds('old')), down(1));
    expect(ids(r)).toEqual(['dataset:ns:new@0', 'dataset:ns:f@1', 'dataset:ns:g@1', 'job:ns:j4@1', 'job:ns:j5@1']);
    expect(edges(r)).toEqual([
      'dataset:ns:new>job:ns:j4:reads', 'dataset:ns:new>job:ns:j5:reads', 'job:ns:j4>dataset:ns:f:writes', 'job:ns:j5>dataset:ns:g:writes',
    ]);
  });

  it('refuses an alias record that would make a cycle', () => {
    const index = loaded();
    index.apply({ groups: [], aliases: [{ alias: ds('a'), canonical: ds('b') }, { alias: ds('b'), canonical: ds('a') }], lifecycle: [] });
    expect(index.canonicalId(ds('a'))).toBe(ds('b'));
    expect(index.canonicalId(ds('b'))).toBe(ds('b'));
    expect(ids(index.traverse(seed(ds('a')), down(1)))).toEqual([
      'dataset:ns:b@0', 'dataset:ns:c@1', 'dataset:ns:d@1', 'job:ns:j1@1', 'job:ns:j2@1', // j1 read a, now b
    ]);
  });
});

describe('LineageIndex column traversal', () => {
  const index = loaded();

  it('walks field -> field edges, one step per column edge', () => {
    const r = index.traverse(seed(fld('a', 'x')), down(5));
    expect(ids(r)).toEqual(['datasetField:ns:a:x@0', 'datasetField:ns:b:x@1', 'datasetField:ns:c:x@2']);
    expect(r.edges).toEqual([
      { from: fld('a', 'x'), to: fld('b', 'x'), kind: 'column', job: job('j1'), transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] },
      { from: fld('b', 'x'), to: fld('c', 'x'), kind: 'column', job: job('j2'), transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }] },
    ]);
    expect(frontier(r)).toEqual(['datasetField:ns:a:x@0', 'datasetField:ns:b:x@1', 'datasetField:ns:c:x@2']);
    expect(frontier(index.traverse(seed(fld('a', 'x')), down(1)))).toEqual(['datasetField:ns:a:x@0']);
  });

  it('filters column edges by transformation type or type/subtype', () => {
    expect(ids(index.traverse(seed(fld('a', 'x')), down(5, { transformations: ['DIRECT/IDENTITY'] })))).toEqual([
      'datasetField:ns:a:x@0', 'datasetField:ns:b:x@1',
    ]);
    expect(ids(index.traverse(seed(fld('a', 'x')), down(5, { transformations: ['direct'] })))).toHaveLength(3);
    expect(ids(index.traverse(seed(fld('a', 'y')), down(5, { transformations: ['INDIRECT/JOIN'] })))).toEqual([
      'datasetField:ns:a:y@0', 'datasetField:ns:b:z@1',
    ]);
    expect(ids(index.traverse(seed(fld('a', 'y')), down(5, { transformations: ['INDIRECT'] })))).toEqual([
      'datasetField:ns:a:y@0', 'datasetField:ns:b:z@1', 'datasetField:ns:c:w@2',
    ]);
    // The filter applies to column edges only: dataset-level traversal is unaffected.
    expect(index.traverse(seed(ds('a')), down(3, { transformations: ['DIRECT/IDENTITY'] })).nodes).toHaveLength(8);
  });

  it('upstream reaches dataset-level dependencies as leaves (not frontier)', () => {
    const r = index.traverse(seed(fld('c', 'w')), up(5));
    expect(ids(r)).toEqual(['datasetField:ns:c:w@0', 'dataset:ns:a@1', 'datasetField:ns:b:z@1', 'datasetField:ns:a:y@2']);
    expect(r.nodes[1].type).toBe('DATASET');
    expect(frontier(r)).toEqual(['datasetField:ns:c:w@0', 'datasetField:ns:b:z@1', 'datasetField:ns:a:y@2']);
    expect(edges(r)).toEqual([
      'dataset:ns:a>datasetField:ns:c:w:column', 'datasetField:ns:b:z>datasetField:ns:c:w:column', 'datasetField:ns:a:y>datasetField:ns:b:z:column',
    ]);
  });
});

describe('LineageIndex apply', () => {
  it("replaces an owner's edges wholesale", () => {
    const index = loaded();
    expect(index.stats().edges).toBe(12);
    index.apply({ groups: [group(job('j2'), [reads('b', 'j2'), writes('j2', 'd')])], aliases: [], lifecycle: [] });
    expect(index.version).toBe(8);
    expect(index.stats().edges).toBe(8);
    expect(ids(index.traverse(seed(ds('b')), down(3)))).toEqual(['dataset:ns:b@0', 'dataset:ns:d@1', 'job:ns:j2@1']);
    expect(ids(index.traverse(seed(ds('e')), up(3)))).toEqual(['dataset:ns:e@0', 'dataset:ns:c@1', 'job:ns:j3@1']);
    // The column edges of j2 went with the group.
    expect(ids(index.traverse(seed(fld('b', 'x')), down(3)))).toEqual(['datasetField:ns:b:x@0']);
    // An empty group removes the owner's edges.
    index.apply({ groups: [group(job('j1'), [])], aliases: [], lifecycle: [] });
    expect(ids(index.traverse(seed(ds('a')), down(3)))).toEqual(['dataset:ns:a@0']);
  });

  it('gives the same answers after many incremental applies as after a fresh load', () => {
    const index = loaded();
    const chain: GraphDelta[] = [];
    for (let i = 0; i < 6000; i++) {
      chain.push({ groups: [group(job(`k${i}`), [reads(`t${i}`, `k${i}`), writes(`k${i}`, `t${i + 1}`)])], aliases: [], lifecycle: [] });
    }
    for (const delta of chain) index.apply(delta); // crosses the rebuild threshold
    index.apply({ groups: [group(job('k10'), [reads('t10', 'k10'), writes('k10', 'z')])], aliases: [], lifecycle: [] });
    const fresh = new LineageIndex();
    fresh.load({ ...snapshot(), groups: [...snapshot().groups, ...chain.flatMap((d) => d.groups), group(job('k10'), [reads('t10', 'k10'), writes('k10', 'z')])] });
    const opts = down(20);
    expect(index.traverse(seed(ds('t0')), opts)).toEqual(fresh.traverse(seed(ds('t0')), opts));
    const walked = ids(index.traverse(seed(ds('t0')), opts));
    expect(walked).toHaveLength(23);
    expect(walked.slice(-2)).toEqual(['dataset:ns:z@11', 'job:ns:k10@11']);
    expect(index.stats().edges).toBe(fresh.stats().edges);
  });

  it('replaces each id string by a flat copy once in its upkeep: load every id, apply only the ids it interned', () => {
    const stringify = jest.spyOn(JSON, 'stringify');
    const flattened = () => stringify.mock.calls.filter(([value]) => Array.isArray(value) && value.every((v) => typeof v === 'string')).flatMap(([value]) => value as string[]);
    try {
      const index = loaded();
      expect(flattened().sort()).toEqual([...index.nodeIds()].sort());
      stringify.mockClear();
      index.apply({ groups: [group(job('j9'), [reads('a', 'j9'), writes('j9', 'n1'), writes('j9', 'n2')])], aliases: [], lifecycle: [] });
      expect(flattened().sort()).toEqual([ds('n1'), ds('n2'), job('j9')]);
      stringify.mockClear();
      index.apply({ groups: [group(job('j9'), [reads('b', 'j9')])], aliases: [], lifecycle: [] });
      expect(flattened()).toEqual([]);
      // the same ids, each still found (by another string of the same characters), answers unchanged
      for (const id of index.nodeIds()) expect(index.canonicalId(id.split('').join(''))).toBe(id);
      expect([...index.nodeIds()]).toHaveLength(17);
      expect(ids(index.traverse(seed(ds('b')), down(1)))).toEqual(['dataset:ns:b@0', 'dataset:ns:c@1', 'dataset:ns:d@1', 'job:ns:j2@1', 'job:ns:j9@1']);
      const fresh = loaded({ ...snapshot(), groups: [...snapshot().groups, group(job('j9'), [reads('b', 'j9')])] });
      expect(index.traverse(seed(ds('a')), down(3))).toEqual(fresh.traverse(seed(ds('a')), down(3)));
      // an apply adding more ids than the index held (its id map made anew) still finds the old ones
      const small = loaded({ version: 1, groups: [group(job('s1'), [reads('s0', 's1')])], aliases: [], lifecycle: [] });
      stringify.mockClear();
      small.apply({ groups: [group(job('s2'), [reads('s0', 's2'), writes('s2', 's3'), writes('s2', 's4')])], aliases: [], lifecycle: [] });
      expect(flattened().sort()).toEqual([ds('s3'), ds('s4'), job('s2')]);
      for (const id of [ds('s0'), job('s1'), job('s2'), ds('s3'), ds('s4')]) expect(small.canonicalId(id.split('').join(''))).toBe(id);
      expect(ids(small.traverse(seed(ds('s0')), down(1)))).toEqual(['dataset:ns:s0@0', 'dataset:ns:s3@1', 'dataset:ns:s4@1', 'job:ns:s1@1', 'job:ns:s2@1']);
    } finally {
      stringify.mockRestore();
    }
  });

  it('validates a delta whole before changing anything', () => {
    const index = loaded();
    const before = index.traverse(seed(ds('a')), down(3));
    expect(() =>
      index.apply({
        groups: [group(job('j1'), []), group(job('j9'), [{ ...reads('a', 'j9'), validFrom: 'yesterday' as any }])],
        aliases: [],
        lifecycle: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-argument', field: 'delta.groups[1].edges[0].validFrom' }));
    expect(() => index.apply({ groups: [group(job('j1'), [{ ...reads('a', 'j1'), to: ds('b') }])], aliases: [], lifecycle: [] })).toThrow(
      expect.objectContaining({ field: 'delta.groups[0].edges[0].to' }),
    );
    expect(index.traverse(seed(ds('a')), down(3))).toEqual(before);
    expect(index.version).toBe(7);
  });
});

describe('LineageIndex membership and stats', () => {
  it('lists every dataset, field, job and alias it holds', () => {
    const snap = snapshot();
    snap.aliases.push({ alias: 'dataset:phys:E' as NodeId, canonical: ds('e') });
    const index = loaded(snap);
    const all = [...index.nodeIds()].sort();
    expect(all).toEqual([
      'dataset:ns:a', 'dataset:ns:b', 'dataset:ns:c', 'dataset:ns:d', 'dataset:ns:e', 'dataset:phys:E',
      'datasetField:ns:a:x', 'datasetField:ns:a:y', 'datasetField:ns:b:x', 'datasetField:ns:b:z', 'datasetField:ns:c:w', 'datasetField:ns:c:x',
      'job:ns:j1', 'job:ns:j2', 'job:ns:j3',
    ]);
    expect(index.has(ds('a'))).toBe(true);
    expect(index.has(ds('zz'))).toBe(false);
    const stats = index.stats();
    expect(stats).toMatchObject({ nodes: 15, edges: 12, aliases: 1, version: 7 });
    expect(stats.bytes).toBeGreaterThan(0);
  });
});
