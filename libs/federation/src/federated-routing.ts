/**
 * A federated round's routing (federated-traversal.ts): which shard gets which of the work. The membership filters
 * say who may hold an id (or walk on from it), `expanded` says who expanded it already at that distance or closer.
 */
import type { NodeId } from '@lineage-hub/model';
import type { FederatedAliases } from './federated-aliases';
import type { FederatedTable } from './federated-table';
import type { FederatedStats, FederatedQuery, FederationShard } from './federated-traversal.types';
import type { FederatedWork } from './federated-work';
import { hashId, type IdHash, type MembershipFilter } from './membership-filter';
import { VERDICT_SHARDS } from './gateway-id-numbers';
import type { ExpandRequest } from './shard-rpc.contract';
import { grow } from './typed-grow';

/** A round's requests: seeds by domain. */
export type Batches = Map<string, ExpandRequest['seeds']>;

export interface RoutingState {
  table: FederatedTable;
  /** Sorted by domain; `expanded[s]` belongs to `shards[s]`. */
  shards: readonly FederationShard[];
  /** Domains that failed in this traversal: they get nothing more. */
  missing: ReadonlySet<string>;
  /** Per shard: distance + 1 at which it expanded an id in this leg (0: not); grown and updated here. */
  expanded: Int32Array[];
  query: Pick<FederatedQuery, 'direction' | 'asOf'>;
  stats: Pick<FederatedStats, 'filterNegatives'>;
  /** The shards' aliases united: a node also goes, under another name, to a shard that holds it by that name. */
  aliases?: FederatedAliases;
}

/**
 * A node with other names (aliases some shard declared): each shard not given it yet whose filter may hold one of
 * those names gets it under that name (the shard walks its own name; the merge brings its answer back to `id`).
 */
function routeOtherNames(
  id: string,
  p: number,
  distance: number,
  routes: Array<{ done: Int32Array; filter: MembershipFilter; batch: ExpandRequest['seeds'] | null }>,
  aliases: FederatedAliases,
): void {
  const names = aliases.names(id);
  if (names.length === 0) return;
  for (const r of routes) {
    const at = r.done[p];
    if (at !== 0 && at - 1 <= distance) continue;
    const name = names.find((n) => r.filter.mayHold(n));
    if (name === undefined) continue;
    r.done[p] = distance + 1;
    (r.batch ??= []).push({ id: name as NodeId, distance });
  }
}

/** `first`: the query node's round, routed by the full filters (a directional one may not list a seed with no edge that way). */
export function routeWork(work: FederatedWork, state: RoutingState, first: boolean): Batches {
  const { table, query, stats } = state;
  const batches: Batches = new Map();
  const ids = table.ids;
  const full = first || query.asOf !== undefined;
  const filters = state.shards.map((shard) => (full ? shard.filter : (shard[query.direction] ?? shard.filter)));
  const routes = state.shards
    .map((shard, s) => ({ shard, s }))
    .filter(({ shard }) => !state.missing.has(shard.domain))
    .map(({ shard, s }) => ({
      domain: shard.domain,
      done: (state.expanded[s] = grow(state.expanded[s], table.idCount)),
      s,
      filter: filters[s],
      batch: null as ExpandRequest['seeds'] | null,
    }));
  // Items outer, shards inner: an id is hashed once for all shards' filters (same seed), with no allocation, and
  // under the filters' common seed once while the gateway runs (gateway-id-numbers.ts keeps it by the id's number);
  // what a filter said of an id is kept by its number too (verdict words), so a filter is probed once per id.
  const hash: IdHash = { seed: NaN, first: 0, second: 0 };
  const seed = routes.find((r) => r.filter.seed !== undefined && r.filter.mayHoldHash)?.filter.seed;
  const numbering = table.numbering;
  const common = seed === undefined ? null : numbering.hashes(seed);
  const verdicts = numbering.verdicts(full ? 'full' : query.direction, filters);
  const numbers = table.numbers;
  for (const p of work.ids) {
    const distance = work.distance(p);
    const id = ids[p] as NodeId;
    const g = numbers[p];
    const before = verdicts ? verdicts[g] : 0;
    let known = before;
    hash.seed = NaN;
    for (const r of routes) {
      const at = r.done[p];
      if (at !== 0 && at - 1 <= distance) continue;
      const bit = 1 << r.s;
      let may: boolean;
      if (known & bit) may = (known & (bit << VERDICT_SHARDS)) !== 0;
      else {
        const f = r.filter;
        if (hash.seed !== f.seed && common && f.seed === common.seed) numbering.hashOf(common, g, hash);
        may = f.mayHoldHash && f.seed !== undefined ? f.mayHoldHash(hash.seed === f.seed ? hash : hashId(hash, id, f.seed)) : f.mayHold(id);
        known |= bit | (may ? bit << VERDICT_SHARDS : 0);
      }
      if (!may) {
        stats.filterNegatives++;
        continue;
      }
      r.done[p] = distance + 1;
      (r.batch ??= []).push({ id, distance });
    }
    if (verdicts && known !== before) verdicts[g] = known;
    if (state.aliases && state.aliases.size > 0) routeOtherNames(id, p, distance, routes, state.aliases);
  }
  for (const r of routes) {
    state.expanded[r.s] = r.done;
    if (r.batch) batches.set(r.domain, r.batch);
  }
  return batches;
}
