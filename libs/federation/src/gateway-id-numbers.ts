/**
 * The gateway's id numbers, shared by its traversals: a node id gets one number the first time any traversal meets
 * it and keeps it while the gateway runs (up to GATEWAY_ID_CAP ids: then a new numbering starts for the traversals
 * that begin after, and running ones keep theirs). What hangs on a number outlives a traversal:
 * - a lean link's dictionary number -> gateway number (hints, checked against the id, so a dictionary that started
 *   again only costs the lookup): a traversal's table places an id that came by number without hashing its string;
 * - the id's two base Bloom hashes under the filters' seed: a reached id is hashed once, not once per traversal;
 * - the number -> table place arrays of finished traversals, cleared and lent to the next (no 4 bytes per gateway
 *   id allocated per query);
 * - per routing kind (full / downstream / upstream filters), what each shard's filter said of the id: a reached id is
 *   tested against a filter once while that filter stands, not once per traversal (one 32-bit word per id for all
 *   shards, instead of a few random probes into each of their Bloom filters).
 */
import { hashId, type IdHash, type MembershipFilter } from './membership-filter';
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

/** Shards a verdict word covers (bit s: filter s was asked; bit 16 + s: it said "may hold"). */
export const VERDICT_SHARDS = 16;

interface Verdicts {
  /** The filters the words describe, by shard position (identity: a refreshed filter is a new object). */
  filters: readonly MembershipFilter[];
  words: Uint32Array;
}

export class GatewayIdNumbers {
  readonly ids: string[] = [];
  private readonly numbers = new Map<string, number>();
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
    let g = this.numbers.get(id);
    if (g === undefined) {
      g = this.ids.length;
      this.ids.push(id);
      this.numbers.set(id, g);
    }
    return g;
  }

  /** The id's number, or -1 when no traversal met it. */
  peek(id: string): number {
    return this.numbers.get(id) ?? -1;
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

  /** The hashes of every number so far under `seed` (a cache: computed on demand by `hashOf`). */
  hashes(seed: number): GatewayIdHashes {
    const n = this.ids.length;
    let h = this.hashCache;
    if (!h || h.seed !== seed) h = this.hashCache = { seed, hashed: new Uint8Array(Math.max(n, 1024)), first: new Uint32Array(Math.max(n, 1024)), second: new Uint32Array(Math.max(n, 1024)) };
    else if (h.hashed.length < n) h = this.hashCache = { seed, hashed: grow(h.hashed, n), first: grow(h.first, n), second: grow(h.second, n) };
    return h;
  }

  /** Sets `hash` to number g's base hashes under `h.seed` (computed once, then cached). */
  hashOf(h: GatewayIdHashes, g: number, hash: IdHash): IdHash {
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
