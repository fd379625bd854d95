/**
 * The compact form of a `lineage.expand` answer (ExpandRequest.format = 'columnar'): every id once in a string
 * table, nodes as parallel type/distance arrays over the first `nodeCount` ids, the frontier as node positions,
 * edges as id positions plus kind codes. The same answer as the plain form, several times fewer bytes and far
 * fewer objects to serialise and parse (the time of a federated query goes to the wire, not the walk).
 */
import { invalidArgument, type NodeId, type NodeType, type Provenance, type Transformation } from '@lineage-hub/model';
import type { TraversalResult, TraversedEdge, TraversedNode } from '@lineage-hub/graph';
import type { ColumnarExpand, ExpandRequest, ExpandResponse } from './shard-rpc.contract';
import { packColumnar, unpackColumnar } from './packed-expand';

/** Node type codes of the columnar form (position = code). */
export const COLUMNAR_NODE_TYPES: readonly NodeType[] = ['DATASET', 'JOB', 'DATASET_FIELD'];
/** Edge kind codes of the columnar form (position = code). */
export const COLUMNAR_EDGE_KINDS: ReadonlyArray<TraversedEdge['kind']> = ['reads', 'writes', 'column'];
/** Edge provenance codes of the columnar form (position = code); absent array = all declared. */
export const COLUMNAR_PROVENANCES: readonly Provenance[] = ['declared', 'observed', 'manual'];
const NODE_TYPES = COLUMNAR_NODE_TYPES;
const EDGE_KINDS = COLUMNAR_EDGE_KINDS;
/** `edgeJob` codes below 0: the edge had no `job` field / had `job: null`. */
const NO_JOB = -1;
const NULL_JOB = -2;

const typeCode = (type: NodeType): number => {
  const code = NODE_TYPES.indexOf(type);
  if (code < 0) throw new Error(`unknown node type "${type}"`);
  return code;
};

const kindCode = (kind: TraversedEdge['kind']): number => {
  const code = EDGE_KINDS.indexOf(kind);
  if (code < 0) throw new Error(`unknown edge kind "${kind}"`);
  return code;
};

/** Shard side: a traversal result in the columnar form. */
export const encodeColumnar = (result: Pick<TraversalResult, 'nodes' | 'edges' | 'frontier'>): ColumnarExpand => {
  const ids: string[] = new Array(result.nodes.length);
  const position = new Map<string, number>();
  const nodeTypes: number[] = new Array(result.nodes.length);
  const nodeDistances: number[] = new Array(result.nodes.length);
  for (let i = 0; i < result.nodes.length; i++) {
    const node = result.nodes[i];
    ids[i] = node.id;
    position.set(node.id, i);
    nodeTypes[i] = typeCode(node.type);
    nodeDistances[i] = node.distance;
  }
  const nodeCount = ids.length;
  const at = (id: string): number => {
    let p = position.get(id);
    if (p === undefined) {
      p = ids.length;
      ids.push(id);
      position.set(id, p);
    }
    return p;
  };
  const frontier: number[] = new Array(result.frontier.length);
  const frontierDistances: number[] = new Array(result.frontier.length);
  let frontierTypes: number[] | undefined;
  for (let i = 0; i < result.frontier.length; i++) {
    const node = result.frontier[i];
    frontier[i] = at(node.id);
    frontierDistances[i] = node.distance;
    if (frontier[i] >= nodeCount) {
      // a frontier node outside `nodes` (LineageIndex never does this): its type travels too
      frontierTypes ??= frontier.map((p, k) => (k < i ? nodeTypes[p] : 0));
      frontierTypes[i] = typeCode(node.type);
    } else if (frontierTypes) frontierTypes[i] = nodeTypes[frontier[i]];
  }
  const edges = result.edges;
  const edgeFrom: number[] = new Array(edges.length);
  const edgeTo: number[] = new Array(edges.length);
  const edgeKind: number[] = new Array(edges.length);
  const edgeJob: number[] = new Array(edges.length);
  const sets: Transformation[][] = [];
  const setPosition = new Map<string, number>();
  let edgeTransformations: number[] | undefined;
  let edgeProvenance: number[] | undefined;
  // LineageIndex lists edges grouped by their `from`: look each one up once.
  let lastFrom: string | null = null;
  let lastFromAt = -1;
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i];
    if (edge.from !== lastFrom) {
      lastFrom = edge.from;
      lastFromAt = at(edge.from);
    }
    edgeFrom[i] = lastFromAt;
    edgeTo[i] = at(edge.to);
    edgeKind[i] = kindCode(edge.kind);
    edgeJob[i] = edge.job === undefined ? NO_JOB : edge.job === null ? NULL_JOB : at(edge.job);
    if (edge.provenance !== undefined && edge.provenance !== 'declared') {
      const code = COLUMNAR_PROVENANCES.indexOf(edge.provenance);
      if (code < 0) throw new Error(`unknown edge provenance "${edge.provenance}"`);
      (edgeProvenance ??= new Array<number>(edges.length).fill(0))[i] = code;
    }
    if (edge.transformations !== undefined) {
      const key = JSON.stringify(edge.transformations);
      let s = setPosition.get(key);
      if (s === undefined) {
        s = sets.length;
        sets.push(edge.transformations);
        setPosition.set(key, s);
      }
      edgeTransformations ??= new Array<number>(edges.length).fill(-1);
      edgeTransformations[i] = s;
    }
  }
  return {
    ids,
    nodeCount,
    nodeTypes,
    nodeDistances,
    frontier,
    frontierDistances,
    ...(frontierTypes ? { frontierTypes } : {}),
    edgeFrom,
    edgeTo,
    edgeKind,
    edgeJob,
    ...(edgeTransformations ? { edgeTransformations, transformationSets: sets } : {}),
    ...(edgeProvenance ? { edgeProvenance } : {}),
  };
};

