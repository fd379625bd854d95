/**
 * The ANSWER payload of the lean `lineage.expand` transport: the packed answer's int32 columns as raw little-endian
 * bytes (no base64, no JSON numbers), and its ids as numbers against a dictionary both ends of one connection keep.
 * An id's number is the shard index's node number (LineageIndex.traverseCompact nodeNumbers; answers without them are
 * numbered per connection); the shard sends an id as a string only the first time on that connection (one JSON string
 * array: any character may occur in an id), and the gateway keeps it under its number, so it parses an id string
 * once per connection, not once per answer. Frames on a connection are decoded in the order they were written, so
 * both ends agree; when the shard's numbering changes (its index was reloaded) or a per-connection numbering would
 * outgrow its cap, both ends start again (flag RESET).
 *
 *   int32 header[12]: format (1), flags (1 truncated, 2 reset), version low, version high, nodeCount, idCount,
 *                     frontierCount, edgeCount, layout (packed-expand.ts bits), newIdCount, newIdBytes, extraBytes
 *   int32 refs[idCount]       dictionary number of each id of the answer's id table
 *   int32 columns[...]        packed-expand.ts columns, in its order
 *   int32 newNumbers[newIdCount]  the numbers of the ids new to the dictionary
 *   newIdBytes bytes          JSON string array of those ids, padded to 4
 *   extraBytes bytes          JSON {unknownSeeds?, transformationSets?} when either is present
 */
import type { NodeId } from '@lineage-hub/model';
import type { CompactTraversalResult, NumberedTraversalResult } from '@lineage-hub/graph';
import { columnsAsColumnar, compactColumns, PACKED_FRONTIER_TYPES, PACKED_PROVENANCE, PACKED_TRANSFORMATIONS, type PackedColumns } from './packed-expand';
import type { ColumnarExpand, ExpandResponse } from './shard-rpc.contract';
import { LeanIdNumbering } from './lean-id-numbering';

export { LeanIdNumbering } from './lean-id-numbering';

