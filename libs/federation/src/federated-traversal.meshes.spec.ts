import type { LineageEdge, NodeId } from '@lineage-hub/model';
import { FederatedTraversal, federatedTraversal } from './federated-traversal';
import { mergedGraphBfs } from './merged-graph-bfs';
import { edge, limits, setup } from './testing/local-shards.fixtures';

/**
 * Meshes of another shape than local-shards.fixtures' `mesh`: popular datasets read by many jobs (preferential
 * attachment), tables in a shared namespace written by jobs of several domains (one dataset held by several shards),
 * jobs writing into another domain's namespace, jobs reading what they write (cycles of one job), and long chains.
 */
const sharedMesh = (domains: number, jobsPerDomain: number, seed: number) => {
  let x = seed;
  const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), Math.floor((x / 2147483648) * n));
  const datasets: string[] = [];
  const reads: string[] = []; // one entry per read: a dataset read often is picked often
  const byDomain = new Map<string, LineageEdge[]>();
  for (let d = 0; d < domains; d++) {
    for (let t = 0; t < 3; t++) datasets.push(`dataset:ns${d}:seed${t}`);
    byDomain.set(`d${d}`, []);
  }
  for (let j = 0; j < jobsPerDomain * domains; j++) {
    const d = j % domains;
    const job = `job:d${d}:job${j}`;
    const list = byDomain.get(`d${d}`)!;
    const inputs = new Set<string>();
    for (let r = 0; r < 1 + rand(3); r++) inputs.add(reads.length > 0 && rand(3) > 0 ? reads[rand(reads.length)] : datasets[rand(datasets.length)]);
    for (const input of inputs) {
      list.push(edge(input, job));
      reads.push(input);
    }
    const outputs = 1 + rand(2);
    for (let o = 0; o < outputs; o++) {
      const pick = rand(10);
      const output =
        pick === 0 ? `dataset:shared:t${rand(8)}` // written by jobs of every domain
          : pick === 1 ? `dataset:ns${rand(domains)}:x${j}` // into another domain's namespace
            : pick === 2 ? [...inputs][0] // reads what it writes
              : `dataset:ns${d}:t${j}`;
      list.push(edge(job, output));
      datasets.push(output);
    }
  }
  return byDomain;
};

const ordered = (found: Map<string, { distance: number }>) =>
  [...found].map(([id, n]) => `${id}@${n.distance}`).sort((a, b) => {
    const [ia, da] = a.split('@');
    const [ib, db] = b.split('@');
    return Number(da) - Number(db) || (ia < ib ? -1 : ia > ib ? 1 : 0);
  });

