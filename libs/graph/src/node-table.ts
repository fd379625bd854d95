/**
 * Node interning for the lineage index: every node id string is stored once and given a dense int, so
 * adjacency, validity and traversal state live in typed arrays indexed by that int.
 */
import { invalidArgument, type NodeId, type NodeType } from '@lineage-hub/model';

export const enum NodeKindCode {
  Dataset = 0,
  Job = 1,
  Field = 2,
}

const TYPE_NAMES: readonly NodeType[] = ['DATASET', 'JOB', 'DATASET_FIELD'];

export const nodeTypeName = (code: number): NodeType => TYPE_NAMES[code];

/** The kind of a node id by its prefix, or -1 when it is not a dataset, datasetField or job id. */
export const kindOfId = (id: string): number => {
  if (id.startsWith('dataset:')) return NodeKindCode.Dataset;
  if (id.startsWith('job:')) return NodeKindCode.Job;
  if (id.startsWith('datasetField:')) return NodeKindCode.Field;
  return -1;
};

/** Throws invalid-argument naming `field` unless `id` is a dataset, datasetField or job id with a body. */
export const requireGraphId = (id: unknown, field: string): NodeId => {
  if (typeof id !== 'string' || kindOfId(id) < 0 || id.indexOf(':') === id.length - 1) {
    throw invalidArgument(field, `expected a dataset:, datasetField: or job: node id, got ${JSON.stringify(id)}`);
  }
  return id as NodeId;
};

/** "datasetField:{ns}:{name}:{field}" -> "dataset:{ns}:{name}" (a field is what follows the last ":"). */
export const fieldDatasetId = (fieldId: string): string => {
  const last = fieldId.lastIndexOf(':');
  return `dataset:${fieldId.slice('datasetField:'.length, last)}`;
};

/** "dataset:{ns}:{name}" + "col" -> "datasetField:{ns}:{name}:col". */
export const fieldOnDataset = (datasetIdText: string, fieldId: string): string =>
  `datasetField:${datasetIdText.slice('dataset:'.length)}${fieldId.slice(fieldId.lastIndexOf(':'))}`;

let tables = 0;

export class NodeTable {
  /** Unique in this process: node numbers of one table never change (append-only), a new table numbers anew. */
  readonly serial = ++tables;
  private index = new Map<string, number>();
  ids: string[] = [];
  /** NodeKindCode per node. */
  kinds = new Uint8Array(1024);
  /** For a datasetField node: its dataset node; -1 otherwise. */
  fieldDataset = new Int32Array(1024).fill(-1);
  /** Sum of id string lengths, for the bytes estimate. */
  idChars = 0;
  /** ids[0, flatIds) are flat strings (flattenIds). */
  private flatIds = 0;

  get size(): number {
    return this.ids.length;
  }

  get capacity(): number {
    return this.kinds.length;
  }

  lookup(id: string): number {
    const found = this.index.get(id);
    return found === undefined ? -1 : found;
  }

  /** The int of `id`, interning it (and, for a field, its dataset) when new. `id` must pass kindOfId. */
  intern(id: string): number {
    const found = this.index.get(id);
    if (found !== undefined) return found;
    const kind = kindOfId(id);
    const n = this.ids.length;
    if (n === this.kinds.length) this.resize(Math.max(1024, Math.ceil(n * 1.5)));
    this.ids.push(id);
    this.index.set(id, n);
    this.kinds[n] = kind;
    this.idChars += id.length;
    if (kind === NodeKindCode.Field) {
      const dataset = this.intern(fieldDatasetId(id)); // may grow the arrays: read them after
      this.fieldDataset[n] = dataset;
    }
    return n;
  }

  /**
   * Replaces the ids interned since the last call with flat copies (map keys too). An id built by concatenation
   * (template literals, the ingest's id builders, a generated mesh) is a V8 rope, and stays one when read: every
   * JSON.stringify of it (a shard sending the id to a gateway), every map lookup comparing with it walks the rope
   * again, ~4x the cost of a flat string. A JSON round trip of a few thousand ids at a time yields flat strings.
   */
  flattenIds(): void {
    const ids = this.ids;
    const from = this.flatIds;
    // most ids new (a load): a new map keyed by the copies (deleting and re-adding would leave the old one's table grown)
    const rebuild = ids.length - from > from;
    const index = rebuild ? new Map<string, number>() : this.index;
    if (rebuild) for (let n = 0; n < from; n++) index.set(ids[n], n);
    for (let start = from; start < ids.length; start += 4096) {
      const copies = JSON.parse(JSON.stringify(ids.slice(start, start + 4096))) as string[];
      for (let i = 0; i < copies.length; i++) {
        if (!rebuild) index.delete(ids[start + i]);
        ids[start + i] = copies[i];
        index.set(copies[i], start + i);
      }
    }
    this.index = index;
    this.flatIds = ids.length;
  }

  reserve(count: number): void {
    if (count > this.kinds.length) this.resize(count);
  }

  /** Grows or trims the per-node arrays to `capacity` (at least the node count). */
  resize(capacity: number): void {
    capacity = Math.max(capacity, this.ids.length);
    const kinds = new Uint8Array(capacity);
    kinds.set(this.kinds.subarray(0, this.ids.length));
    this.kinds = kinds;
    const fieldDataset = new Int32Array(capacity).fill(-1);
    fieldDataset.set(this.fieldDataset.subarray(0, this.ids.length));
    this.fieldDataset = fieldDataset;
  }

  /** Typed-array bytes plus an estimate of the strings and the id map (V8: ~16 bytes per string header, ~40 per map entry). */
  bytes(): number {
    return this.kinds.byteLength + this.fieldDataset.byteLength + this.idChars + this.ids.length * (16 + 8 + 40);
  }
}
