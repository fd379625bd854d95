import { Inject, Injectable } from '@nestjs/common';
import {
  canonicalNodeId,
  datasetFieldId,
  DomainError,
  invalidArgument,
  type NodeId,
  notFound,
  parseNodeId,
  parseTransformationFilter,
} from '@lineage-hub/model';
import type { LineageStore } from '@lineage-hub/store';
import type { TraversalResult, TraversedEdge } from '@lineage-hub/graph';
import { expandAnswerAs, packCompact, type ExpandRequest, type ExpandResponse } from '@lineage-hub/federation';
import { LineageGraphService } from './lineage-graph.service';
import { LINEAGE_STORE } from './lineage-store.provider';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';
import { type MarquezEdge, type MarquezNode, marquezId, sortGraph, toDataset, toJob } from '../marquez/marquez.mapper';
import { boolean, integer, nodeIdParam, oneOf, optionalString, optionalTime, type QueryParams } from '../marquez/query-params';

export const DEFAULT_DEPTH = 20;
export const DEFAULT_MAX_NODES = 5000;
const MAX_DEPTH = 100;
const MAX_NODES_LIMIT = 100_000;

/** Lineage reads over the in-memory index: Marquez's /lineage and /column-lineage, and the gateway's expand. */
@Injectable()
export class LineageQueryService {
  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    private readonly graph: LineageGraphService,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
  ) {}

  /** GET /api/v1/lineage?nodeId=&depth=&asOf=: datasets and jobs around a node, Marquez LineageGraph shape. */
  async lineage(query: QueryParams) {
    const nodeId = nodeIdParam(query, 'nodeId', ['dataset', 'job']);
    const depth = integer(query, 'depth', DEFAULT_DEPTH, 0, MAX_DEPTH);
    const maxNodes = integer(query, 'maxNodes', DEFAULT_MAX_NODES, 1, MAX_NODES_LIMIT);
    const direction = oneOf(query, 'direction', ['both', 'upstream', 'downstream'] as const, 'both');
    const asOf = optionalTime(query, 'asOf');
    if (!this.graph.has(nodeId)) return this.isolatedNode(nodeId);
    const result = this.graph.traverse([{ id: nodeId, distance: 0 }], { direction, depth, maxNodes, asOf });
    return this.toLineageGraph(result);
  }

  /** GET /api/v1/column-lineage?nodeId=&depth=&withDownstream=&asOf=: DATASET_FIELD nodes, Marquez shape. */
  async columnLineage(query: QueryParams) {
    const nodeId = nodeIdParam(query, 'nodeId', ['dataset', 'datasetField']);
    const depth = integer(query, 'depth', DEFAULT_DEPTH, 0, MAX_DEPTH);
    const maxNodes = integer(query, 'maxNodes', DEFAULT_MAX_NODES, 1, MAX_NODES_LIMIT);
    const withDownstream = boolean(query, 'withDownstream', false);
    const asOf = optionalTime(query, 'asOf');
    // the gateway's parser: any case, and an unknown value is a 400 listing the valid ones (not a silently empty walk)
    const filter = optionalString(query, 'transformations');
    const parsedFilter = filter === undefined ? undefined : parseTransformationFilter(filter);
    const transformations = parsedFilter?.length ? parsedFilter : undefined;
    const seeds = await this.fieldSeeds(nodeId);
    if (seeds.length === 0) throw notFound(`column lineage for ${nodeId}`);
    const result = this.graph.traverse(
      seeds.map((id) => ({ id, distance: 0 })),
      { direction: withDownstream ? 'both' : 'upstream', depth, maxNodes, asOf, transformations },
    );
    return this.toColumnGraph(result);
  }

  /**
   * RPC lineage.expand: walk the local graph from the seeds; nodes, edges and the frontier, in the form the request
   * asks for (plain, columnar, or packed: straight from the index's typed arrays, no node or edge objects).
   */
  expand(request: ExpandRequest): ExpandResponse {
    const req = validateExpand(request);
    const version = this.graph.version;
    const seeds = req.seeds.filter((s) => this.graph.has(s.id));
    const unknownSeeds = req.seeds.filter((s) => !this.graph.has(s.id)).map((s) => s.id);
    const options = { direction: req.direction, depth: req.depth, maxNodes: req.maxNodes, asOf: req.asOf, transformations: req.transformations };
    if (req.format === 'packed' && seeds.length > 0) {
      const compact = this.graph.traverseCompact(seeds, options);
      return { nodes: [], edges: [], frontier: [], truncated: compact.truncated, domain: this.config.domain, version, unknownSeeds, packed: packCompact(compact) };
    }
    const result: TraversalResult = seeds.length === 0 ? { nodes: [], edges: [], frontier: [], truncated: false } : this.graph.traverse(seeds, options);
    return expandAnswerAs(req.format, { ...result, domain: this.config.domain, version, unknownSeeds });
  }

  private async fieldSeeds(nodeId: NodeId): Promise<NodeId[]> {
    const parsed = parseNodeId(nodeId);
    if (parsed.kind === 'datasetField') return this.graph.has(nodeId) ? [nodeId] : [];
    if (parsed.kind !== 'dataset') return [];
    const dataset = await this.store.getDataset(nodeId);
    const fromSchema = (dataset?.fields ?? []).map((f) => datasetFieldId(parsed.namespace, parsed.name, f.name));
    return [...new Set([...fromSchema, ...this.graph.fieldsOf(nodeId)])].filter((id) => this.graph.has(id)).sort();
  }

  private async toLineageGraph(result: TraversalResult) {
    const datasetIds = result.nodes.filter((n) => n.type === 'DATASET').map((n) => n.id);
    const jobIds = result.nodes.filter((n) => n.type === 'JOB').map((n) => n.id);
    // one round of reads (a lineage read under ingest waits for the database once, not three times in a row)
    const [datasets, jobs, latestRuns] = await Promise.all([this.store.getDatasets(datasetIds), this.store.getJobs(jobIds), this.store.latestRuns(jobIds)]);
    const datasetById = new Map(datasets.map((d) => [d.id as string, d]));
    const jobById = new Map(jobs.map((j) => [j.id as string, j]));
    const nodes = new Map<string, MarquezNode>();
    for (const node of result.nodes) {
      if (node.type === 'DATASET') {
        const record = datasetById.get(node.id);
        nodes.set(node.id, edgeless(node.id, 'DATASET', record ? toDataset(record) : placeholderDataset(node.id)));
      } else if (node.type === 'JOB') {
        const record = jobById.get(node.id);
        nodes.set(node.id, edgeless(node.id, 'JOB', record ? toJob(record, latestRuns.get(node.id) ?? null) : placeholderJob(node.id)));
      }
    }
    for (const edge of result.edges) {
      if (edge.kind === 'column') continue;
      link(nodes, edge.from, edge.to);
    }
    return withTruncation(sortGraph([...nodes.values()]), result.truncated);
  }

  /** A dataset or job the store knows but no lineage edge touches: a graph of that one node (Marquez's UI asks). */
  private async isolatedNode(nodeId: NodeId) {
    const kind = parseNodeId(nodeId).kind;
    const known = kind === 'dataset' ? await this.store.getDataset(nodeId) : await this.store.getJob(nodeId);
    if (!known) throw notFound(`node ${nodeId}`);
    return this.toLineageGraph({ nodes: [{ id: nodeId, type: kind === 'dataset' ? 'DATASET' : 'JOB', distance: 0 }], edges: [], frontier: [], truncated: false });
  }

  private async toColumnGraph(result: TraversalResult) {
    const fieldNodes = result.nodes.filter((n) => n.type === 'DATASET_FIELD');
    const datasetIds = [...new Set(fieldNodes.map((n) => fieldOwner(n.id)))];
    const datasets = await this.store.getDatasets(datasetIds);
    const fieldTypes = new Map<string, string | null>();
    for (const ds of datasets) for (const f of ds.fields) fieldTypes.set(datasetFieldId(ds.namespace, ds.name, f.name), f.type);
    const inputsOf = new Map<string, TraversedEdge[]>();
    for (const edge of result.edges) {
      if (edge.kind !== 'column' || parseNodeId(edge.from).kind !== 'datasetField') continue;
      const list = inputsOf.get(edge.to) ?? [];
      list.push(edge);
      inputsOf.set(edge.to, list);
    }
    const nodes = new Map<string, MarquezNode>();
    for (const node of fieldNodes) {
      nodes.set(node.id, edgeless(node.id, 'DATASET_FIELD', fieldData(node.id, fieldTypes.get(node.id) ?? null, inputsOf.get(node.id) ?? [])));
    }
    // Marquez's column-lineage edges: a node's inEdges are {origin: node, destination: input field}, and the
    // input's outEdges are {origin: input, destination: node}.
    for (const [to, edges] of inputsOf) {
      for (const edge of edges) {
        const target = nodes.get(to);
        const source = nodes.get(edge.from);
        if (!target || !source) continue;
        target.inEdges.push({ origin: to, destination: edge.from });
        source.outEdges.push({ origin: edge.from, destination: to });
      }
    }
    return withTruncation(sortGraph([...nodes.values()]), result.truncated);
  }
}

