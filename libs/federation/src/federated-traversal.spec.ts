import type { LineageEdge, NodeId } from '@lineage-hub/model';
import { FederatedTraversal, federatedTraversal, type ExpandTransport } from './federated-traversal';
import { mergedGraphBfs } from './merged-graph-bfs';
import { ShardRefusedError } from './shard-answer';
import type { ExpandRequest } from './shard-rpc.contract';
import { edge, limits, mesh, setup } from './testing/local-shards.fixtures';

describe('federatedTraversal', () => {
  it('equals a plain BFS over the union of the shards on generated meshes, both directions, several depths', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const { federation, transport, union, shards } = setup(mesh(4, 30, 25, seed), new Set(), seed % 2 === 0);
      const starts = shards.flatMap((s) => s.edges.map((e) => e.from)).filter((_, i) => i % 7 === 0).slice(0, 12);
      for (const start of starts) {
        for (const direction of ['downstream', 'upstream'] as const) {
          for (const depth of [1, 3, 10]) {
            const expected = mergedGraphBfs(union, start as NodeId, direction, depth);
            const got = await federatedTraversal({ seeds: [start as NodeId], direction, depth, maxNodes: 100_000 }, federation, transport, limits);
            expect(got.complete).toBe(true);
            expect(new Map(got.nodes.map((n) => [n.id as string, n.distance]))).toEqual(new Map([...expected].map(([id, n]) => [id, n.distance])));
          }
        }
      }
    }
  });

  it('answers a query the same whichever walks ran before it (their table columns and expanded marks are reused)', async () => {
    const { federation, transport, union, shards } = setup(mesh(4, 40, 30, 11));
    const starts = shards.flatMap((s) => s.edges.map((e) => e.from)).filter((_, i) => i % 5 === 0).slice(0, 10);
    const queries = starts.flatMap((start) => (['downstream', 'upstream'] as const).flatMap((direction) => [1, 3, 12].map((depth) => ({ seeds: [start as NodeId], direction, depth, maxNodes: 100_000 }))));
    const answer = async (q: (typeof queries)[number]) => {
      const got = await federatedTraversal(q, federation, transport, limits);
      const { stats: _stats, ...rest } = got;
      return JSON.stringify(rest);
    };
    const first = new Map<number, string>();
    for (let i = 0; i < queries.length; i++) first.set(i, await answer(queries[i]));
    // reversed, and each query after the largest walk: a walk that saw more ids and edges left its columns behind
    const largest = queries.reduce((a, b) => (b.depth >= a.depth ? b : a));
    for (let i = queries.length - 1; i >= 0; i--) {
      await answer(largest);
      expect(await answer(queries[i])).toBe(first.get(i));
    }
    for (let i = 0; i < queries.length; i++) {
      const expected = mergedGraphBfs(union, queries[i].seeds[0], queries[i].direction, queries[i].depth);
      const nodes = (JSON.parse(first.get(i)!) as { nodes: Array<{ id: string; distance: number }> }).nodes;
      expect(new Map(nodes.map((n) => [n.id, n.distance]))).toEqual(new Map([...expected].map(([id, n]) => [id, n.distance])));
    }
  });

  it('gives the same nodes, edges, owners and round trips with packed, columnar and plain shard answers', async () => {
    const { federation, transport, shards } = setup(mesh(4, 30, 25, 5));
    const formats: Array<ExpandRequest['format']> = [];
    let edgesSeen = 0;
    const recording = { expand: (domain: string, request: ExpandRequest, t: number) => (formats.push(request.format), transport.expand(domain, request, t)) };
    for (const start of shards.flatMap((s) => s.edges.map((e) => e.from)).filter((_, i) => i % 9 === 0).slice(0, 8)) {
      for (const direction of ['downstream', 'upstream'] as const) {
        const query = { seeds: [start as NodeId], direction, depth: 6, maxNodes: 100_000 };
        const packed = await federatedTraversal(query, federation, recording, limits);
        const columnar = await federatedTraversal(query, federation, recording, limits, { answerFormat: 'columnar' });
        const plain = await federatedTraversal(query, federation, recording, limits, { answerFormat: 'plain' });
        const sortEdges = (edges: typeof plain.edges) => [...edges].sort((a, b) => `${a.from}|${a.to}|${a.kind}`.localeCompare(`${b.from}|${b.to}|${b.kind}`));
        for (const got of [packed, columnar]) {
          expect(got.nodes).toEqual(plain.nodes);
          expect(sortEdges(got.edges)).toEqual(sortEdges(plain.edges));
          expect(got.stats.roundTrips).toBe(plain.stats.roundTrips);
        }
        edgesSeen += packed.edges.length;
      }
    }
    expect(edgesSeen).toBeGreaterThan(100);
    expect(new Set(formats)).toEqual(new Set(['packed', 'columnar', undefined]));
  });

  it("asks a shard that refuses the packed form (field 'format') for the columnar one, and the answer is the same", async () => {
    const { federation, transport, shards } = setup(mesh(4, 30, 25, 6));
    const old = shards[1].domain;
    const asked: string[] = [];
    const predating: ExpandTransport = {
      expand: async (domain, request, t) => {
        asked.push(`${domain}:${request.format}`);
        if (domain === old && request.format === 'packed') throw new ShardRefusedError(domain, 'unknown expand answer format "packed"', 'invalid-argument', 'format');
        return transport.expand(domain, request, t);
      },
    };
    for (const start of shards[1].edges.map((e) => e.from).slice(0, 6)) {
      const query = { seeds: [start as NodeId], direction: 'downstream' as const, depth: 6, maxNodes: 100_000 };
      const got = await federatedTraversal(query, federation, predating, limits);
      const plain = await federatedTraversal(query, federation, transport, limits, { answerFormat: 'plain' });
      expect(got.complete).toBe(true);
      expect(got.nodes).toEqual(plain.nodes);
    }
    expect(asked).toContain(`${old}:packed`);
    expect(asked).toContain(`${old}:columnar`);
    expect(asked.filter((a) => a.startsWith(`${shards[0].domain}:`)).every((a) => a.endsWith(':packed'))).toBe(true);
  });

  it('needs one round per domain crossing (plus one), not one per depth step', async () => {
    // a chain that stays 5 jobs long inside each of three domains: a -> b -> c
    const byDomain = new Map<string, LineageEdge[]>();
    let previous = 'dataset:a:t0';
    for (const domain of ['a', 'b', 'c']) {
      const list: LineageEdge[] = [];
      for (let i = 1; i <= 5; i++) {
        const job = `job:${domain}:j${i}`;
        const next = `dataset:${domain}:t${i}`;
        list.push(edge(previous, job), edge(job, next));
        previous = next;
      }
      byDomain.set(domain, list);
    }
    const { federation, transport } = setup(byDomain);
    const got = await federatedTraversal({ seeds: ['dataset:a:t0' as NodeId], direction: 'downstream', depth: 20, maxNodes: 1000 }, federation, transport, limits);
    expect(got.nodes.find((n) => n.id === 'dataset:c:t5')?.distance).toBe(15);
    expect(got.stats.roundTrips).toBeLessThanOrEqual(3); // 2 crossings + 1
    const node = got.nodes.find((n) => n.id === 'dataset:a:t5')!;
    expect(node.domains).toEqual(['a', 'b']);
    expect(node.domain).toBe('a'); // written by a job of domain a
  });

  it('names a shard that does not answer and still returns the rest', async () => {
    const byDomain = new Map<string, LineageEdge[]>([
      ['a', [edge('dataset:x:src', 'job:a:j'), edge('job:a:j', 'dataset:x:mid')]],
      ['b', [edge('dataset:x:mid', 'job:b:j'), edge('job:b:j', 'dataset:x:out')]],
      ['c', [edge('dataset:x:mid', 'job:c:j'), edge('job:c:j', 'dataset:x:other')]],
    ]);
    const { federation, transport } = setup(byDomain, new Set(['c']));
    const started = Date.now();
    const got = await federatedTraversal({ seeds: ['dataset:x:src' as NodeId], direction: 'downstream', depth: 5, maxNodes: 1000 }, federation, transport, limits);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(got.complete).toBe(false);
    expect(got.missingDomains).toEqual(['c']);
    expect(got.nodes.map((n) => n.id)).toEqual(expect.arrayContaining(['dataset:x:mid', 'job:b:j', 'dataset:x:out']));
    expect(got.nodes.map((n) => n.id)).not.toContain('dataset:x:other');
  });

  it('stops at maxNodes and says truncated', async () => {
    const { federation, transport, union, shards } = setup(mesh(3, 10, 40, 9));
    const start = shards[0].edges
      .map((e) => e.from)
      .find((id) => mergedGraphBfs(union, id, 'downstream', 50).size > 20)!;
    expect(start).toBeDefined();
    const got = await federatedTraversal({ seeds: [start], direction: 'downstream', depth: 50, maxNodes: 5 }, federation, transport, limits);
    expect(got.nodes.length).toBeLessThanOrEqual(5);
    expect(got.truncated).toBe(true);
  });

  it('cut by the node cap, gives an exact prefix of the whole answer in (distance, id) order, whole or paged', async () => {
    const { federation, transport, union, shards } = setup(mesh(4, 40, 60, 12));
    let cut = 0;
    for (const start of shards.flatMap((s) => s.edges.map((e) => e.from)).filter((_, i) => i % 13 === 0).slice(0, 12)) {
      for (const direction of ['downstream', 'upstream'] as const) {
        const expected = [...mergedGraphBfs(union, start as NodeId, direction, 12)]
          .sort(([a, x], [b, y]) => x.distance - y.distance || (a < b ? -1 : 1))
          .map(([id, n]) => `${id}@${n.distance}`);
        for (const maxNodes of [10, 40]) {
          const query = { seeds: [start as NodeId], direction, depth: 12, maxNodes };
          for (const got of [await federatedTraversal(query, federation, transport, limits), await new FederatedTraversal(query, federation, transport, limits, {}, 4).result(), await new FederatedTraversal(query, federation, transport, limits, {}, 25).result()]) {
            const ids = got.nodes.map((n) => `${n.id}@${n.distance}`);
            expect(ids).toEqual(expected.slice(0, ids.length));
            expect(got.truncated).toBe(ids.length < expected.length);
            if (got.truncated) cut++;
          }
        }
      }
    }
    expect(cut).toBeGreaterThan(5);
  });

  it('paged with legs cut short by the node cap and shards cutting their answers, still gives an exact prefix', async () => {
    const { federation, transport, union, shards } = setup(mesh(4, 60, 120, 7));
    let checked = 0;
    for (const start of shards.flatMap((s) => s.edges.map((e) => e.from)).filter((_, i) => i % 17 === 0).slice(0, 10)) {
      for (const direction of ['downstream', 'upstream'] as const) {
        const expected = [...mergedGraphBfs(union, start as NodeId, direction, 14)]
          .sort(([a, x], [b, y]) => x.distance - y.distance || (a < b ? -1 : 1))
          .map(([id, n]) => `${id}@${n.distance}`);
        for (const maxNodes of [60, 150, 300]) {
          for (const page of [3, 10, 40]) {
            const got = await new FederatedTraversal({ seeds: [start as NodeId], direction, depth: 14, maxNodes }, federation, transport, limits, {}, page).result();
            const ids = got.nodes.map((n) => `${n.id}@${n.distance}`);
            expect(ids).toEqual(expected.slice(0, ids.length));
            if (ids.length < expected.length) expect(got.truncated).toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(180);
  });

  it('serves exact pages early: each page is the same slice of the whole answer, served before the walk ends when it can be', async () => {
    const { federation, transport, union, shards } = setup(mesh(4, 40, 60, 11));
    let early = 0;
    let legsSeen = 0;
    const starts = shards.flatMap((s) => s.edges.map((e) => e.from)).filter((_, i) => i % 11 === 0).slice(0, 10);
    for (const start of starts) {
      for (const direction of ['downstream', 'upstream'] as const) {
        const query = { seeds: [start as NodeId], direction, depth: 12, maxNodes: 100_000 };
        const expected = [...mergedGraphBfs(union, start as NodeId, direction, 12)]
          .map(([id, n]) => ({ id, distance: n.distance }))
          .sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1));
        const answer = new Set(expected.map((n) => n.id));
        const limit = 6;
        const walk = new FederatedTraversal(query, federation, transport, limits, {}, limit);
        const seen: Array<{ id: string; distance: number }> = [];
        const edges = new Set<string>();
        for (let offset = 0; ; offset += limit) {
          await walk.ready(offset + limit);
          if (offset === 0 && !walk.done) early++;
          const page = walk.page(offset, limit);
          expect(page.complete).toBe(true);
          expect(page.totalNodes === null).toBe(!walk.done);
          const earlier = new Set(seen.map((n) => n.id));
          seen.push(...page.nodes.map((n) => ({ id: n.id as string, distance: n.distance })));
          const onPage = new Set(page.nodes.map((n) => n.id as string));
          // a page's edges lead to its nodes, between nodes of the answer; none into an earlier page's node is
          // repeated (only an edge from this page's node into one, which that page could not carry yet)
          for (const e of page.edges) {
            expect(answer.has(e.from) && answer.has(e.to)).toBe(true);
            const [near, far] = direction === 'downstream' ? [e.from, e.to] : [e.to, e.from];
            if (earlier.has(far)) expect(onPage.has(near)).toBe(true);
            edges.add(`${e.from}>${e.to}`);
          }
          if (!page.more) break;
        }
        expect(seen).toEqual(expected);
        const whole = await walk.result();
        expect(whole.nodes.map((n) => n.id)).toEqual(expected.map((n) => n.id));
        // every edge into an answer node (other than the query node) is on some page
        const into = whole.edges.filter((e) => (direction === 'downstream' ? e.to : e.from) !== start);
        expect(into.every((e) => edges.has(`${e.from}>${e.to}`))).toBe(true);
        legsSeen = Math.max(legsSeen, whole.stats.legs);
      }
    }
    expect(early).toBeGreaterThan(3);
    expect(legsSeen).toBeGreaterThan(1);
  });

  it('sizes a paged walk\'s first leg by what the seed\'s shard reaches within the page, not by a guess: the first page needs fewer answers', async () => {
    // a chain in d0 (two nodes a distance), each of its datasets read by a d1 job writing one dataset: four nodes a
    // distance; a first leg to depth 2 (9 nodes) cannot hold a page of 12, the probe's leg (to depth 5) can
    const d0: LineageEdge[] = [];
    const d1: LineageEdge[] = [];
    for (let i = 0; i < 20; i++) {
      d0.push(edge(`dataset:ns0:c${i}`, `job:d0:j${i}`), edge(`job:d0:j${i}`, `dataset:ns0:c${i + 1}`));
      d1.push(edge(`dataset:ns0:c${i}`, `job:d1:k${i}`), edge(`job:d1:k${i}`, `dataset:ns1:x${i}`));
    }
    const { federation, transport, union } = setup(new Map([['d0', d0], ['d1', d1]]));
    let answered = 0;
    const counting: ExpandTransport = { expand: async (domain, request, timeoutMs) => transport.expand(domain, request, timeoutMs).finally(() => answered++) };
    const query = { seeds: ['dataset:ns0:c0' as NodeId], direction: 'downstream' as const, depth: 12, maxNodes: 100_000 };
    const walk = new FederatedTraversal(query, federation, counting, limits, {}, 12);
    await walk.ready(12);
    expect(answered).toBe(3);
    expect(walk.done).toBe(false);
    const expected = [...mergedGraphBfs(union, 'dataset:ns0:c0' as NodeId, 'downstream', 12)]
      .sort(([a, x], [b, y]) => x.distance - y.distance || (a < b ? -1 : 1))
      .map(([id, n]) => `${id}@${n.distance}`);
    expect(walk.page(0, 12).nodes.map((n) => `${n.id}@${n.distance}`)).toEqual(expected.slice(0, 12));
    expect((await walk.result()).nodes.map((n) => `${n.id}@${n.distance}`)).toEqual(expected);
  });
});
