/**
 * The gateway's id numbers, shared by its traversals: a node id gets one number the first time any traversal meets
 * it and keeps it while the gateway runs (up to GATEWAY_ID_CAP ids: then a new numbering starts for the traversals
 * that begin after, and running ones keep theirs). What hangs on a number outlives a traversal:
 * - a lean link's dictionary number -> gateway number (hints, checked against the id, so a dictionary that started
 *   again only costs the lookup): a traversal's table places an id that came by number without hashing its string;
 * - the id's two base Bloom hashes under the seed the shards' filters are built with (FILTER_SEED): computed when the
 *   id is numbered and kept, they are also what finds its number (an open-addressing table over numbers, probed by the
 *   first hash), so an id string is hashed once, in one pass, for both; no Map keyed by strings (its hashing, its
 *   rehashing as it grows, and millions of entries for the garbage collector to mark);
 * - the number -> table place arrays of finished traversals, cleared and lent to the next (no 4 bytes per gateway
 *   id allocated per query);
 * - per routing kind (full / downstream / upstream filters), what each shard's filter said of the id: a reached id is
 *   tested against a filter once while that filter stands, not once per traversal (one 32-bit word per id for all
 *   shards, instead of a few random probes into each of their Bloom filters).
 */
import { FILTER_SEED, hashId, type IdHash, type MembershipFilter } from './membership-filter';
import { grow } from './typed-grow';

/** Ids numbered before a numbering starts again (memory: the ids' strings are held by the shards' links anyway). */
export const GATEWAY_ID_CAP = 1 << 22;

/** Per gateway number: its two base hashes under `seed` (hashed[g] = 1 once computed). */
export interface GatewayIdHashes {
  seed: number;
  hashed: Uint8Array;
  first: Uint32Array;
  second: Uint32Array;
}

/** The hashes under FILTER_SEED: kept per number by the numbering itself (hashOf reads them there). */
const KEPT: GatewayIdHashes = { seed: FILTER_SEED, hashed: new Uint8Array(0), first: new Uint32Array(0), second: new Uint32Array(0) };

/** Shards a verdict word covers (bit s: filter s was asked; bit 16 + s: it said "may hold"). */
export const VERDICT_SHARDS = 16;

interface Verdicts {
  /** The filters the words describe, by shard position (identity: a refreshed filter is a new object). */
  filters: readonly MembershipFilter[];
  words: Uint32Array;
}

export class GatewayIdNumbers {
  readonly ids: string[] = [];
  /** Per number: the id's two base hashes under FILTER_SEED. */
  private first = new Uint32Array(1024);
  private second = new Uint32Array(1024);
  /** Open addressing (linear probing) over numbers + 1 (0: empty), from the id's first hash; at most half full. */
  private slots = new Int32Array(2048);
  private readonly scratch: IdHash = { seed: FILTER_SEED, first: 0, second: 0 };
  /** Per lean link dictionary: its numbers' gateway numbers + 1 (0: not yet seen). */
  private readonly hints = new WeakMap<readonly string[], Int32Array>();
  private hashCache: GatewayIdHashes | null = null;
  /** Cleared place arrays (all zero) of finished traversals. */
  private readonly places: Int32Array[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** The id's number (a new one the first time). */
  number(id: string): number {
    const h = hashId(this.scratch, id, FILTER_SEED).first;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = slots[i] - 1;
      if (at < 0) {
        const g = this.ids.length;
        this.ids.push(id);
        if (g >= this.first.length) {
          this.first = grow(this.first, g + 1);
          this.second = grow(this.second, g + 1);
        }
        this.first[g] = h;
        this.second[g] = this.scratch.second;
        slots[i] = g + 1;
        if ((g + 1) * 2 > slots.length) this.rehash();
        return g;
      }
      if (this.first[at] === h && this.ids[at] === id) return at;
    }
  }