const fail = (what: string): never => {
  throw new Error(`malformed columnar expand answer: ${what}`);
};

const isColumn = (values: unknown): values is ArrayLike<unknown> => Array.isArray(values) || values instanceof Int32Array;

const checkCodes = (values: unknown, length: number, min: number, max: number, what: string): void => {
  if (!isColumn(values) || values.length !== length) fail(`${what} length`);
  if (values instanceof Int32Array) {
    // a typed column (an unpacked or lean answer) holds integers only: the range is all there is to check
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v < min || v > max) fail(`${what}[${i}] = ${v}`);
    }
    return;
  }
  const list = values as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`${what}[${i}] = ${String(v)}`);
  }
};

/** Throws unless every array has its length and every code and position points where it may. */
export const checkColumnar = (c: ColumnarExpand): void => {
  if (!c || typeof c !== 'object' || !Array.isArray(c.ids)) fail('ids');
  const idCount = c.ids.length;
  for (let i = 0; i < idCount; i++) if (typeof c.ids[i] !== 'string') fail(`ids[${i}]`);
  const n = c.nodeCount;
  if (!Number.isInteger(n) || n < 0 || n > idCount) fail('nodeCount');
  checkCodes(c.nodeTypes, n, 0, NODE_TYPES.length - 1, 'nodeTypes');
  checkCodes(c.nodeDistances, n, 0, Number.MAX_SAFE_INTEGER, 'nodeDistances');
  const f = isColumn(c.frontier) ? c.frontier.length : -1;
  checkCodes(c.frontier, f, 0, idCount - 1, 'frontier');
  checkCodes(c.frontierDistances, f, 0, Number.MAX_SAFE_INTEGER, 'frontierDistances');
  if (c.frontierTypes !== undefined) checkCodes(c.frontierTypes, f, 0, NODE_TYPES.length - 1, 'frontierTypes');
  else for (let i = 0; i < f; i++) if (c.frontier[i] >= n) fail(`frontier[${i}] is not a node and has no type`);
  const m = isColumn(c.edgeFrom) ? c.edgeFrom.length : -1;
  checkCodes(c.edgeFrom, m, 0, idCount - 1, 'edgeFrom');
  checkCodes(c.edgeTo, m, 0, idCount - 1, 'edgeTo');
  checkCodes(c.edgeKind, m, 0, EDGE_KINDS.length - 1, 'edgeKind');
  checkCodes(c.edgeJob, m, NULL_JOB, idCount - 1, 'edgeJob');
  if (c.edgeTransformations !== undefined) {
    if (!Array.isArray(c.transformationSets) || !c.transformationSets.every(Array.isArray)) fail('transformationSets');
    checkCodes(c.edgeTransformations, m, -1, c.transformationSets!.length - 1, 'edgeTransformations');
  }
  if (c.edgeProvenance !== undefined) checkCodes(c.edgeProvenance, m, 0, COLUMNAR_PROVENANCES.length - 1, 'edgeProvenance');
};

