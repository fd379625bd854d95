/**
 * Edges as a struct of typed arrays, one slot per edge interval (a LineageEdge or ColumnEdge with its
 * validity). Slots are appended; an owner's replaced edges are killed (tombstoned) and reclaimed by
 * `compact()`. Because a group is appended in one go, an owner's live slots are always one contiguous range.
 */
import type { Provenance } from '@lineage-hub/model';

export const enum EdgeKindCode {
  Reads = 0,
  Writes = 1,
  Column = 2,
}

export const EDGE_KIND_NAMES = ['reads', 'writes', 'column'] as const;
export const PROVENANCE_NAMES: readonly Provenance[] = ['declared', 'observed', 'manual'];

export const provenanceCode = (p: Provenance | undefined): number => {
  const code = PROVENANCE_NAMES.indexOf(p ?? 'declared');
  return code < 0 ? 0 : code;
};

export class EdgeTable {
  from = new Int32Array(0);
  to = new Int32Array(0);
  /** The job of a column edge (-1 when job-less); the job of a reads/writes edge is its job endpoint. */
  job = new Int32Array(0);
  owner = new Int32Array(0);
  /** TransformationSets int (column edges; 0 = none). */
  trans = new Int32Array(0);
  kind = new Uint8Array(0);
  provenance = new Uint8Array(0);
  alive = new Uint8Array(0);
  validFrom = new Float64Array(0);
  /** +Infinity while open (validTo null). */
  validTo = new Float64Array(0);
  /** Slots used (live and dead). */
  length = 0;
  live = 0;

  reserve(capacity: number): void {
    if (capacity <= this.from.length) return;
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, this.length) as any);
      return b;
    };
    this.from = grow(this.from, (n) => new Int32Array(n));
    this.to = grow(this.to, (n) => new Int32Array(n));
    this.job = grow(this.job, (n) => new Int32Array(n));
    this.owner = grow(this.owner, (n) => new Int32Array(n));
    this.trans = grow(this.trans, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.provenance = grow(this.provenance, (n) => new Uint8Array(n));
    this.alive = grow(this.alive, (n) => new Uint8Array(n));
    this.validFrom = grow(this.validFrom, (n) => new Float64Array(n));
    this.validTo = grow(this.validTo, (n) => new Float64Array(n));
  }

  append(from: number, to: number, kind: number, job: number, owner: number, trans: number, provenance: number, validFrom: number, validTo: number | null): number {
    if (this.length === this.from.length) this.reserve(this.length + Math.max(1024, this.length >> 2)); // grow by chunks of a quarter
    const s = this.length++;
    this.from[s] = from;
    this.to[s] = to;
    this.kind[s] = kind;
    this.job[s] = job;
    this.owner[s] = owner;
    this.trans[s] = trans;
    this.provenance[s] = provenance;
    this.alive[s] = 1;
    this.validFrom[s] = validFrom;
    this.validTo[s] = validTo === null ? Infinity : validTo;
    this.live++;
    return s;
  }

  kill(slot: number): void {
    if (this.alive[slot] === 0) return;
    this.alive[slot] = 0;
    this.live--;
  }

  isValid(slot: number, asOf: number | undefined): boolean {
    if (this.alive[slot] === 0) return false;
    return asOf === undefined ? this.validTo[slot] === Infinity : this.validFrom[slot] <= asOf && asOf < this.validTo[slot];
  }

  /**
   * Drops dead slots (keeping slot order, so owner ranges stay contiguous) and trims capacity to `spare`
   * extra slots. Returns old slot -> new slot (-1 for dropped).
   */
  compact(spare: number): Int32Array {
    const remap = new Int32Array(this.length).fill(-1);
    let w = 0;
    for (let s = 0; s < this.length; s++) {
      if (this.alive[s] === 0) continue;
      remap[s] = w;
      if (w !== s) {
        this.from[w] = this.from[s];
        this.to[w] = this.to[s];
        this.job[w] = this.job[s];
        this.owner[w] = this.owner[s];
        this.trans[w] = this.trans[s];
        this.kind[w] = this.kind[s];
        this.provenance[w] = this.provenance[s];
        this.alive[w] = 1;
        this.validFrom[w] = this.validFrom[s];
        this.validTo[w] = this.validTo[s];
      }
      w++;
    }
    this.length = w;
    this.live = w;
    const capacity = w + spare;
    if (capacity < this.from.length) {
      const trim = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => a.slice(0, capacity) as T;
      this.from = trim(this.from);
      this.to = trim(this.to);
      this.job = trim(this.job);
      this.owner = trim(this.owner);
      this.trans = trim(this.trans);
      this.kind = trim(this.kind);
      this.provenance = trim(this.provenance);
      this.alive = trim(this.alive);
      this.validFrom = trim(this.validFrom);
      this.validTo = trim(this.validTo);
    }
    return remap;
  }

  bytes(): number {
    return (
      this.from.byteLength + this.to.byteLength + this.job.byteLength + this.owner.byteLength + this.trans.byteLength +
      this.kind.byteLength + this.provenance.byteLength + this.alive.byteLength + this.validFrom.byteLength + this.validTo.byteLength
    );
  }
}