  /** The id's number, or -1 when no traversal met it. */
  peek(id: string): number {
    const h = hashId(this.scratch, id, FILTER_SEED).first;
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = this.slots[i] - 1;
      if (at < 0) return -1;
      if (this.first[at] === h && this.ids[at] === id) return at;
    }
  }

  /** Twice the slots, every number put back by its kept hash (no id hashed again). */
  private rehash(): void {
    const slots = (this.slots = new Int32Array(this.slots.length * 2));
    const mask = slots.length - 1;
    for (let g = 0; g < this.ids.length; g++) {
      let i = this.first[g] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = g + 1;
    }
  }

  /**
   * Fills `out` with the numbers of `ids`, which came numbered by a lean link (`ids[i] === dictionary[refs[i]]`):
   * a dictionary number seen before gives the gateway number straight away, once the id under it is still the same.
   */
  numberRefs(ids: readonly string[], dictionary: readonly string[], refs: Int32Array, out: Int32Array): void {
    let hints = this.hints.get(dictionary);
    if (!hints || hints.length < dictionary.length) {
      const next = grow(hints ?? new Int32Array(0), Math.max(dictionary.length, 1024));
      this.hints.set(dictionary, (hints = next));
    }
    const known = this.ids;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      const k = refs[i];
      const g = hints[k] - 1;
      if (g >= 0 && known[g] === id) out[i] = g;
      else hints[k] = (out[i] = this.number(id)) + 1;
    }
  }

  /** The hashes of every number so far under `seed` (FILTER_SEED: those kept since numbering; else a cache, computed on demand by `hashOf`). */
  hashes(seed: number): GatewayIdHashes {
    if (seed === FILTER_SEED) return KEPT;
    const n = this.ids.length;
    let h = this.hashCache;
    if (!h || h.seed !== seed) h = this.hashCache = { seed, hashed: new Uint8Array(Math.max(n, 1024)), first: new Uint32Array(Math.max(n, 1024)), second: new Uint32Array(Math.max(n, 1024)) };
    else if (h.hashed.length < n) h = this.hashCache = { seed, hashed: grow(h.hashed, n), first: grow(h.first, n), second: grow(h.second, n) };
    return h;
  }

  /** Sets `hash` to number g's base hashes under `h.seed` (computed once, then cached). */
  hashOf(h: GatewayIdHashes, g: number, hash: IdHash): IdHash {
    if (h === KEPT) {
      hash.seed = FILTER_SEED;
      hash.first = this.first[g];
      hash.second = this.second[g];
      return hash;
    }
    if (!h.hashed[g]) {
      hashId(hash, this.ids[g], h.seed);
      h.first[g] = hash.first;
      h.second[g] = hash.second;
      h.hashed[g] = 1;
      return hash;
    }
    hash.seed = h.seed;
    hash.first = h.first[g];
    hash.second = h.second[g];
    return hash;
  }

  private readonly verdictKinds = new Map<string, Verdicts>();

  /**
   * The verdict words (per gateway number) of routing kind `kind` over `filters` (by shard position); null beyond
   * VERDICT_SHARDS shards. A filter that is not the one the words were made with (refreshed) has its bits cleared;
   * a different number of shards starts the words again.
   */
  verdicts(kind: string, filters: readonly MembershipFilter[]): Uint32Array | null {
    if (filters.length > VERDICT_SHARDS) return null;
    const n = Math.max(this.ids.length, 1024);
    let v = this.verdictKinds.get(kind);
    if (!v || v.filters.length !== filters.length) {
      v = { filters: [...filters], words: new Uint32Array(n) };
      this.verdictKinds.set(kind, v);
      return v.words;
    }
    let stale = 0;
    for (let s = 0; s < filters.length; s++) if (v.filters[s] !== filters[s]) stale |= (1 << s) | (1 << (s + VERDICT_SHARDS));
    if (stale) {
      const keep = ~stale >>> 0;
      const words = v.words;
      for (let g = 0; g < words.length; g++) if (words[g]) words[g] &= keep;
      v.filters = [...filters];
    }
    if (v.words.length < n) v.words = grow(v.words, n);
    return v.words;
  }

  /** A place array (number -> table place + 1), all zero, at least as long as the numbers so far. */
  borrowPlaces(): Int32Array {
    const places = this.places.pop() ?? new Int32Array(0);
    return places.length >= this.ids.length ? places : new Int32Array(Math.max(this.ids.length, 1024, places.length * 2));
  }

  /** Gives back a place array whose used entries (`numbers`, the first `count`) the caller set: they are cleared here. */
  returnPlaces(places: Int32Array, numbers: Int32Array, count: number): void {
    for (let i = 0; i < count; i++) places[numbers[i]] = 0;
    if (this.places.length < 4) this.places.push(places);
  }
}

let current = new GatewayIdNumbers();

/** The numbering new traversals use (a fresh one once the current holds GATEWAY_ID_CAP ids). */
export const gatewayIdNumbers = (): GatewayIdNumbers => {
  if (current.size >= GATEWAY_ID_CAP) current = new GatewayIdNumbers();
  return current;
};
