import { redactGraph, Redactor, type NodeFacts } from './redaction';
import { PRINCIPALS } from './testing/principals';

const FACTS: Record<string, NodeFacts> = {
  'dataset:a:orders': { domain: 'a', restricted: false },
  'dataset:b:customers': { domain: 'b', restricted: true },
  'dataset:b:plain': { domain: 'b', restricted: false },
  'dataset:c:ledger': { domain: 'c', restricted: false },
};
const graph = {
  nodes: Object.keys(FACTS).map((id) => ({ id, type: 'DATASET', facets: { secret: 'x' } as Record<string, unknown> | undefined })),
  edges: [
    { from: 'dataset:a:orders', to: 'dataset:b:customers' },
    { from: 'dataset:b:customers', to: 'dataset:b:plain' },
    { from: 'dataset:b:plain', to: 'dataset:c:ledger' },
  ],
};
const shape = {
  stub: (_n: (typeof graph.nodes)[number], id: string) => ({ id, type: 'HIDDEN', facets: undefined }),
  renameEdge: (e: { from: string; to: string }, rename: (id: string) => string) => ({ from: rename(e.from), to: rename(e.to) }),
};
const visible = (who: keyof typeof PRINCIPALS | null, privateDomains: string[] = []) => {
  const redactor = new Redactor(who ? PRINCIPALS[who] : null, 'k'.repeat(32), new Set(privateDomains));
  return redactGraph(graph, redactor, (n) => FACTS[n.id], shape);
};

describe('redaction', () => {
  it.each([
    // viewer, private domains, ids that stay visible
    ['admin', [], ['dataset:a:orders', 'dataset:b:customers', 'dataset:b:plain', 'dataset:c:ledger']],
    ['service', [], ['dataset:a:orders', 'dataset:b:customers', 'dataset:b:plain', 'dataset:c:ledger']],
    [null, [], ['dataset:a:orders', 'dataset:b:customers', 'dataset:b:plain', 'dataset:c:ledger']],
    ['reader', [], ['dataset:a:orders', 'dataset:b:plain', 'dataset:c:ledger']],
    ['readerOfA', [], ['dataset:a:orders']],
    ['readerOfB', [], ['dataset:b:customers', 'dataset:b:plain']],
    ['writerOfA', [], ['dataset:a:orders']],
    ['steward', [], ['dataset:a:orders', 'dataset:b:plain', 'dataset:c:ledger']],
    ['reader', ['c'], ['dataset:a:orders', 'dataset:b:plain']],
  ] as const)('%s (private %j) sees %j, the rest hidden and counted', (who, privateDomains, expected) => {
    const result = visible(who, [...privateDomains]);
    const shown = result.nodes.filter((n) => !n.id.startsWith('hidden:')).map((n) => n.id);
    expect(shown).toEqual(expected);
    expect(result.hiddenCount).toBe(4 - expected.length);
    for (const node of result.nodes.filter((n) => n.id.startsWith('hidden:'))) expect(node.facets).toBeUndefined();
  });

  it('keeps paths connected through hidden nodes with ids stable per viewer and different across viewers', () => {
    const a1 = visible('readerOfA');
    const a2 = visible('readerOfA');
    const other = visible('writerOfA');
    expect(a1.edges).toEqual(a2.edges);
    const hiddenCustomers = a1.nodes[1].id;
    expect(a1.edges[0]).toEqual({ from: 'dataset:a:orders', to: hiddenCustomers });
    expect(a1.edges[1].from).toBe(hiddenCustomers);
    expect(other.nodes[1].id).not.toBe(hiddenCustomers);
    expect(JSON.stringify(a1)).not.toContain('customers');
  });
});
