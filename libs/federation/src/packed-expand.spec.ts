import type { NodeId } from '@lineage-hub/model';
import { LineageIndex, type TraversalOptions } from '@lineage-hub/graph';
import { columnarExpandAnswer, decodeColumnar, encodeColumnar, expandAnswerAs, plainExpandAnswer } from './columnar-expand';
import { packColumnar, packCompact, unpackColumnar } from './packed-expand';
import type { ExpandResponse, PackedExpand } from './shard-rpc.contract';
import { column, ds, edge, fld, identity, job } from './testing/lineage-edges.fixtures';

/** A small graph with dataset and column edges, an observed edge, a null-job column edge and one of a job outside the walk. */
const index = () => {
  const i = new LineageIndex();
  i.load({
    groups: [
      { owner: job('j1'), edges: [edge(ds('a'), job('j1'), 'reads'), edge(job('j1'), ds('b'), 'writes', 'observed')], columnEdges: [column(fld('a', 'x'), fld('b', 'y'), job('j1'), identity)] },
      { owner: job('j2'), edges: [edge(ds('b'), job('j2'), 'reads'), edge(job('j2'), ds('c'), 'writes')], columnEdges: [column(fld('b', 'y'), fld('c', 'z'), null, [{ type: 'INDIRECT', subtype: 'JOIN' }])] },
      { owner: job('j3'), edges: [edge(ds('c'), job('j3'), 'reads'), edge(job('j3'), ds('d'), 'writes')], columnEdges: [column(fld('c', 'z'), fld('d', 'w'), job('j3'), identity)] },
    ],
    aliases: [],
    lifecycle: [],
    version: 1,
  });
  return i;
};

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('packed expand answers', () => {
  const queries: Array<[NodeId, TraversalOptions]> = [
    [ds('a'), { direction: 'downstream', depth: 2, maxNodes: 100 }],
    [ds('d'), { direction: 'upstream', depth: 5, maxNodes: 100 }],
    [fld('a', 'x'), { direction: 'downstream', depth: 2, maxNodes: 100 }],
    [fld('d', 'w'), { direction: 'upstream', depth: 3, maxNodes: 100 }],
    [ds('a'), { direction: 'downstream', depth: 5, maxNodes: 3 }],
  ];

  it("packed straight from traverseCompact() decode to exactly traverse()'s answer (jobs, null jobs, transformations, provenance, frontier, cap)", () => {
    const g = index();
    for (const [seed, options] of queries) {
      const plain = g.traverse([{ id: seed, distance: 0 }], options);
      const packed = wire(packCompact(g.traverseCompact([{ id: seed, distance: 0 }], options)));
      expect(typeof packed.columns).toBe('string');
      expect(decodeColumnar(unpackColumnar(packed))).toEqual({ nodes: plain.nodes, edges: plain.edges, frontier: plain.frontier });
    }
  });

  it('carry the same answer as the columnar form, and the gateway reads it', () => {
    const g = index();
    const plain = g.traverse([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 5, maxNodes: 100 });
    const response: ExpandResponse = { ...plain, domain: 'd', version: 3, unknownSeeds: [] };
    const columnar = encodeColumnar(plain);
    const packed = expandAnswerAs('packed', response);
    expect(packed).toMatchObject({ nodes: [], edges: [], frontier: [], domain: 'd', version: 3 });
    expect(packed.columnar).toBeUndefined();
    expect(decodeColumnar(unpackColumnar(wire(packColumnar(columnar))))).toEqual(decodeColumnar(columnar));
    expect(plainExpandAnswer(wire(packed))).toEqual(response);
    expect(decodeColumnar(columnarExpandAnswer(wire(packed)).columnar)).toEqual(decodeColumnar(columnar));
  });

  it('refuse a packed answer whose columns do not fit its counts, or whose positions point nowhere, naming it', () => {
    const g = index();
    const good = packCompact(g.traverseCompact([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 5, maxNodes: 100 }));
    const response = (packed: PackedExpand): ExpandResponse => ({ nodes: [], edges: [], frontier: [], truncated: false, domain: 'd', version: 1, packed });
    expect(() => unpackColumnar({ ...good, edgeCount: good.edgeCount + 1 })).toThrow(/columns: \d+ int32s, the counts need \d+/);
    expect(() => unpackColumnar({ ...good, columns: 'AAA' })).toThrow(/not a whole number of int32s/);
    expect(() => unpackColumnar({ ...good, nodeCount: -1 })).toThrow(/nodeCount/);
    // columns that fit their counts but an edge position past the id table: checked like a columnar answer
    const columnar = unpackColumnar(good);
    const wrong = packColumnar({ ...columnar, edgeFrom: Int32Array.from(columnar.edgeFrom, (v, k) => (k === 0 ? 99 : v)) });
    expect(() => columnarExpandAnswer(response(wrong))).toThrow('edgeFrom[0] = 99');
    expect(() => columnarExpandAnswer(response(good))).not.toThrow();
  });
});