/** Gateway side: the plain nodes/edges/frontier of a columnar answer (throws on a malformed one). */
export const decodeColumnar = (c: ColumnarExpand): Pick<TraversalResult, 'nodes' | 'edges' | 'frontier'> => {
  checkColumnar(c);
  const ids = c.ids as NodeId[];
  const n = c.nodeCount;
  const nodes: TraversedNode[] = new Array(n);
  for (let i = 0; i < n; i++) nodes[i] = { id: ids[i], type: NODE_TYPES[c.nodeTypes[i]], distance: c.nodeDistances[i] };
  const frontier: TraversedNode[] = new Array(c.frontier.length);
  for (let i = 0; i < c.frontier.length; i++) {
    const p = c.frontier[i];
    const node = p < n ? nodes[p] : undefined;
    const distance = c.frontierDistances[i];
    const type = c.frontierTypes ? NODE_TYPES[c.frontierTypes[i]] : node!.type;
    frontier[i] = node && node.distance === distance && node.type === type ? node : { id: ids[p], type, distance };
  }
  const m = c.edgeFrom.length;
  const edges: TraversedEdge[] = new Array(m);
  for (let i = 0; i < m; i++) {
    const edge: TraversedEdge = { from: ids[c.edgeFrom[i]], to: ids[c.edgeTo[i]], kind: EDGE_KINDS[c.edgeKind[i]] };
    const job = c.edgeJob[i];
    if (job === NULL_JOB) edge.job = null;
    else if (job !== NO_JOB) edge.job = ids[job];
    const s = c.edgeTransformations?.[i] ?? -1;
    if (s >= 0) edge.transformations = c.transformationSets![s];
    const p = c.edgeProvenance?.[i] ?? 0;
    if (p) edge.provenance = COLUMNAR_PROVENANCES[p];
    edges[i] = edge;
  }
  return { nodes, edges, frontier };
};

/** Shard side: a plain expand answer in the form the request asked for. */
export const expandAnswerAs = (format: ExpandRequest['format'], response: ExpandResponse): ExpandResponse => {
  if (format === undefined) return response;
  if (format !== 'columnar' && format !== 'packed') throw invalidArgument('format', `unknown expand answer format "${String(format)}": 'columnar', 'packed' or absent`);
  const columnar = encodeColumnar(response);
  return { ...response, nodes: [], edges: [], frontier: [], ...(format === 'packed' ? { packed: packColumnar(columnar) } : { columnar }) };
};

/** Gateway side: an expand answer in the plain form, whichever form it came in. */
export const plainExpandAnswer = (response: ExpandResponse): ExpandResponse => {
  if (response.packed) {
    const { packed, ...rest } = response;
    return { ...rest, ...decodeColumnar(unpackColumnar(packed)) };
  }
  if (!response.columnar) return response;
  const { columnar, ...rest } = response;
  return { ...rest, ...decodeColumnar(columnar) };
};

/**
 * Gateway side: the columnar arrays of an expand answer, whichever form it came in (packed: unpacked into Int32Array
 * columns; a shard that predates the columnar form answers plainly). Checked whole, so the caller can index the arrays without further checks.
 */
export const columnarExpandAnswer = (response: ExpandResponse): ExpandResponse & { columnar: ColumnarExpand } => {
  if (response.packed) {
    const columnar = unpackColumnar(response.packed);
    checkColumnar(columnar);
    return { ...response, columnar };
  }
  if (!response.columnar) return { ...response, columnar: encodeColumnar(response) };
  checkColumnar(response.columnar);
  return response as ExpandResponse & { columnar: ColumnarExpand };
};
