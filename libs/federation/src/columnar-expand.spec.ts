import type { NodeId } from '@lineage-hub/model';
import type { TraversalResult } from '@lineage-hub/graph';
import { checkColumnar, columnarExpandAnswer, decodeColumnar, encodeColumnar, expandAnswerAs, plainExpandAnswer } from './columnar-expand';
import type { ColumnarExpand, ExpandResponse } from './shard-rpc.contract';

const id = (s: string) => s as NodeId;

const answer: TraversalResult = {
  nodes: [
    { id: id('dataset:ns:a'), type: 'DATASET', distance: 0 },
    { id: id('job:ns:j'), type: 'JOB', distance: 1 },
    { id: id('dataset:ns:b'), type: 'DATASET', distance: 1 },
    { id: id('datasetField:ns:a:x'), type: 'DATASET_FIELD', distance: 0 },
    { id: id('datasetField:ns:b:y'), type: 'DATASET_FIELD', distance: 1 },
  ],
  edges: [
    { from: id('dataset:ns:a'), to: id('job:ns:j'), kind: 'reads' },
    { from: id('job:ns:j'), to: id('dataset:ns:b'), kind: 'writes' },
    { from: id('datasetField:ns:a:x'), to: id('datasetField:ns:b:y'), kind: 'column', job: id('job:ns:j'), transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] },
    // a job outside the answer's nodes and a null job both survive
    { from: id('datasetField:ns:a:x'), to: id('datasetField:ns:b:y'), kind: 'column', job: id('job:other:k'), transformations: [{ type: 'INDIRECT', subtype: 'JOIN', masking: true }] },
    { from: id('datasetField:ns:a:x'), to: id('datasetField:ns:b:y'), kind: 'column', job: null, transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] },
  ],
  frontier: [
    { id: id('dataset:ns:a'), type: 'DATASET', distance: 0 },
    { id: id('dataset:ns:b'), type: 'DATASET', distance: 1 },
  ],
  truncated: false,
};

describe('columnar expand answers', () => {
  it('decode to exactly the plain answer (nodes, edges with job/null job/transformations, frontier)', () => {
    const columnar = JSON.parse(JSON.stringify(encodeColumnar(answer))) as ColumnarExpand; // as it crosses the wire
    expect(decodeColumnar(columnar)).toEqual({ nodes: answer.nodes, edges: answer.edges, frontier: answer.frontier });
    expect(columnar.ids.filter((x) => x === 'dataset:ns:a')).toHaveLength(1); // every id once
    expect(columnar.transformationSets).toHaveLength(2); // equal transformation lists sent once
  });

  it("carry the edges' provenance when one is not declared (absent = declared), and refuse an unknown code", () => {
    const observed: TraversalResult = { ...answer, edges: answer.edges.map((e, i) => (i === 1 ? { ...e, provenance: 'observed' } : i === 2 ? { ...e, provenance: 'manual' } : e)) };
    const c = encodeColumnar(observed);
    expect(c.edgeProvenance).toEqual([0, 1, 2, 0, 0]);
    expect(decodeColumnar(c).edges).toEqual(observed.edges);
    expect(encodeColumnar(answer).edgeProvenance).toBeUndefined();
    expect(() => checkColumnar({ ...c, edgeProvenance: [0, 3, 0, 0, 0] })).toThrow(/edgeProvenance\[1\] = 3/);
  });

  it('carry a frontier node that is not among the nodes, with its type', () => {
    const odd = { ...answer, frontier: [...answer.frontier, { id: id('dataset:ns:elsewhere'), type: 'DATASET' as const, distance: 3 }] };
    expect(decodeColumnar(JSON.parse(JSON.stringify(encodeColumnar(odd)))).frontier).toEqual(odd.frontier);
  });

  it('are answered only when asked for, and the gateway reads both forms', () => {
    const response: ExpandResponse = { ...answer, domain: 'd', version: 7, unknownSeeds: [] };
    expect(expandAnswerAs(undefined, response)).toBe(response);
    const compact = expandAnswerAs('columnar', response);
    expect(compact).toMatchObject({ nodes: [], edges: [], frontier: [], domain: 'd', version: 7 });
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(response).length);
    expect(plainExpandAnswer(compact)).toEqual({ ...response });
    expect(columnarExpandAnswer(response).columnar).toEqual(compact.columnar);
    expect(() => expandAnswerAs('xml' as 'columnar', response)).toThrow('unknown expand answer format "xml"');
  });

  it('refuse malformed arrays naming what is wrong', () => {
    const good = encodeColumnar(answer);
    expect(() => checkColumnar({ ...good, edgeTo: good.edgeTo.slice(1) })).toThrow('edgeTo length');
    expect(() => checkColumnar({ ...good, edgeFrom: [99, ...good.edgeFrom.slice(1)] })).toThrow('edgeFrom[0] = 99');
    expect(() => checkColumnar({ ...good, nodeTypes: [7, ...good.nodeTypes.slice(1)] })).toThrow('nodeTypes[0] = 7');
    expect(() => checkColumnar({ ...good, nodeCount: good.ids.length + 1 })).toThrow('nodeCount');
    expect(() => checkColumnar({ ...good, edgeTransformations: good.edgeTransformations!.map(() => 5) })).toThrow('edgeTransformations[0] = 5');
    expect(() => checkColumnar({ ...good, frontier: [good.ids.length - 1], frontierDistances: [1] })).toThrow('has no type');
  });

  it('refuse typed (Int32Array) columns out of range as they refuse plain ones, and take them in range', () => {
    const good = encodeColumnar(answer);
    const typed = (values: ArrayLike<number>) => Int32Array.from(values);
    const all = { ...good, nodeTypes: typed(good.nodeTypes), nodeDistances: typed(good.nodeDistances), frontier: typed(good.frontier), frontierDistances: typed(good.frontierDistances), edgeFrom: typed(good.edgeFrom), edgeTo: typed(good.edgeTo), edgeKind: typed(good.edgeKind), edgeJob: typed(good.edgeJob) };
    expect(() => checkColumnar(all)).not.toThrow();
    expect(() => checkColumnar({ ...all, edgeFrom: typed([99, ...good.edgeFrom.slice(1)]) })).toThrow('edgeFrom[0] = 99');
    expect(() => checkColumnar({ ...all, edgeJob: typed([...good.edgeJob.slice(1), -3]) })).toThrow(`edgeJob[${good.edgeJob.length - 1}] = -3`);
    expect(() => checkColumnar({ ...all, nodeDistances: typed([-1, ...good.nodeDistances.slice(1)]) })).toThrow('nodeDistances[0] = -1');
    expect(() => checkColumnar({ ...all, nodeTypes: typed([3, ...good.nodeTypes.slice(1)]) })).toThrow('nodeTypes[0] = 3');
    expect(() => checkColumnar({ ...all, frontier: typed([good.ids.length]) , frontierDistances: typed([1]) })).toThrow(`frontier[0] = ${good.ids.length}`);
  });
});
