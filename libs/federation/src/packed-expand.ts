/**
 * The packed form of a `lineage.expand` answer (ExpandRequest.format = 'packed'): the columnar answer
 * (columnar-expand.ts) with every number column in one base64 string of little-endian int32s instead of JSON
 * number arrays. The id strings stay a JSON string array (any character may occur in an id). Neither side
 * writes or parses a number per node or edge: the shard packs LineageIndex.traverseCompact()'s typed arrays
 * straight in (`packCompact`, no node or edge objects on the shard), the gateway reads the columns as Int32Array
 * views of the decoded bytes (`unpackColumnar`), checked whole like a columnar answer.
 *
 * `columns` holds, in this order: nodeTypes and nodeDistances (nodeCount each), frontier and frontierDistances
 * (frontierCount each), frontierTypes (frontierCount; only with layout bit FRONTIER_TYPES), edgeFrom, edgeTo,
 * edgeKind, edgeJob (edgeCount each), edgeTransformations (edgeCount; layout bit TRANSFORMATIONS, with
 * `transformationSets`), edgeProvenance (edgeCount; layout bit PROVENANCE).
 */
import type { CompactTraversalResult } from '@lineage-hub/graph';
import type { ColumnarExpand, PackedExpand } from './shard-rpc.contract';

export const PACKED_FRONTIER_TYPES = 1;
export const PACKED_TRANSFORMATIONS = 2;
export const PACKED_PROVENANCE = 4;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

type Column = ArrayLike<number>;

const toBase64 = (columns: Int32Array): string => {
  if (!LITTLE_ENDIAN) {
    const view = new DataView(new ArrayBuffer(columns.length * 4));
    for (let i = 0; i < columns.length; i++) view.setInt32(i * 4, columns[i], true);
    return Buffer.from(view.buffer).toString('base64');
  }
  return Buffer.from(columns.buffer, columns.byteOffset, columns.byteLength).toString('base64');
};

const fromBase64 = (text: string): Int32Array => {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % 4 !== 0) fail(`columns: ${bytes.byteLength} bytes is not a whole number of int32s`);
  const n = bytes.byteLength / 4;
  if (!LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0) {
    const out = new Int32Array(n);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
    return out;
  }
  return new Int32Array(bytes.buffer, bytes.byteOffset, n);
};

const fail = (what: string): never => {
  throw new Error(`malformed packed expand answer: ${what}`);
};

const concat = (parts: Column[]): Int32Array => {
  let total = 0;
  for (const part of parts) total += part.length;
  const columns = new Int32Array(total);
  let at = 0;
  for (const part of parts) {
    if (part instanceof Int32Array) columns.set(part, at);
    else for (let i = 0; i < part.length; i++) columns[at + i] = part[i];
    at += part.length;
  }
  return columns;
};

/** A columnar answer in the packed form. */
export const packColumnar = (c: ColumnarExpand): PackedExpand => {
  const parts: Column[] = [c.nodeTypes, c.nodeDistances, c.frontier, c.frontierDistances];
  let layout = 0;
  if (c.frontierTypes) {
    layout |= PACKED_FRONTIER_TYPES;
    parts.push(c.frontierTypes);
  }
  parts.push(c.edgeFrom, c.edgeTo, c.edgeKind, c.edgeJob);
  if (c.edgeTransformations) {
    layout |= PACKED_TRANSFORMATIONS;
    parts.push(c.edgeTransformations);
  }
  if (c.edgeProvenance) {
    layout |= PACKED_PROVENANCE;
    parts.push(c.edgeProvenance);
  }
  return {
    ids: c.ids,
    nodeCount: c.nodeCount,
    frontierCount: c.frontier.length,
    edgeCount: c.edgeFrom.length,
    layout,
    columns: toBase64(concat(parts)),
    ...(c.edgeTransformations ? { transformationSets: c.transformationSets ?? [] } : {}),
  };
};

/** The packed answer's parts before base64: counts, layout, the id table and every number column in one Int32Array. */
export interface PackedColumns {
  ids: string[];
  nodeCount: number;
  frontierCount: number;
  edgeCount: number;
  layout: number;
  columns: Int32Array;
  transformationSets?: PackedExpand['transformationSets'];
  /** From traverseCompact(): the index's number of each id and the numbering they belong to (see CompactTraversalResult). */
  nodeNumbers?: Int32Array;
  numbering?: number;
}

