/**
 * The compact membership filter a shard publishes of the node ids it holds (bloom-filters' BloomFilter).
 * The shard builds it from its canonical ids; the gateway asks it "may this shard hold X?" before sending X on.
 * No false negatives, so routing by it never loses an answer; false positives only cost a message.
 */
import { BloomFilter } from 'bloom-filters';
import type { SerializedFilter } from './shard-rpc.contract';

/** 1 in 10,000: a false positive costs a wasted message and, rarely, a wasted round. */
export const DEFAULT_FILTER_ERROR_RATE = 0.0001;

export interface MembershipFilter {
  mayHold(id: string): boolean;
  readonly items: number;
}

/** Builds the filter a shard publishes (FilterResponse.filter). An empty set still gives a valid filter. */
export const buildMembershipFilter = (
  ids: Iterable<string>,
  errorRate = DEFAULT_FILTER_ERROR_RATE,
): SerializedFilter => {
  const unique = new Set(ids);
  const filter = BloomFilter.create(Math.max(unique.size, 16), errorRate);
  for (const id of unique) filter.add(id);
  return { kind: 'bloom', data: filter.saveAsJSON(), items: unique.size };
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
  return { mayHold: (id) => filter.has(id), items: serialized.items };
};

/** A filter that says "maybe" to everything: used for a shard whose filter has not arrived yet. */
export const acceptAllFilter: MembershipFilter = { mayHold: () => true, items: -1 };