const FORMAT = 1;
const TRUNCATED = 1;
const RESET = 2;
const HEADER_INTS = 12;
/** The largest id number a gateway keeps (a shard's node numbers stay far below). */
const MAX_NUMBER = 1 << 26;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * What a shard answers an expand with, before encoding (`columns` null: none of the seeds is held here). `compact`
 * (instead of columns): LineageIndex's answer as it came, written straight into the frame (encodeLeanAnswer); its
 * traverseHeldNumbers() form (no ids array: the ids new to the connection are read from the index's table) gives
 * the same bytes.
 */
export interface LeanExpandAnswer {
  version: number;
  truncated: boolean;
  unknownSeeds: string[];
  columns: PackedColumns | null;
  compact?: CompactTraversalResult | NumberedTraversalResult;
}

export class LeanAnswerError extends Error {
  constructor(what: string) {
    super(`malformed lean expand answer: ${what}`);
    this.name = 'LeanAnswerError';
  }
}

const fail = (what: string): never => {
  throw new LeanAnswerError(what);
};

const columnInts = (c: Pick<PackedColumns, 'nodeCount' | 'frontierCount' | 'edgeCount' | 'layout'>): number =>
  2 * c.nodeCount +
  (c.layout & PACKED_FRONTIER_TYPES ? 3 : 2) * c.frontierCount +
  (4 + (c.layout & PACKED_TRANSFORMATIONS ? 1 : 0) + (c.layout & PACKED_PROVENANCE ? 1 : 0)) * c.edgeCount;

const pad4 = (n: number) => (n + 3) & ~3;

/** The extras JSON of an answer, if it has any. */
const extrasText = (unknownSeeds: string[], transformationSets: unknown): string | null => {
  const extras: { unknownSeeds?: string[]; transformationSets?: unknown } = {};
  if (unknownSeeds.length > 0) extras.unknownSeeds = unknownSeeds;
  if (transformationSets) extras.transformationSets = transformationSets;
  return extras.unknownSeeds || extras.transformationSets ? JSON.stringify(extras) : null;
};

/**
 * Shard side: the ANSWER payload of `answer`, numbering its ids in `numbering` (this connection's), after `room` bytes
 * left free. An answer given as `compact` is written straight into the payload (the same bytes as its packed columns).
 */
export const encodeLeanAnswer = (answer: LeanExpandAnswer, numbering: LeanIdNumbering, room = 0): Buffer => {
  if (answer.compact) {
    if (LITTLE_ENDIAN) return encodeCompact(answer, answer.compact, numbering, room);
    return encodeLeanAnswer({ ...answer, compact: undefined, columns: compactColumns(withIds(answer.compact)) }, numbering, room);
  }
  const c = answer.columns;
  const ids = c?.ids ?? [];
  const refs = new Int32Array(ids.length);
  const fresh: string[] = [];
  const freshNumbers: number[] = [];
  const reset = numbering.number(ids, refs, fresh, freshNumbers, c?.nodeNumbers, c?.numbering);
  const freshText = fresh.length > 0 ? Buffer.from(JSON.stringify(fresh), 'utf8') : null;
  const extras = extrasText(answer.unknownSeeds, c?.transformationSets);
  const extraText = extras === null ? null : Buffer.from(extras, 'utf8');
  const columns = c?.columns ?? new Int32Array(0);
  const header = new Int32Array(HEADER_INTS);
  fillHeader(header, answer, reset, c?.nodeCount ?? 0, ids.length, c?.frontierCount ?? 0, c?.edgeCount ?? 0, c?.layout ?? 0, fresh.length, freshText?.length ?? 0, extraText?.length ?? 0);
  const ints = HEADER_INTS + refs.length + columns.length + fresh.length;
  const out = Buffer.alloc(room + ints * 4 + pad4(header[10]) + header[11]);
  let at = room;
  for (const part of [header, refs, columns, Int32Array.from(freshNumbers)]) at = writeInts(out, at, part);
  if (freshText) freshText.copy(out, at);
  at += pad4(header[10]);
  if (extraText) extraText.copy(out, at);
  return out;
};

/** A traverseHeldNumbers() answer with its ids array (big-endian hosts only: they copy every column anyway). */
const withIds = (r: CompactTraversalResult | NumberedTraversalResult): CompactTraversalResult => {
  if (!('idTable' in r)) return r;
  const { idTable, nodeCount: _n, unknownSeeds: _u, ...rest } = r;
  const ids = new Array<NodeId>(r.nodeCount);
  for (let i = 0; i < r.nodeCount; i++) ids[i] = idTable[r.nodeNumbers[i]];
  return { ...rest, ids };
};

const fillHeader = (
  header: Int32Array,
  answer: Pick<LeanExpandAnswer, 'truncated' | 'version'>,
  reset: boolean,
  ...counts: [nodeCount: number, idCount: number, frontierCount: number, edgeCount: number, layout: number, freshCount: number, freshBytes: number, extraBytes: number]
): void => {
  header[0] = FORMAT;
  header[1] = (answer.truncated ? TRUNCATED : 0) | (reset ? RESET : 0);
  header[2] = answer.version % 0x100000000;
  header[3] = Math.floor(answer.version / 0x100000000);
  for (let i = 0; i < counts.length; i++) header[4 + i] = counts[i];
};

/**
 * A traverseCompact() answer's payload (little-endian hosts), the same bytes compactColumns() + the packed path give:
 * each column written once into the frame's own buffer (int32 views at aligned offsets), no id table or column copies
 * in between, no zero-fill of what is written anyway.
 */
const encodeCompact = (answer: LeanExpandAnswer, r: CompactTraversalResult | NumberedTraversalResult, numbering: LeanIdNumbering, room: number): Buffer => {
  const numbered = 'idTable' in r && r.numbering > 0;
  if ('idTable' in r && !numbered) r = withIds(r);
  const n = 'idTable' in r ? r.nodeCount : r.ids.length;
  const m = r.edgeFrom.length;
  const f = r.frontier.length;
  const idCount = n + r.jobs.length;
  let reset: boolean;
  // the ids new to the connection: fresh[i] (an answer with ids), else table[freshNumbers[i]] (traverseHeldNumbers)
  let fresh: readonly string[];
  let freshNumbers: Int32Array | number[];
  let freshCount: number;
  let table: Int32Array | null = null;
  if ('idTable' in r) {
    reset = numbering.numberIndexed(r.nodeNumbers, r.numbering);
    fresh = r.idTable;
    freshCount = numbering.freshCount;
    freshNumbers = table = numbering.freshNumbers.subarray(0, freshCount);
  } else {
    const ids: string[] = [];
    const numbers: number[] = [];
    reset = numbering.number(r.jobs.length === 0 ? r.ids : [...r.ids, ...r.jobs], null, ids, numbers, r.nodeNumbers, r.numbering);
    fresh = ids;
    freshNumbers = numbers;
    freshCount = ids.length;
  }
  // ids that JSON would write as they are go straight into the frame; any other makes the whole array JSON.stringify's
  const plainBytes = freshCount > 0 ? plainJsonBytes(fresh, table, freshCount) : 0;
  const freshText = plainBytes < 0 ? JSON.stringify(table ? Array.from(table, (k) => fresh[k]) : fresh) : null;
  const freshBytes = freshText === null ? plainBytes : Buffer.byteLength(freshText, 'utf8');
  // every column edge has a transformations entry (traverseCompact), so the lists say whether there is one
  const column = r.transformationLists.length > 0;
  const extras = extrasText(answer.unknownSeeds, column ? r.transformationLists : undefined);
  const extraBytes = extras === null ? 0 : Buffer.byteLength(extras, 'utf8');
  const layout = (column ? PACKED_TRANSFORMATIONS : 0) | (r.edgeProvenance ? PACKED_PROVENANCE : 0);
  const ints = HEADER_INTS + idCount + columnInts({ nodeCount: n, frontierCount: f, edgeCount: m, layout }) + freshCount;
  // the payload starts at a multiple of 4 in the buffer: `lead` bytes before the frame's room
  const lead = (4 - (room & 3)) & 3;
  const bytes = Buffer.allocUnsafeSlow(lead + room + ints * 4 + pad4(freshBytes) + extraBytes);
  const v = new Int32Array(bytes.buffer, bytes.byteOffset + lead + room, ints);
  fillHeader(v, answer, reset, n, idCount, f, m, layout, freshCount, freshBytes, extraBytes);
  let at = HEADER_INTS;
  v.set(r.nodeNumbers, at);
  at += idCount;
  v.set(r.types, at);
  v.set(r.distances, (at += n));
  v.set(r.frontier, (at += n));
  at += f;
  for (let i = 0; i < f; i++) v[at + i] = r.distances[r.frontier[i]];
  v.set(r.edgeFrom, (at += f));
  v.set(r.edgeTo, (at += m));
  v.set(r.edgeKinds, (at += m));
  at += m;
  // reads/writes edges have no job field (-1); a column edge's job is a position in the id table (-2: job null)
  for (let k = 0; k < m; k++) v[at + k] = r.edgeKinds[k] !== 2 ? -1 : r.edgeJobs[k] < 0 ? -2 : n + r.edgeJobs[k];
  at += m;
  if (column) {
    v.set(r.edgeTransformations, at);
    at += m;
  }
  if (r.edgeProvenance) {
    v.set(r.edgeProvenance, at);
    at += m;
  }
  v.set(freshNumbers, at);
  let byte = lead + room + ints * 4;
  if (freshText !== null) byte += bytes.write(freshText, byte, 'utf8');
  else if (freshCount > 0) byte = writePlainJson(bytes, byte, fresh, table, freshCount);
  for (; byte < lead + room + ints * 4 + pad4(freshBytes); byte++) bytes[byte] = 0;
  if (extras !== null) bytes.write(extras, byte, 'utf8');
  if (room > 0) bytes.fill(0, lead, lead + room);
  return lead === 0 ? bytes : bytes.subarray(lead);
};

/**
 * The bytes of JSON.stringify(ids) (of `count` ids, each ids[at[k]] when `at` is given) when every id is printable ASCII without '"' or '\\' (JSON writes such a string
 * as it is, between quotes), else -1. Such ids are written by writePlainJson without building the JSON text on the
 * heap (for ids sent the first time on a connection it was most of what an expand allocated).
 */
export const plainJsonBytes = (ids: readonly string[], at: Int32Array | null = null, count = ids.length): number => {
  let bytes = 1 + count;
  for (let k = 0; k < count; k++) {
    const id = at ? ids[at[k]] : ids[k];
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return -1;
    }
    bytes += id.length + 2;
  }
  return bytes;
};

