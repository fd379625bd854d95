import type { ColumnarExpand } from './shard-rpc.contract';
import { FederatedTable } from './federated-table';
import { GatewayIdNumbers } from './gateway-id-numbers';

/** A columnar answer of datasets d0..d(n-1) (distance 1) with the given edges between them (kind codes, job positions). */
const answer = (n: number, edges: Array<[number, number, number, number?]>): ColumnarExpand => ({
  ids: Array.from({ length: n }, (_, i) => `dataset:ns:d${i}`),
  nodeCount: n,
  nodeTypes: new Int32Array(n),
  nodeDistances: new Int32Array(n).fill(1),
  frontier: new Int32Array(0),
  frontierDistances: new Int32Array(0),
  edgeFrom: Int32Array.from(edges.map((e) => e[0])),
  edgeTo: Int32Array.from(edges.map((e) => e[1])),
  edgeKind: Int32Array.from(edges.map((e) => e[2])),
  edgeJob: Int32Array.from(edges.map((e) => e[3] ?? -1)),
});

describe('FederatedTable edges', () => {
  it('keeps each edge once across answers and shards, however many there are', () => {
    const n = 3_000;
    const edges: Array<[number, number, number]> = [];
    for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, 0], [i + 1, i, 1]);
    const table = new FederatedTable(['a', 'b']);
    table.merge(0, answer(n, edges), -1);
    table.merge(1, answer(n, edges.slice(0, 1_000)), -1);
    table.merge(0, answer(n, edges), -1);
    expect(table.edgeCount).toBe(edges.length);
    expect(table.nodeCount).toBe(n);
    // of the shards that send an edge, the first in domain order names it
    expect([table.edge(0).domain, table.edge(edges.length - 1).domain]).toEqual(['a', 'a']);
    expect(table.edge(1)).toEqual({ from: 'dataset:ns:d1', to: 'dataset:ns:d0', kind: 'writes', domain: 'a' });
  });

  it('names an edge, and a dataset\'s writer, by the first shard in domain order, whichever answered first', () => {
    const table = new FederatedTable(['a', 'b']);
    table.merge(1, answer(2, [[0, 1, 1]]), -1);
    table.merge(0, answer(2, [[0, 1, 1]]), -1);
    expect(table.edgeCount).toBe(1);
    expect(table.edge(0).domain).toBe('a');
    expect(table.node(1).domain).toBe('a');
    expect(table.node(1).domains).toEqual(['a', 'b']);
  });

  it('tells apart edges that differ only in kind or job', () => {
    const table = new FederatedTable(['a']);
    const edges: Array<[number, number, number, number?]> = [
      [0, 1, 0],
      [0, 1, 1],
      [0, 1, 2, 2],
      [0, 1, 2, 3],
      [0, 1, 2, -2],
      [0, 1, 2, 2],
    ];
    table.merge(0, answer(4, edges), -1);
    expect(table.edgeCount).toBe(5);
    expect([table.edge(2).job, table.edge(3).job, table.edge(4).job]).toEqual(['dataset:ns:d2', 'dataset:ns:d3', null]);
  });
});

describe('FederatedTable ids numbered by a lean link', () => {
  const numbered = (ids: string[], dictionary: string[]) => ({
    ...answer(ids.length, []),
    ids,
    idDictionary: dictionary,
    idRefs: Int32Array.from(ids.map((id) => dictionary.indexOf(id))),
  });

  it('places each id once, and a stale hint (another table, a dictionary that started again) never misplaces one', () => {
    const dictionary = ['dataset:ns:a', 'dataset:ns:b', 'dataset:ns:c'];
    const first = new FederatedTable(['d']);
    first.intern('dataset:ns:x');
    const a = first.merge(0, numbered(['dataset:ns:b', 'dataset:ns:c'], dictionary), -1);
    expect([...a].map((p) => first.ids[p])).toEqual(['dataset:ns:b', 'dataset:ns:c']);
    expect([...first.merge(0, numbered(['dataset:ns:c', 'dataset:ns:a'], dictionary), -1)].map((p) => first.ids[p])).toEqual(['dataset:ns:c', 'dataset:ns:a']);
    // a second traversal, and the link's dictionary numbered anew (same array, other ids under the same numbers)
    const second = new FederatedTable(['d']);
    second.intern('dataset:ns:y');
    second.intern('dataset:ns:z');
    dictionary.splice(0, 3, 'dataset:ns:q', 'dataset:ns:c', 'dataset:ns:b');
    const b = second.merge(0, numbered(['dataset:ns:q', 'dataset:ns:b', 'dataset:ns:c'], dictionary), -1);
    expect([...b].map((p) => second.ids[p])).toEqual(['dataset:ns:q', 'dataset:ns:b', 'dataset:ns:c']);
    expect(second.idCount).toBe(5);
    expect(first.idCount).toBe(4);
  });
});