describe('federatedTraversal on meshes of another shape (shared tables, cross-domain writes, cycles)', () => {
  it('equals a plain BFS over the union, single and multi-domain seeds, depths 0 to 25, both directions', async () => {
    let compared = 0;
    for (const seed of [5, 17, 23]) {
      const byDomain = sharedMesh(4, 40, seed);
      const { federation, transport, union, shards } = setup(byDomain, new Set(), seed !== 17);
      const nodes = [...new Set(shards.flatMap((s) => s.edges.flatMap((e) => [e.from, e.to])))].sort();
      const picks = nodes.filter((_, i) => i % 19 === 0).slice(0, 10);
      const queries: NodeId[][] = [...picks.map((p) => [p]), [nodes.find((n) => n.startsWith('dataset:shared:'))!], [picks[0], picks[3], picks[7]]];
      for (const seeds of queries) {
        for (const direction of ['downstream', 'upstream'] as const) {
          for (const depth of [0, 1, 2, 5, 25]) {
            const expected = mergedGraphBfs(union, seeds.map((id) => ({ id, distance: 0 })), direction, depth);
            const got = await federatedTraversal({ seeds, direction, depth, maxNodes: 100_000 }, federation, transport, limits);
            expect(got.complete).toBe(true);
            expect(got.truncated).toBe(false);
            expect(got.nodes.map((n) => `${n.id}@${n.distance}`)).toEqual(ordered(expected));
            // every edge of the answer joins two of its nodes, and is an edge of some shard
            const ids = new Set(got.nodes.map((n) => n.id as string));
            for (const e of got.edges) {
              expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
              expect(shards.some((s) => s.edges.some((x) => x.from === e.from && x.to === e.to))).toBe(true);
            }
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(3 * 12 * 2 * 5);
  });

  it('pages and node caps give exact prefixes of the whole answer on these meshes', async () => {
    const { federation, transport, union, shards } = setup(sharedMesh(5, 50, 41));
    const starts = shards.flatMap((s) => s.edges.map((e) => e.from)).filter((_, i) => i % 23 === 0).slice(0, 8);
    let cut = 0;
    for (const start of starts) {
      for (const direction of ['downstream', 'upstream'] as const) {
        const expected = ordered(mergedGraphBfs(union, start as NodeId, direction, 20));
        for (const maxNodes of [7, 50, 100_000]) {
          for (const page of [1, 5, 33]) {
            const walk = new FederatedTraversal({ seeds: [start as NodeId], direction, depth: 20, maxNodes }, federation, transport, limits, {}, page);
            const seen: string[] = [];
            for (let offset = 0; ; offset += page) {
              await walk.ready(offset + page);
              const slice = walk.page(offset, page);
              seen.push(...slice.nodes.map((n) => `${n.id}@${n.distance}`));
              if (!slice.more) break;
            }
            expect(seen).toEqual(expected.slice(0, seen.length));
            const whole = await walk.result();
            expect(whole.truncated).toBe(seen.length < expected.length);
            if (maxNodes >= expected.length) expect(seen.length).toBe(expected.length); // an answer that fits comes whole
            if (whole.truncated) cut++;
          }
        }
      }
    }
    expect(cut).toBeGreaterThan(3);
  });
});

describe('federatedTraversal at the edges of paging and the node cap', () => {
  const walk = async (byDomain: Map<string, LineageEdge[]>, seeds: string[], direction: 'downstream' | 'upstream', depth: number, maxNodes: number, page?: number) => {
    const { federation, transport } = setup(byDomain);
    const query = { seeds: seeds as NodeId[], direction, depth, maxNodes };
    const got = page === undefined ? await federatedTraversal(query, federation, transport, limits) : await new FederatedTraversal(query, federation, transport, limits, {}, page).result();
    return { nodes: got.nodes.map((n) => `${n.id}@${n.distance}`), truncated: got.truncated };
  };

  it('a job asked for with pages of one node: its outputs follow (a probe cut at the seed went no further)', async () => {
    const mesh = new Map([['d0', [edge('dataset:ns:a', 'job:d0:j'), edge('job:d0:j', 'dataset:ns:b'), edge('job:d0:j', 'dataset:ns:c')]]]);
    for (const page of [undefined, 1, 2]) {
      expect(await walk(mesh, ['job:d0:j'], 'downstream', 5, 100, page)).toEqual({ nodes: ['job:d0:j@0', 'dataset:ns:b@1', 'dataset:ns:c@1'], truncated: false });
    }
  });

  it('several seeds with pages smaller than the seeds: every seed is in the answer', async () => {
    const mesh = new Map([['d0', [edge('dataset:ns:a', 'job:d0:j'), edge('job:d0:j', 'dataset:ns:b')]]]);
    expect(await walk(mesh, ['dataset:ns:a', 'job:d0:j'], 'downstream', 0, 100, 1)).toEqual({ nodes: ['dataset:ns:a@0', 'job:d0:j@0'], truncated: false });
  });

  it('an answer exactly the size of the node cap is whole and not truncated; one node less is an exact prefix', async () => {
    const mesh = new Map([
      ['d0', [edge('dataset:ns:a', 'job:d0:j'), edge('job:d0:j', 'dataset:ns:b')]],
      ['d1', [edge('dataset:ns:b', 'job:d1:k'), edge('job:d1:k', 'dataset:ns:c')]],
    ]);
    const whole = ['dataset:ns:a@0', 'dataset:ns:b@1', 'job:d0:j@1', 'dataset:ns:c@2', 'job:d1:k@2'];
    for (const page of [undefined, 2]) {
      expect(await walk(mesh, ['dataset:ns:a'], 'downstream', 5, 5, page)).toEqual({ nodes: whole, truncated: false });
      const cut = await walk(mesh, ['dataset:ns:a'], 'downstream', 5, 4, page);
      expect(cut.truncated).toBe(true);
      expect(cut.nodes).toEqual(whole.slice(0, cut.nodes.length));
    }
  });

  it('a shard asked again for nodes it listed before has room for them: an answer under the cap comes back whole', async () => {
    // upstream of t: 3 writers at 1, each reading 4 tables at 1 (16 nodes); a first page of 7 makes the probe cut at 1
    const edges = [1, 2, 3].flatMap((w) => [edge(`job:d0:w${w}`, 'dataset:ns:t'), ...[1, 2, 3, 4].map((i) => edge(`dataset:ns:in${w}${i}`, `job:d0:w${w}`))]);
    const got = await walk(new Map([['d0', edges]]), ['dataset:ns:t'], 'upstream', 1, 20, 7);
    expect(got.truncated).toBe(false);
    expect(got.nodes).toHaveLength(16);
  });

  it('pages together carry every edge of the whole answer, also one between two nodes a later leg found (X reads into J, both at 1)', async () => {
    const mesh = new Map([
      ['d0', [edge('dataset:ns:s', 'job:d0:a'), edge('job:d0:a', 'dataset:ns:x')]],
      ['d1', [edge('dataset:ns:s', 'job:d1:j'), edge('job:d1:j', 'dataset:ns:y'), edge('dataset:ns:x', 'job:d1:j')]],
    ]);
    const { federation, transport } = setup(mesh);
    const query = { seeds: ['dataset:ns:s' as NodeId], direction: 'downstream' as const, depth: 5, maxNodes: 100 };
    const all = ['dataset:ns:s>job:d0:a', 'dataset:ns:s>job:d1:j', 'dataset:ns:x>job:d1:j', 'job:d0:a>dataset:ns:x', 'job:d1:j>dataset:ns:y'];
    const whole = await federatedTraversal(query, federation, transport, limits);
    expect(whole.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(all);
    for (const size of [1, 2]) {
      const walk = new FederatedTraversal(query, federation, transport, limits, {}, size);
      const carried = new Set<string>();
      for (let offset = 0; ; offset += size) {
        await walk.ready(offset + size);
        const page = walk.page(offset, size);
        for (const e of page.edges) carried.add(`${e.from}>${e.to}`);
        if (!page.more) break;
      }
      expect([...carried].sort()).toEqual(all);
      expect((await walk.result()).edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(all);
    }
  });
});
