import { Inject, Injectable } from '@nestjs/common';
import { type NodesRequest, ShardRpcPatterns as P } from '@lineage-hub/federation';
import { parseNodeId, type NodeId } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ImpactService } from '../impact/impact.service';
import { OwnerInputVersions } from './owner-input-versions.service';

/** As apps/shard's marquez-node-data.ts: the most ids one `marquez.nodes` request may name. */
const MAX_NODE_DATA_IDS = 10_000;

export interface GraphOptions {
  depth: number;
  maxNodes: number;
  asOf?: number;
  transformations?: string[];
  upstream: boolean;
  downstream: boolean;
}

/**
 * Marquez's lineage graph (GET /api/v1/lineage, /api/v1/column-lineage) stitched across shards: the federated
 * traversal upstream and/or downstream of the seeds, each dataset's and job's `data` from its owning shard.
 */
@Injectable()
export class MarquezLineageGraph {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly clients: ShardClientService,
    private readonly impact: ImpactService,
    private readonly inputVersions: OwnerInputVersions,
  ) {}

  async graph(seeds: NodeId[], options: GraphOptions) {
    const base = { seeds, depth: options.depth, maxNodes: options.maxNodes, asOf: options.asOf, transformations: options.transformations };
    const runs = await Promise.all([
      ...(options.upstream ? [this.impact.traverse({ ...base, direction: 'upstream' }, 'lineage')] : []),
      ...(options.downstream ? [this.impact.traverse({ ...base, direction: 'downstream' }, 'lineage')] : []),
    ]);
    const nodes = new Map<string, { id: string; type: string; owner: string; domains: Set<string>; inEdges: Map<string, any>; outEdges: Map<string, any> }>();
    const node = (id: string, type: string, owner: string) => {
      let n = nodes.get(id);
      if (!n) nodes.set(id, (n = { id, type, owner, domains: new Set(), inEdges: new Map(), outEdges: new Map() }));
      return n;
    };
    for (const { result } of runs) {
      for (const n of result.nodes) n.domains.forEach((d) => node(n.id, n.type, n.domain).domains.add(d));
      for (const e of result.edges) {
        const edge = { origin: e.from, destination: e.to };
        const key = `${e.from}>${e.to}`;
        nodes.get(e.from)?.outEdges.set(key, edge);
        nodes.get(e.to)?.inEdges.set(key, edge);
      }
    }
    const missing = new Set(runs.flatMap((r) => r.result.missingDomains));
    const data = await this.ownersData([...nodes.values()].filter((n) => n.type === 'DATASET' || n.type === 'JOB'));
    data.unresolved.forEach((d) => missing.add(d));
    const byEdge = (a: any, b: any) => (a.origin + a.destination < b.origin + b.destination ? -1 : 1);
    return {
      graph: [...nodes.values()]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((n) => ({
          id: n.id,
          type: n.type,
          data: this.nodeData(n.id, [...n.domains].sort(), data.nodes.get(n.id)),
          inEdges: [...n.inEdges.values()].sort(byEdge),
          outEdges: [...n.outEdges.values()].sort(byEdge),
        })),
      complete: missing.size === 0,
      missingDomains: [...missing].sort(),
      truncated: runs.some((r) => r.result.truncated),
    };
  }

  /**
   * The Marquez `data` of datasets and jobs, from each one's owning shard (one `marquez.nodes` message per owner).
   * A shard that does not answer (or predates the message) leaves its nodes with the id/namespace/name data.
   */
  private async ownersData(list: Array<{ id: string; owner: string }>): Promise<{ nodes: Map<string, Record<string, unknown>>; unresolved: string[] }> {
    const byOwner = new Map<string, NodeId[]>();
    for (const n of list) {
      let ids = byOwner.get(n.owner);
      if (!ids) byOwner.set(n.owner, (ids = []));
      ids.push(n.id as NodeId);
    }
    const out = new Map<string, Record<string, unknown>>();
    const answers: Array<{ domain: string; body: unknown }> = [];
    await Promise.all(
      [...byOwner].map(async ([domain, ids]) => {
        for (let i = 0; i < ids.length; i += MAX_NODE_DATA_IDS) {
          try {
            const request: NodesRequest = { ids: ids.slice(i, i + MAX_NODE_DATA_IDS) };
            const answer = await this.clients.call(domain, P.nodes, request, this.config.shardTimeoutMs);
            for (const [id, value] of Object.entries(answer?.nodes ?? {})) if (value && typeof value === 'object') out.set(id, value as Record<string, unknown>);
            answers.push({ domain, body: answer?.nodes });
          } catch {
            return; // the graph still answers, with the minimal data for this owner's nodes
          }
        }
      }),
    );
    // the latest runs of jobs: inputs another domain owns name the owner's version
    return { nodes: out, unresolved: await this.inputVersions.resolve(answers) };
  }

  private nodeData(id: string, domains: string[], owned?: Record<string, unknown>) {
    if (owned) return { ...owned, domains };
    const parsed = parseNodeId(id);
    if (parsed.kind === 'datasetField') {
      return { namespace: parsed.namespace, dataset: parsed.name, field: parsed.field, domains };
    }
    if (parsed.kind === 'run') return { id: parsed.runId, domains };
    return { id: { namespace: parsed.namespace, name: parsed.name }, namespace: parsed.namespace, name: parsed.name, domains };
  }
}