const edgeless = (id: string, type: MarquezNode['type'], data: unknown): MarquezNode => ({ id, type, data, inEdges: [], outEdges: [] });

const link = (nodes: Map<string, MarquezNode>, from: string, to: string) => {
  const source = nodes.get(from);
  const target = nodes.get(to);
  if (!source || !target) return;
  const edge: MarquezEdge = { origin: from, destination: to };
  if (!source.outEdges.some((e) => e.destination === to)) source.outEdges.push(edge);
  if (!target.inEdges.some((e) => e.origin === from)) target.inEdges.push(edge);
};

const withTruncation = <T extends object>(graph: T, truncated: boolean) => (truncated ? { ...graph, truncated } : graph);

const fieldOwner = (id: NodeId): NodeId => {
  const parsed = parseNodeId(id);
  if (parsed.kind !== 'datasetField') return id;
  return `dataset:${parsed.namespace}:${parsed.name}` as NodeId;
};

const transformation = (edge: TraversedEdge) => {
  const t = edge.transformations?.[0];
  return {
    transformationDescription: t?.description ?? null,
    transformationType: t ? (t.subtype ? `${t.type}/${t.subtype}` : t.type) : null,
  };
};

const fieldData = (id: NodeId, fieldType: string | null, inputs: TraversedEdge[]) => {
  const parsed = parseNodeId(id) as { namespace: string; name: string; field: string };
  const first = inputs[0];
  return {
    namespace: parsed.namespace,
    dataset: parsed.name,
    datasetVersion: null,
    field: parsed.field,
    fieldType,
    ...(first ? transformation(first) : { transformationDescription: null, transformationType: null }),
    inputFields: inputs.map((edge) => {
      const input = parseNodeId(edge.from) as { namespace: string; name: string; field: string };
      return {
        namespace: input.namespace,
        dataset: input.name,
        datasetVersion: null,
        field: input.field,
        ...transformation(edge),
        transformations: edge.transformations ?? [],
      };
    }),
  };
};