/** LineageIndex.traverseCompact()'s answer as packed columns (the lean transport sends them as they are). */
export const compactColumns = (r: CompactTraversalResult): PackedColumns => {
  const n = r.ids.length;
  const m = r.edgeFrom.length;
  const ids: string[] = r.jobs.length === 0 ? r.ids : [...r.ids, ...r.jobs];
  const frontierDistances = new Int32Array(r.frontier.length);
  for (let i = 0; i < r.frontier.length; i++) frontierDistances[i] = r.distances[r.frontier[i]];
  // reads/writes edges have no job field (-1); a column edge's job is a position in `jobs` (-1: job null)
  const edgeJob = new Int32Array(m);
  let column = false;
  for (let k = 0; k < m; k++) {
    if (r.edgeKinds[k] !== 2) edgeJob[k] = -1;
    else {
      column = true;
      edgeJob[k] = r.edgeJobs[k] < 0 ? -2 : n + r.edgeJobs[k];
    }
  }
  const parts: Column[] = [r.types, r.distances, r.frontier, frontierDistances, r.edgeFrom, r.edgeTo, r.edgeKinds, edgeJob];
  let layout = 0;
  if (column) {
    layout |= PACKED_TRANSFORMATIONS;
    parts.push(r.edgeTransformations);
  }
  if (r.edgeProvenance) {
    layout |= PACKED_PROVENANCE;
    parts.push(r.edgeProvenance);
  }
  return {
    ids,
    nodeCount: n,
    frontierCount: r.frontier.length,
    edgeCount: m,
    layout,
    columns: concat(parts),
    ...(column ? { transformationSets: r.transformationLists as PackedExpand['transformationSets'] } : {}),
    nodeNumbers: r.nodeNumbers,
    numbering: r.numbering,
  };
};

/**
 * LineageIndex.traverseCompact()'s answer in the packed form, without building traverse()'s objects: the same
 * answer as packColumnar(encodeColumnar(traverse())) (jobs of column edges follow the nodes in the id table).
 */
export const packCompact = (r: CompactTraversalResult): PackedExpand => {
  const { columns, nodeNumbers: _numbers, numbering: _numbering, ...rest } = compactColumns(r);
  return { ...rest, columns: toBase64(columns) };
};

const count = (value: unknown, what: string): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(what);
  return value as number;
};

/** Gateway side: the columnar answer a packed one stands for, its columns Int32Array views (checkColumnar still applies). */
export const unpackColumnar = (p: PackedExpand): ColumnarExpand => {
  if (!p || typeof p !== 'object' || !Array.isArray(p.ids) || typeof p.columns !== 'string') fail('ids/columns');
  return columnsAsColumnar({ ...p, columns: fromBase64(p.columns) });
};

/** Packed columns as the columnar answer they stand for (Int32Array views; checkColumnar still applies). */
export const columnsAsColumnar = (p: PackedColumns): ColumnarExpand => {
  const n = count(p.nodeCount, 'nodeCount');
  const f = count(p.frontierCount, 'frontierCount');
  const m = count(p.edgeCount, 'edgeCount');
  const layout = count(p.layout, 'layout');
  const columns = p.columns;
  const expected = 2 * n + (layout & PACKED_FRONTIER_TYPES ? 3 : 2) * f + (4 + (layout & PACKED_TRANSFORMATIONS ? 1 : 0) + (layout & PACKED_PROVENANCE ? 1 : 0)) * m;
  if (columns.length !== expected) fail(`columns: ${columns.length} int32s, the counts need ${expected}`);
  let at = 0;
  const take = (length: number) => columns.subarray(at, (at += length));
  const nodeTypes = take(n);
  const nodeDistances = take(n);
  const frontier = take(f);
  const frontierDistances = take(f);
  const frontierTypes = layout & PACKED_FRONTIER_TYPES ? take(f) : undefined;
  const edgeFrom = take(m);
  const edgeTo = take(m);
  const edgeKind = take(m);
  const edgeJob = take(m);
  const edgeTransformations = layout & PACKED_TRANSFORMATIONS ? take(m) : undefined;
  const edgeProvenance = layout & PACKED_PROVENANCE ? take(m) : undefined;
  return {
    ids: p.ids,
    nodeCount: n,
    nodeTypes,
    nodeDistances,
    frontier,
    frontierDistances,
    ...(frontierTypes ? { frontierTypes } : {}),
    edgeFrom,
    edgeTo,
    edgeKind,
    edgeJob,
    ...(edgeTransformations ? { edgeTransformations, transformationSets: p.transformationSets } : {}),
    ...(edgeProvenance ? { edgeProvenance } : {}),
  };
};
