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