/** Node's Buffer method under write(text, at, 'latin1') (called directly: no encoding dispatch per id). */
type LatinWriter = Buffer & { latin1Write(text: string, at: number): number };

/** Writes JSON.stringify(ids) for ids plainJsonBytes() accepted, at `at`; returns the offset after it. */
const writePlainJson = (out: Buffer, at: number, ids: readonly string[], positions: Int32Array | null, count: number): number => {
  out[at++] = 0x5b;
  for (let k = 0; k < count; k++) {
    if (k > 0) out[at++] = 0x2c;
    out[at++] = 0x22;
    at += (out as LatinWriter).latin1Write(positions ? ids[positions[k]] : ids[k], at);
    out[at++] = 0x22;
  }
  out[at++] = 0x5d;
  return at;
};

const writeInts = (out: Buffer, at: number, ints: Int32Array): number => {
  if (LITTLE_ENDIAN) Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength).copy(out, at);
  else for (let i = 0; i < ints.length; i++) out.writeInt32LE(ints[i], at + i * 4);
  return at + ints.byteLength;
};

const readInts = (payload: Buffer, at: number, count: number): Int32Array => {
  if (LITTLE_ENDIAN && (payload.byteOffset + at) % 4 === 0) return new Int32Array(payload.buffer, payload.byteOffset + at, count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = payload.readInt32LE(at + i * 4);
  return out;
};

const parseJson = (payload: Buffer, at: number, bytes: number, what: string): unknown => {
  try {
    return JSON.parse(payload.toString('utf8', at, at + bytes));
  } catch {
    return fail(`${what} is not JSON`);
  }
};

/**
 * Gateway side, never sent: a decoded answer's ids as their numbers in the connection's dictionary (`ids[i] ===
 * idDictionary[idRefs[i]]`), so the gateway's merge can find an id it placed before without hashing its string.
 */
export interface LeanIdRefs {
  idDictionary?: readonly string[];
  idRefs?: Int32Array;
}

/**
 * Gateway side: the expand answer an ANSWER payload stands for, in the columnar form (Int32Array views, ids from
 * `dictionary`, which it extends with the ids new to it). Throws LeanAnswerError when the payload does not hold
 * together (sizes, numbers outside the dictionary); the columns are checked by columnarExpandAnswer as any other.
 */
export const decodeLeanAnswer = (payload: Buffer, dictionary: string[], domain: string): ExpandResponse & { columnar: ColumnarExpand & LeanIdRefs } => {
  if (payload.length < HEADER_INTS * 4) fail(`${payload.length} bytes is shorter than the header`);
  const header = readInts(payload, 0, HEADER_INTS);
  if (header[0] !== FORMAT) fail(`format ${header[0]} (this gateway reads format ${FORMAT})`);
  for (let i = 4; i < HEADER_INTS; i++) if (header[i] < 0) fail(`header[${i}] = ${header[i]}`);
  const [flags, low, high, nodeCount, idCount, frontierCount, edgeCount, layout, freshCount, freshBytes, extraBytes] = header.subarray(1);
  if (nodeCount > idCount) fail(`nodeCount ${nodeCount} exceeds idCount ${idCount}`);
  const counts = { nodeCount, frontierCount, edgeCount, layout };
  const ints = HEADER_INTS + idCount + columnInts(counts) + freshCount;
  const expected = ints * 4 + pad4(freshBytes) + extraBytes;
  if (payload.length !== expected) fail(`${payload.length} bytes, the header needs ${expected}`);
  if (flags & RESET) dictionary.length = 0;
  if (freshCount > 0) {
    const fresh = parseJson(payload, ints * 4, freshBytes, 'new ids');
    if (!Array.isArray(fresh) || fresh.length !== freshCount) fail(`new ids: expected ${freshCount} strings`);
    const numbers = readInts(payload, (ints - freshCount) * 4, freshCount);
    for (let i = 0; i < freshCount; i++) {
      const id = (fresh as unknown[])[i];
      const k = numbers[i];
      if (typeof id !== 'string') fail(`new ids[${i}]: not a string`);
      if (k < 0 || k >= MAX_NUMBER) fail(`new ids[${i}]: number ${k} is outside 0..${MAX_NUMBER - 1}`);
      while (dictionary.length < k) dictionary.push(undefined as unknown as string);
      dictionary[k] = id as string;
    }
  } else if (freshBytes !== 0) fail('new id bytes without new ids');
  const refs = readInts(payload, HEADER_INTS * 4, idCount);
  const ids: string[] = new Array(idCount);
  for (let i = 0; i < idCount; i++) {
    const k = refs[i];
    const id = k >= 0 ? dictionary[k] : undefined;
    if (id === undefined) fail(`ids[${i}] is number ${k}, which the dictionary does not hold`);
    ids[i] = id!;
  }
  const extras = (extraBytes > 0 ? parseJson(payload, ints * 4 + pad4(freshBytes), extraBytes, 'extras') : {}) as {
    unknownSeeds?: unknown;
    transformationSets?: PackedColumns['transformationSets'];
  };
  if (!extras || typeof extras !== 'object') fail('extras');
  const unknownSeeds = extras.unknownSeeds ?? [];
  if (!Array.isArray(unknownSeeds) || !unknownSeeds.every((s) => typeof s === 'string')) fail('unknownSeeds');
  const columns = readInts(payload, (HEADER_INTS + idCount) * 4, columnInts(counts));
  const columnar: ColumnarExpand & LeanIdRefs = columnsAsColumnar({ ids, ...counts, columns, ...(extras.transformationSets ? { transformationSets: extras.transformationSets } : {}) });
  columnar.idDictionary = dictionary;
  columnar.idRefs = refs;
  return {
    nodes: [],
    edges: [],
    frontier: [],
    truncated: (flags & TRUNCATED) !== 0,
    domain,
    version: (low >>> 0) + high * 0x100000000,
    unknownSeeds: unknownSeeds as NodeId[],
    columnar,
  };
};
