/** Shard stand-ins for the federated traversal's specs: each walks only its own edges (the reference BFS), answering as a shard does. */
import type { LineageEdge, NodeId } from '@lineage-hub/model';
import type { ExpandTransport, FederationShard } from '../federated-traversal';
import { buildDirectionalFilters, buildMembershipFilter, loadMembershipFilter } from '../membership-filter';
import { buildMergedGraph, mergedGraphBfs } from '../merged-graph-bfs';
import { expandAnswerAs } from '../columnar-expand';
import type { ExpandRequest, ExpandResponse } from '../shard-rpc.contract';

/** A shard stand-in for the algorithm's unit test: the reference BFS over only its own edges. */
export const localShard = (domain: string, edges: LineageEdge[]) => {
  const graph = buildMergedGraph(edges);
  const held = new Set(edges.flatMap((e) => [e.from, e.to]));
  const expand = (request: ExpandRequest): ExpandResponse => {
    const known = request.seeds.filter((s) => held.has(s.id));
    const walked = mergedGraphBfs(graph, known, request.direction, request.depth);
    // as a shard's index: over maxNodes, the answer is cut at a distance (the nearest ones in (distance, id) order)
    const truncated = walked.size > request.maxNodes;
    const reached = truncated ? new Map([...walked].sort(([a, x], [b, y]) => x.distance - y.distance || (a < b ? -1 : 1)).slice(0, request.maxNodes)) : walked;
    const adjacency = request.direction === 'downstream' ? graph.down : graph.up;
    const nodes = [...reached].map(([id, n]) => ({ id: id as NodeId, type: n.type, distance: n.distance }));
    const out = [];
    for (const [from] of reached) {
      for (const to of adjacency.get(from) ?? []) {
        if (!reached.has(to)) continue;
        const [a, b] = request.direction === 'downstream' ? [from, to] : [to, from];
        out.push({ from: a as NodeId, to: b as NodeId, kind: (a.startsWith('job:') ? 'writes' : 'reads') as 'writes' | 'reads' });
      }
    }
    return {
      domain,
      version: 1,
      nodes,
      edges: out,
      truncated,
      frontier: nodes.filter((n) => n.type !== 'JOB' && n.distance < request.depth),
      unknownSeeds: request.seeds.filter((s) => !held.has(s.id)).map((s) => s.id),
    };
  };
  return { domain, edges, held, expand };
};

export const edge = (from: string, to: string): LineageEdge => ({
  from: from as NodeId,
  to: to as NodeId,
  kind: from.startsWith('job:') ? 'writes' : 'reads',
  provenance: 'declared',
  validFrom: 0,
  validTo: null,
});

/** Deterministic pseudo-random mesh: each job lives in one domain, reads anywhere, writes in its domain. */
export const mesh = (domains: number, datasetsPerDomain: number, jobsPerDomain: number, seed: number) => {
  let x = seed;
  const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
  const byDomain = new Map<string, LineageEdge[]>();
  for (let d = 0; d < domains; d++) {
    const list: LineageEdge[] = [];
    for (let j = 0; j < jobsPerDomain; j++) {
      const job = `job:d${d}:job${j}`;
      const reads = 1 + rand(2);
      for (let r = 0; r < reads; r++) {
        const other = rand(4) === 0 ? rand(domains) : d;
        list.push(edge(`dataset:ns${other}:t${rand(datasetsPerDomain)}`, job));
      }
      list.push(edge(job, `dataset:ns${d}:t${rand(datasetsPerDomain)}`));
    }
    byDomain.set(`d${d}`, list);
  }
  return byDomain;
};

export const setup = (byDomain: Map<string, LineageEdge[]>, down = new Set<string>(), directional = true) => {
  const shards = [...byDomain].map(([domain, edges]) => localShard(domain, edges));
  const federation: FederationShard[] = shards.map((s) => {
    const filters = buildDirectionalFilters(s.edges, 0.01);
    return {
      domain: s.domain,
      filter: loadMembershipFilter(buildMembershipFilter(s.held, 0.01)),
      ...(directional ? { downstream: loadMembershipFilter(filters.downstream), upstream: loadMembershipFilter(filters.upstream) } : {}),
    };
  });
  const calls: string[] = [];
  const transport: ExpandTransport = {
    expand: async (domain, request) => {
      calls.push(domain);
      if (down.has(domain)) return new Promise(() => undefined); // never answers
      // answered in the form asked for, as a shard does; through JSON, as over the wire
      return JSON.parse(JSON.stringify(expandAnswerAs(request.format, shards.find((s) => s.domain === domain)!.expand(request))));
    },
  };
  const union = buildMergedGraph([...byDomain.values()].flat());
  return { shards, federation, transport, union, calls };
};

export const limits = { shardTimeoutMs: 200, budgetMs: 2000 };