const placeholderDataset = (id: NodeId) => {
  const { namespace, name } = marquezId(id);
  return { id: { namespace, name }, type: 'DB_TABLE', name, physicalName: name, namespace, sourceName: namespace, fields: [], tags: [], facets: {} };
};

const placeholderJob = (id: NodeId) => {
  const { namespace, name } = marquezId(id);
  return { id: { namespace, name }, type: 'BATCH', name, simpleName: name, namespace, inputs: [], outputs: [], latestRun: null, facets: {} };
};

/** The expand request at the RPC edge: every field checked, node ids canonicalised. */
export const validateExpand = (request: ExpandRequest): ExpandRequest => {
  if (!request || typeof request !== 'object') throw invalidArgument('request', 'expected an expand request object');
  if (!Array.isArray(request.seeds) || request.seeds.length === 0) throw invalidArgument('seeds', 'must be a non-empty array');
  const seeds = request.seeds.map((seed, i) => {
    if (!seed || typeof seed.id !== 'string') throw invalidArgument(`seeds[${i}].id`, 'must be a node id string');
    let id: NodeId;
    try {
      id = canonicalNodeId(seed.id);
    } catch (err) {
      throw err instanceof DomainError ? invalidArgument(`seeds[${i}].id`, err.message) : err;
    }
    const distance = seed.distance ?? 0;
    if (!Number.isInteger(distance) || distance < 0) throw invalidArgument(`seeds[${i}].distance`, 'must be an integer >= 0');
    return { id, distance };
  });
  if (request.direction !== 'downstream' && request.direction !== 'upstream') {
    throw invalidArgument('direction', 'must be downstream or upstream');
  }
  if (!Number.isInteger(request.depth) || request.depth < 0 || request.depth > MAX_DEPTH) {
    throw invalidArgument('depth', `must be an integer between 0 and ${MAX_DEPTH}`);
  }
  const maxNodes = request.maxNodes ?? DEFAULT_MAX_NODES;
  if (!Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > MAX_NODES_LIMIT) {
    throw invalidArgument('maxNodes', `must be an integer between 1 and ${MAX_NODES_LIMIT}`);
  }
  if (request.asOf !== undefined && request.asOf !== null && !Number.isFinite(request.asOf)) {
    throw invalidArgument('asOf', 'must be epoch milliseconds');
  }
  if (request.transformations !== undefined && !Array.isArray(request.transformations)) {
    throw invalidArgument('transformations', 'must be an array of strings');
  }
  return { ...request, seeds, maxNodes, asOf: request.asOf ?? undefined };
};
