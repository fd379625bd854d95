import { ExplorerGraph, FANOUT_THRESHOLD, type ImpactPage, isRestricted } from './graph-model';

const page = (over: Partial<ImpactPage>): ImpactPage => ({ nodes: [], edges: [], complete: true, missingDomains: [], nextCursor: null, totalNodes: 1, ...over });
const H = 'dataset:ns:H';

describe('ExplorerGraph', () => {
  it('draws a page of outputs connected: the jobs between come from the edges, with their provenance', () => {
    const g = new ExplorerGraph();
    g.ensure({ id: H, type: 'DATASET', domains: ['a'] });
    g.addPage(H, 'downstream', page({
      nodes: [{ id: H, type: 'DATASET', domains: ['a'], distance: 0 }, { id: 'dataset:ns:o1', type: 'DATASET', domains: ['a'], distance: 1 }],
      edges: [
        { from: H, to: 'job:ns:j1', kind: 'reads', provenance: 'observed', domain: 'a' },
        { from: 'job:ns:j1', to: 'dataset:ns:o1', kind: 'writes', provenance: 'declared', domain: 'a' },
      ],
      totalNodes: 5,
      nextCursor: 'c2',
    }));
    expect([...g.nodes.keys()]).toEqual([H, 'dataset:ns:o1', 'job:ns:j1']);
    expect(g.nodes.get('job:ns:j1')).toMatchObject({ type: 'JOB', domains: ['a'] });
    expect([...g.edges.values()].map((e) => [e.id, e.provenance])).toEqual([
      [`${H}->job:ns:j1`, 'observed'],
      ['job:ns:j1->dataset:ns:o1', 'declared'],
    ]);
    expect(g.nodes.get(H)).toMatchObject({ counts: { downstream: 4 }, shown: { downstream: 1 }, cursor: { downstream: 'c2' } });
  });

  it('draws nodes the API hid as restricted (never boxed) and sums its hiddenCount', () => {
    const g = new ExplorerGraph();
    g.ensure({ id: H, type: 'DATASET', domains: ['a'] });
    const wide = Array.from({ length: FANOUT_THRESHOLD + 3 }, (_, i) => ({ id: `dataset:other:o${i}`, type: 'DATASET', domains: ['b'], distance: 1 }));
    g.addPage(H, 'downstream', page({
      nodes: [{ id: H, type: 'DATASET', domains: ['a'], distance: 0 }, { id: 'hidden:x1', type: 'RESTRICTED', hidden: true, distance: 1 }, ...wide],
      edges: [],
      hiddenCount: 1,
      totalNodes: wide.length + 2,
    }));
    const restricted = g.nodes.get('hidden:x1')!;
    expect(isRestricted(restricted)).toBe(true);
    expect(restricted.domains).toEqual([]);
    expect(g.hidden).toBe(1);
    // the visible fan-out of another domain collapses into its box
    expect(g.nodes.get(`box:${H}:downstream:b`)?.members).toHaveLength(wide.length);
  });
});