describe('FederatedTable closed', () => {
  it('gives its place array back and places no id after', () => {
    const numbering = new GatewayIdNumbers();
    const table = new FederatedTable(['d'], numbering);
    const p = table.intern('dataset:ns:a');
    expect(table.has('dataset:ns:a')).toBe(p);
    table.close();
    expect(() => table.intern('dataset:ns:b')).toThrow(/closed/);
    const next = new FederatedTable(['d'], numbering);
    expect(next.has('dataset:ns:a')).toBeUndefined();
    expect(next.intern('dataset:ns:a')).toBe(0);
  });
});

describe('FederatedTable answer objects', () => {
  it('builds every edge with its keys in one order, the optional ones only when set, whichever way it is built', () => {
    const table = new FederatedTable(['a', 'b']);
    const c: ColumnarExpand = {
      ...answer(4, [
        [0, 1, 0, 2],
        [0, 1, 1, -2],
        [0, 1, 2],
        [1, 2, 0, 3],
        [2, 3, 1, -2],
        [2, 3, 2],
        [3, 0, 0, 1],
      ]),
      edgeTransformations: Int32Array.from([-1, -1, -1, 0, 0, -1, -1]),
      transformationSets: [[{ type: 'DIRECT', subtype: 'IDENTITY' }]] as ColumnarExpand['transformationSets'],
      edgeProvenance: Int32Array.from([0, 0, 0, 1, 0, 2, 0]),
    };
    table.merge(1, c, -1);
    expect(Array.from({ length: table.edgeCount }, (_, e) => JSON.stringify(table.edge(e)))).toEqual([
      '{"from":"dataset:ns:d0","to":"dataset:ns:d1","kind":"reads","job":"dataset:ns:d2","domain":"b"}',
      '{"from":"dataset:ns:d0","to":"dataset:ns:d1","kind":"writes","job":null,"domain":"b"}',
      '{"from":"dataset:ns:d0","to":"dataset:ns:d1","kind":"column","domain":"b"}',
      '{"from":"dataset:ns:d1","to":"dataset:ns:d2","kind":"reads","job":"dataset:ns:d3","transformations":[{"type":"DIRECT","subtype":"IDENTITY"}],"provenance":"observed","domain":"b"}',
      '{"from":"dataset:ns:d2","to":"dataset:ns:d3","kind":"writes","job":null,"transformations":[{"type":"DIRECT","subtype":"IDENTITY"}],"domain":"b"}',
      '{"from":"dataset:ns:d2","to":"dataset:ns:d3","kind":"column","provenance":"manual","domain":"b"}',
      '{"from":"dataset:ns:d3","to":"dataset:ns:d0","kind":"reads","job":"dataset:ns:d1","domain":"b"}',
    ]);
    // an absent job stays absent (not a key holding undefined)
    expect(Object.keys(table.edge(2))).toEqual(['from', 'to', 'kind', 'domain']);
  });

  it('gives each node its own holders array, in domain order, for one word of domains and for several', () => {
    for (const count of [3, 40]) {
      const domains = Array.from({ length: count }, (_, i) => `d${String(i).padStart(2, '0')}`);
      const table = new FederatedTable(domains);
      const holders = [0, count - 1, 1];
      for (const s of holders) table.merge(s, answer(3, []), -1);
      table.merge(count - 1, answer(4, []), -1);
      const [a, b] = [table.node(0), table.node(1)];
      expect(a.domains).toEqual([domains[0], domains[1], domains[count - 1]]);
      expect(table.node(3).domains).toEqual([domains[count - 1]]);
      // a caller changing one node's array changes no other node's (nor a later one)
      a.domains.push('changed');
      b.domains.length = 0;
      expect(table.node(2).domains).toEqual([domains[0], domains[1], domains[count - 1]]);
      expect(table.node(0).domains).toEqual([domains[0], domains[1], domains[count - 1]]);
    }
  });
});
