/**
 * Shards backed by libs/graph's LineageIndex (what apps/shard walks), for specs that check the federated answer against
 * one index over the union of the shards' groups: column edges, transformations and the packed answer included.
 */
import type { AliasRecord, ColumnEdge, LineageEdge, NodeId, Transformation } from '@lineage-hub/model';
import { LineageIndex } from '@lineage-hub/graph';
import type { ExpandTransport, FederationShard } from '../federated-traversal';
import { buildDirectionalFilters, buildMembershipFilter, loadMembershipFilter } from '../membership-filter';
import { packCompact } from '../packed-expand';
import { expandAnswerAs } from '../columnar-expand';
import type { ExpandRequest, ExpandResponse } from '../shard-rpc.contract';

export type OwnerGroup = { owner: NodeId; edges: LineageEdge[]; columnEdges: ColumnEdge[] };

const tableEdge = (from: string, to: string): LineageEdge => ({
  from: from as NodeId, to: to as NodeId, kind: from.startsWith('job:') ? 'writes' : 'reads', provenance: 'declared', validFrom: 0, validTo: null,
});

const TRANSFORMATIONS: Transformation[][] = [[{ type: 'DIRECT', subtype: 'IDENTITY' }], [{ type: 'DIRECT', subtype: 'TRANSFORMATION' }], [{ type: 'INDIRECT', subtype: 'JOIN' }]];

/**
 * A deterministic mesh of jobs with table and column lineage: each job in one domain reads one or two tables of any
 * domain and writes one (its domain's, a shared one several domains write, or one it reads), 3 columns each.
 */
export const columnMesh = (domains: number, jobs: number, seed: number): Map<string, OwnerGroup[]> => {
  let x = seed;
  const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), Math.floor((x / 2147483648) * n));
  const groups = new Map<string, OwnerGroup[]>();
  const tables: string[] = [];
  for (let d = 0; d < domains; d++) {
    groups.set(`d${d}`, []);
    tables.push(`ns${d}:base${d}`);
  }
  for (let j = 0; j < jobs; j++) {
    const d = rand(domains);
    const job = `job:d${d}:j${j}`;
    const inputs = [...new Set([tables[rand(tables.length)], tables[rand(tables.length)]])].slice(0, 1 + rand(2));
    const output = rand(6) === 0 ? `shared:t${rand(5)}` : rand(5) === 0 ? inputs[0] : `ns${d}:t${j}`;
    const columnEdges: ColumnEdge[] = [];
    for (let c = 0; c < 3; c++) {
      const from = `datasetField:${inputs[rand(inputs.length)]}:c${rand(3)}` as NodeId;
      columnEdges.push({ from, to: `datasetField:${output}:c${c}` as NodeId, job: job as NodeId, transformations: TRANSFORMATIONS[rand(3)], provenance: 'declared', validFrom: 0, validTo: null });
    }
    groups.get(`d${d}`)!.push({ owner: job as NodeId, edges: [...inputs.map((t) => tableEdge(`dataset:${t}`, job)), tableEdge(job, `dataset:${output}`)], columnEdges });
    tables.push(output);
  }
  return groups;
};

/**
 * One LineageIndex per domain answering expand as apps/shard does, their filters (aliases as the shard's gateway
 * filter lists them), a transport, and one index over the union (every domain's groups and aliases).
 */
export const indexShards = (groups: Map<string, OwnerGroup[]>, aliases: Map<string, AliasRecord[]> = new Map()) => {
  const shards = [...groups].map(([domain, owned]) => {
    const index = new LineageIndex();
    index.load({ version: 1, groups: owned, aliases: aliases.get(domain) ?? [], lifecycle: [] });
    const edges = owned.flatMap((g) => [...g.edges, ...g.columnEdges]);
    const held = new Set<string>(index.nodeIds());
    const expand = (request: ExpandRequest): ExpandResponse => {
      const seeds = request.seeds.filter((s) => index.has(s.id));
      const unknownSeeds = request.seeds.filter((s) => !index.has(s.id)).map((s) => s.id);
      const options = { direction: request.direction, depth: request.depth, maxNodes: request.maxNodes, asOf: request.asOf, transformations: request.transformations };
      if (request.format === 'packed' && seeds.length > 0) {
        const compact = index.traverseCompact(seeds, options);
        return { nodes: [], edges: [], frontier: [], truncated: compact.truncated, domain, version: 1, unknownSeeds, packed: packCompact(compact) };
      }
      const result = seeds.length === 0 ? { nodes: [], edges: [], frontier: [], truncated: false } : index.traverse(seeds, options);
      return expandAnswerAs(request.format, { ...result, domain, version: 1, unknownSeeds });
    };
    return { domain, held, edges, expand, aliasPairs: index.aliasPairs() };
  });
  const federation: FederationShard[] = shards.map((s) => {
    const directional = buildDirectionalFilters(s.edges, 0.01);
    return {
      domain: s.domain,
      filter: loadMembershipFilter(buildMembershipFilter(s.held, 0.01)),
      downstream: loadMembershipFilter(directional.downstream),
      upstream: loadMembershipFilter(directional.upstream),
    };
  });
  const transport: ExpandTransport = {
    // through JSON, as over the wire
    expand: async (domain, request) => JSON.parse(JSON.stringify(shards.find((s) => s.domain === domain)!.expand(request))),
  };
  const union = new LineageIndex();
  union.load({ version: 1, groups: [...groups.values()].flat(), aliases: [...aliases.values()].flat(), lifecycle: [] });
  return { shards, federation, transport, union };
};
