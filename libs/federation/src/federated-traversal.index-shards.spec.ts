import type { NodeId } from '@lineage-hub/model';
import { FederatedTraversal, federatedTraversal } from './federated-traversal';
import { columnMesh, indexShards } from './testing/index-shards.fixtures';
import { limits } from './testing/local-shards.fixtures';

const key = (e: { from: string; to: string; kind: string; job?: string | null }) => `${e.from}>${e.to}>${e.kind}>${e.job ?? ""}`;

describe('federatedTraversal over LineageIndex shards (table and column lineage) against one index over their union', () => {
  it('gives the same nodes and edges, whole or paged, with and without a transformations filter', async () => {
    let walks = 0;
    for (const seed of [3, 8, 13, 21]) {
      const { shards, federation, transport, union } = indexShards(columnMesh(2 + (seed % 3), 24 + seed, seed));
      const ids = [...new Set(shards.flatMap((s) => [...s.held]))].sort();
      const fields = ids.filter((id) => id.startsWith('datasetField:'));
      const tables = ids.filter((id) => !id.startsWith('datasetField:'));
      const queries = [fields[seed % fields.length], fields[(seed * 7) % fields.length], tables[seed % tables.length], tables[(seed * 5) % tables.length]].map((id) => [id as NodeId]);
      queries.push([fields[1], fields[fields.length - 2]] as NodeId[]);
      for (const seeds of queries) {
        for (const direction of ['downstream', 'upstream'] as const) {
          for (const depth of [1, 3, 20]) {
            for (const transformations of [undefined, ['DIRECT']]) {
              const expected = union.traverse(seeds.map((id) => ({ id, distance: 0 })), { direction, depth, maxNodes: 100_000, transformations });
              const distance = new Map(expected.nodes.map((n) => [n.id as string, n.distance]));
              // one index also lists the edges out of the nodes at the query's depth into nodes it already has; the
              // federated walk does not ask a shard to walk on from those (README: node cap and edges)
              const near = (e: { from: string; to: string }) => (direction === 'downstream' ? e.from : e.to);
              const edges = expected.edges.filter((e) => distance.get(near(e)) !== depth).map(key).sort();
              const query = { seeds, direction, depth, maxNodes: 100_000, ...(transformations ? { transformations } : {}) };
              const whole = await federatedTraversal(query, federation, transport, limits);
              expect(whole.nodes.map((n) => `${n.id}@${n.distance}`)).toEqual(expected.nodes.map((n) => `${n.id}@${n.distance}`));
              expect(whole.edges.filter((e) => distance.get(near(e)) !== depth).map(key).sort()).toEqual(edges);
              for (const size of [2, 5]) {
                const walk = new FederatedTraversal(query, federation, transport, limits, {}, size);
                const carried = new Set<string>();
                for (let offset = 0; ; offset += size) {
                  await walk.ready(offset + size);
                  const page = walk.page(offset, size);
                  page.edges.forEach((e) => carried.add(key(e)));
                  if (!page.more) break;
                }
                const paged = await walk.result();
                expect(paged.nodes.map((n) => n.id)).toEqual(whole.nodes.map((n) => n.id));
                expect(paged.edges.map(key).sort()).toEqual(whole.edges.map(key).sort());
                expect([...carried].sort()).toEqual(whole.edges.map(key).sort());
              }
              walks++;
            }
          }
        }
      }
    }
    expect(walks).toBe(4 * 5 * 2 * 3 * 2);
  });

  it('under a node cap: an answer that fits (exactly, or with room) comes back whole, one that does not is an exact prefix that says so', async () => {
    let capped = 0;
    for (const seed of [1, 3, 5, 8, 13, 21]) {
      const { shards, federation, transport, union } = indexShards(columnMesh(2 + (seed % 4), 20 + seed, seed));
      const ids = [...new Set(shards.flatMap((s) => [...s.held]))].sort();
      for (let k = 0; k < 8; k++) {
        const seeds = (k < 7 ? [ids[(seed * 7 + k * 13) % ids.length]] : [ids[seed % ids.length], ids[(seed * 3) % ids.length]]) as NodeId[];
        for (const direction of ['downstream', 'upstream'] as const) {
          const whole = union.traverse(seeds.map((id) => ({ id, distance: 0 })), { direction, depth: 20, maxNodes: 100_000 }).nodes.map((n) => `${n.id}@${n.distance}`);
          for (const [maxNodes, page] of [[whole.length, undefined], [whole.length, 3], [Math.max(1, whole.length - 1), 2], [5, undefined]] as Array<[number, number | undefined]>) {
            const query = { seeds, direction, depth: 20, maxNodes };
            const got = page === undefined ? await federatedTraversal(query, federation, transport, limits) : await new FederatedTraversal(query, federation, transport, limits, {}, page).result();
            const nodes = got.nodes.map((n) => `${n.id}@${n.distance}`);
            expect(nodes).toEqual(whole.slice(0, nodes.length));
            expect(got.truncated).toBe(nodes.length < whole.length);
            if (whole.length <= maxNodes) expect(nodes).toHaveLength(whole.length);
            else capped++;
          }
        }
      }
    }
    expect(capped).toBeGreaterThan(20);
  });
});
