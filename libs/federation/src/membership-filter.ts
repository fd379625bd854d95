/**
 * The compact membership filter a shard publishes of the node ids it holds (bloom-filters' BloomFilter).
 * The shard builds it from its canonical ids; the gateway asks it "may this shard hold X?" before sending X on.
 * No false negatives, so routing by it never loses an answer; false positives only cost a message.
 */
import { BloomFilter, Hashing } from 'bloom-filters';
import type { SerializedFilter } from './shard-rpc.contract';

/**
 * The library's Hashing with its documented extension point used: two 32-bit FNV-1a/murmur-finalised
 * hashes of the id instead of xxhashjs's 64-bit emulation, and enhanced double hashing done incrementally. The gateway checks every
 * frontier node against every shard's filter, so this is on the hot path. Filters say which hashing built them.
 */
export const FAST_HASHING = 'fnv1a-2x32-edh';

const fmix = (h: number) => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** An id's two base hashes under a filter's seed (FAST_HASHING filters): computed once, tested against every filter with that seed. */
export interface IdHash {
  seed: number;
  first: number;
  second: number;
}

/** Writes the id's hashes under `seed` into `out` (no allocation: the gateway routes every reached id). */
export const hashId = (out: IdHash, id: string, seed: number): IdHash => {
  let a = 0x811c9dc5 ^ seed;
  let b = 0x9747b28c ^ Math.imul(seed, 0x5bd1e995);
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  out.seed = seed;
  out.first = fmix(a);
  out.second = (fmix(b) | 1) >>> 0;
  return out;
};

class FastHashing extends Hashing {
  // The gateway checks one id against every shard's filter in a row: hash it once.
  private lastText = '';
  private readonly last: IdHash = { seed: -1, first: 0, second: 0 };

  override hashTwice(value: unknown, seed = 0): { first: number; second: number } {
    const text = String(value);
    if (text !== this.lastText || seed !== this.last.seed) {
      hashId(this.last, text, seed);
      this.lastText = text;
    }
    return { first: this.last.first, second: this.last.second };
  }

  /** Enhanced double hashing (the library's scheme), computed incrementally. */
  override getIndexes(element: unknown, size: number, hashCount: number, seed?: number): number[] {
    const { first, second } = this.hashTwice(element, seed);
    let x = first % size;
    let y = second % size;
    const out = new Array<number>(hashCount);
    for (let i = 0; i < hashCount; i++) {
      out[i] = x;
      x = (x + y) % size;
      y = (y + i + 1) % size;
    }
    return out;
  }
}

const fastHashing = new FastHashing();

/**
 * The seed bloom-filters gives every filter it creates (buildMembershipFilter takes it): the gateway keeps each id's
 * hashes under it from the moment it numbers the id (gateway-id-numbers.ts), so routing by filters with this seed
 * hashes no id again.
 */
export const FILTER_SEED: number = BloomFilter.create(16, 0.5).seed;

/** 1 in 10,000: a false positive costs a wasted message and, rarely, a wasted round. */
export const DEFAULT_FILTER_ERROR_RATE = 0.0001;

export interface MembershipFilter {
  mayHold(id: string): boolean;
  readonly items: number;
  /** FAST_HASHING filters: the seed their ids are hashed with, and mayHold for an id already hashed with it (hashId). */
  readonly seed?: number;
  mayHoldHash?(hash: IdHash): boolean;
}

/** Builds the filter a shard publishes (FilterResponse.filter). An empty set still gives a valid filter. */
export const buildMembershipFilter = (
  ids: Iterable<string>,
  errorRate = DEFAULT_FILTER_ERROR_RATE,
): SerializedFilter => {
  const unique = new Set(ids);
  const filter = BloomFilter.create(Math.max(unique.size, 16), errorRate);
  filter._hashing = fastHashing;
  for (const id of unique) filter.add(id);
  return { kind: 'bloom', data: filter.saveAsJSON(), items: unique.size, hashing: FAST_HASHING };
};

/**
 * The two directional filters a shard may publish beside its full one (FilterResponse.downstream/upstream):
 * every `from` of its lineage and column edges, and every `to`.
 */
export const buildDirectionalFilters = (
  edges: Iterable<{ from: string; to: string }>,
  errorRate = DEFAULT_FILTER_ERROR_RATE,
): { downstream: SerializedFilter; upstream: SerializedFilter } => {
  const froms = new Set<string>();
  const tos = new Set<string>();
  for (const edge of edges) {
    froms.add(edge.from);
    tos.add(edge.to);
  }
  return { downstream: buildMembershipFilter(froms, errorRate), upstream: buildMembershipFilter(tos, errorRate) };
};

export const loadMembershipFilter = (serialized: SerializedFilter): MembershipFilter => {
  if (serialized?.kind !== 'bloom') throw new Error(`unsupported membership filter kind "${serialized?.kind}"`);
  const filter = BloomFilter.fromJSON(serialized.data as any);
  if (serialized.hashing === FAST_HASHING) {
    filter._hashing = fastHashing;
    // Same indexes as FastHashing.getIndexes, tested as they are made: a miss usually stops at the first bit.
    const bits = filter._filter;
    const size = filter._size;
    const hashes = filter._nbHashes;
    const seed = filter.seed;
    const array: Uint8Array = bits.array;
    const mayHoldHash = (hash: IdHash) => {
      let x = hash.first % size;
      let y = hash.second % size;
      // x, y < size: subtraction gives the same indexes as the modulo without a division per probe
      for (let i = 0; i < hashes; i++) {
        if ((array[x >>> 3] & (1 << (x & 7))) === 0) return false;
        x += y;
        if (x >= size) x -= size;
        y += i + 1;
        while (y >= size) y -= size;
      }
      return true;
    };
    const scratch: IdHash = { seed, first: 0, second: 0 };
    return { mayHold: (id: string) => mayHoldHash(hashId(scratch, id, seed)), mayHoldHash, seed, items: serialized.items };
  }
  if (serialized.hashing !== undefined) throw new Error(`unsupported membership filter hashing "${serialized.hashing}"`);
  return { mayHold: (id) => filter.has(id), items: serialized.items };
};

/** A filter that says "maybe" to everything: used for a shard whose filter has not arrived yet. */
export const acceptAllFilter: MembershipFilter = { mayHold: () => true, items: -1 };
