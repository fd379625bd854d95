/**
 * One direction of adjacency (out: keyed by an edge's canonical `from`; in: by its canonical `to`):
 * a CSR built over all live slots, plus an append path for slots added since the build. The CSR keeps,
 * per entry, the neighbour, the slot and a flag byte (alive, open, kind), so the common "currently valid
 * edges of kind K" test is one byte compare on memory read in order.
 */
import { EdgeTable } from './edge-table';

export const FLAG_ALIVE = 1;
export const FLAG_OPEN = 2;
/** Flag byte of a live, open edge of `kind`. */
export const openFlags = (kind: number): number => FLAG_ALIVE | FLAG_OPEN | (kind << 2);
/** Flag bits that must equal (FLAG_ALIVE | kind << 2) for a live edge of `kind`, open or not. */
export const LIVE_KIND_MASK = FLAG_ALIVE | (3 << 2);

const flagsOf = (edges: EdgeTable, slot: number): number =>
  edges.alive[slot] === 0 ? 0 : FLAG_ALIVE | (edges.validTo[slot] === Infinity ? FLAG_OPEN : 0) | (edges.kind[slot] << 2);

export class Adjacency {
  /** CSR row starts for nodes [0, builtNodes); row u is [offsets[u], offsets[u + 1]). */
  offsets = new Int32Array(1);
  nbr = new Int32Array(0);
  slot = new Int32Array(0);
  flags = new Uint8Array(0);
  builtNodes = 0;
  /** Slots appended since the build, by key node; hasExtra[u] = 1 when u has some (skips the map lookup). */
  readonly extra = new Map<number, number[]>();
  hasExtra = new Uint8Array(0);
  extraCount = 0;

  constructor(private readonly outgoing: boolean) {}

  build(nodeCount: number, edges: EdgeTable, canon: Int32Array): void {
    const keyOf = this.outgoing ? edges.from : edges.to;
    const nbrOf = this.outgoing ? edges.to : edges.from;
    const offsets = new Int32Array(nodeCount + 1);
    for (let s = 0; s < edges.length; s++) if (edges.alive[s] === 1) offsets[canon[keyOf[s]] + 1]++;
    for (let u = 0; u < nodeCount; u++) offsets[u + 1] += offsets[u];
    const total = offsets[nodeCount];
    const nbr = new Int32Array(total);
    const slot = new Int32Array(total);
    const flags = new Uint8Array(total);
    const fill = offsets.slice(0, nodeCount);
    for (let s = 0; s < edges.length; s++) {
      if (edges.alive[s] === 0) continue;
      const i = fill[canon[keyOf[s]]]++;
      nbr[i] = canon[nbrOf[s]];
      slot[i] = s;
      flags[i] = flagsOf(edges, s);
    }
    this.offsets = offsets;
    this.nbr = nbr;
    this.slot = slot;
    this.flags = flags;
    this.builtNodes = nodeCount;
    this.extra.clear();
    this.hasExtra = new Uint8Array(0);
    this.extraCount = 0;
  }

  add(key: number, slot: number): void {
    const list = this.extra.get(key);
    if (list) list.push(slot);
    else this.extra.set(key, [slot]);
    if (key >= this.hasExtra.length) {
      const grown = new Uint8Array(Math.max(1024, key + 1, Math.ceil(this.hasExtra.length * 1.5)));
      grown.set(this.hasExtra);
      this.hasExtra = grown;
    }
    this.hasExtra[key] = 1;
    this.extraCount++;
  }

  /** The slots appended under u since the build, if any. */
  extraOf(u: number): number[] | undefined {
    return u < this.hasExtra.length && this.hasExtra[u] === 1 ? this.extra.get(u) : undefined;
  }

  /** Forgets `slot` under `key` (the canonical node it was placed under). */
  remove(key: number, slot: number): void {
    if (key < this.builtNodes) {
      for (let i = this.offsets[key], end = this.offsets[key + 1]; i < end; i++) {
        if (this.slot[i] === slot && this.flags[i] !== 0) {
          this.flags[i] = 0;
          return;
        }
      }
    }
    const list = this.extra.get(key);
    if (!list) return;
    const at = list.indexOf(slot);
    if (at < 0) return;
    list.splice(at, 1);
    this.extraCount--;
    if (list.length === 0) {
      this.extra.delete(key);
      this.hasExtra[key] = 0;
    }
  }

  bytes(): number {
    return this.offsets.byteLength + this.nbr.byteLength + this.slot.byteLength + this.flags.byteLength + this.hasExtra.byteLength + this.extraCount * 8 + this.extra.size * 64;
  }
}
