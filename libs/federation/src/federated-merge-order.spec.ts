import type { LineageEdge, NodeId } from '@lineage-hub/model';
import { federatedTraversal, type ExpandTransport } from './federated-traversal';
import type { IdHash } from './membership-filter';
import { edge, limits, mesh, setup } from './testing/local-shards.fixtures';

/** The gateway's merge and routing across answers and traversals: arrival order, filter verdicts kept by id. */
describe('federatedTraversal merging and routing', () => {
  it('merges answers as they arrive, and the answer (owners, holders, edges and who names them) does not depend on their order', async () => {
    // generated meshes, plus edges two domains both hold and datasets jobs of two domains both write
    for (const seed of [11, 12]) {
      const byDomain = mesh(4, 30, 25, seed);
      const shared = byDomain.get('d0')!.filter((e) => e.kind === 'writes').slice(0, 6);
      byDomain.set('d2', [...byDomain.get('d2')!, ...shared.slice(0, 3)]);
      byDomain.set('d3', [...byDomain.get('d3')!, ...shared.slice(3), edge('job:d3:job0', shared[0].to)]);
      const { federation, transport, shards } = setup(byDomain);
      // the same shards, answering in the reverse of domain order (d0, the first, last)
      const reversed: ExpandTransport = {
        expand: (domain, request, t) => new Promise((resolve, reject) => setTimeout(() => transport.expand(domain, request, t).then(resolve, reject), 2 * (4 - Number(domain.slice(1))))),
      };
      const shape = (r: Awaited<ReturnType<typeof federatedTraversal>>) => ({
        nodes: r.nodes,
        edges: r.edges.map((e) => JSON.stringify(e)).sort(),
      });
      const starts = shards.flatMap((sh) => sh.edges.map((e) => e.from)).filter((_, i) => i % 11 === 0).slice(0, 8);
      for (const start of [shared[0].from, ...starts]) {
        for (const direction of ['downstream', 'upstream'] as const) {
          const query = { seeds: [start as NodeId], direction, depth: 10, maxNodes: 100_000 };
          const inOrder = await federatedTraversal(query, federation, transport, limits);
          const late = await federatedTraversal(query, federation, reversed, limits);
          expect(shape(late)).toEqual(shape(inOrder));
        }
      }
    }
  });

  it('asks each filter once per reached id while it stands, and routes by a shard\'s refreshed filter at once', async () => {
    // d1 reads nothing of d0 at first; then a job of d1 starts reading d0's output (its filter is published anew)
    const d0 = [edge('dataset:vc0:src', 'job:vc0:a'), edge('job:vc0:a', 'dataset:vc0:out')];
    const before = [edge('dataset:vc1:other', 'job:vc1:b'), edge('job:vc1:b', 'dataset:vc1:z')];
    const after = [...before, edge('dataset:vc0:out', 'job:vc1:b')];
    const shardsOf = (d1: LineageEdge[]) => setup(new Map([['vc0', d0], ['vc1', d1]]));
    const first = shardsOf(before);
    let probes = 0;
    const counted = first.federation.map((s) => ({ ...s, downstream: s.downstream && { ...s.downstream, mayHoldHash: (h: IdHash) => (probes++, s.downstream!.mayHoldHash!(h)) } }));
    const query = { seeds: ['dataset:vc0:src' as NodeId], direction: 'downstream' as const, depth: 5, maxNodes: 1000 };
    const once = await federatedTraversal(query, counted, first.transport, limits);
    expect(once.nodes.map((n) => n.id).sort()).toEqual(['dataset:vc0:out', 'dataset:vc0:src', 'job:vc0:a']);
    const asked = probes;
    expect(asked).toBeGreaterThan(0);
    // the same query again, same filters: no filter is probed again, same answer
    const twice = await federatedTraversal(query, counted, first.transport, limits);
    expect(probes).toBe(asked);
    expect(twice.nodes).toEqual(once.nodes);
    // d1's filter refreshed (a new filter object): what it says now counts, d1 is asked and its part comes back
    const second = shardsOf(after);
    const refreshed = [counted[0], second.federation[1]];
    const got = await federatedTraversal(query, refreshed, second.transport, limits);
    expect(got.nodes.map((n) => `${n.id}@${n.distance}`).sort()).toEqual(['dataset:vc0:out@1', 'dataset:vc0:src@0', 'dataset:vc1:z@2', 'job:vc0:a@1', 'job:vc1:b@2']);
    expect(got.stats.domainsQueried).toEqual(['vc0', 'vc1']);
  });

});
