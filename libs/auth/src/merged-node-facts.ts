import { parseNodeId } from '@lineage-hub/model';
import type { NodeFacts } from './redaction';

/** What one shard said about some node ids (the shape of the federation's `classification.of` answer). */
export interface ShardClassification {
  domain: string;
  /** The asked ids this shard holds. */
  held: string[];
  /** Held datasets restricted by a dataset tag. */
  restricted: string[];
  /** Held dataset id -> its columns restricted by a column tag. */
  restrictedColumns: Record<string, string[]>;
}

/**
 * Merges several shards' classifications into one fact per node: the same rule wherever lineage is read (the
 * gateway over every shard, a shard over itself and the owners of the other domains' datasets it holds, the
 * worker over every shard). A dataset's domain is its namespace's owner (NAMESPACE_DOMAINS), else the domains
 * that hold it; it is restricted when any shard that holds it classifies it so. Fails closed: when some shard did
 * not answer (`someShardMissing`), a node no answering shard holds counts as restricted.
 */
export function mergeNodeFacts(
  ids: string[],
  answers: ShardClassification[],
  someShardMissing: boolean,
  ownerOf: (namespace: string) => string | undefined,
): Map<string, NodeFacts> {
  const holders = new Map<string, string[]>();
  const restrictedBy = new Map<string, string[]>();
  const columns = new Map<string, Set<string>>();
  for (const answer of answers) {
    for (const id of answer.held) holders.set(id, [...(holders.get(id) ?? []), answer.domain]);
    for (const id of answer.restricted) restrictedBy.set(id, [...(restrictedBy.get(id) ?? []), answer.domain]);
    for (const [id, cols] of Object.entries(answer.restrictedColumns)) {
      const set = columns.get(id) ?? new Set<string>();
      for (const c of cols) set.add(c);
      columns.set(id, set);
    }
  }
  const facts = new Map<string, NodeFacts>();
  for (const id of ids) {
    let parsed;
    try {
      parsed = parseNodeId(id);
    } catch {
      continue;
    }
    if (parsed.kind === 'run') continue;
    const held = holders.get(id) ?? [];
    const owner = parsed.kind === 'dataset' ? ownerOf(parsed.namespace) : undefined;
    if (held.length === 0) {
      if (someShardMissing) facts.set(id, { domain: owner ?? null, restricted: true });
      else if (owner) facts.set(id, { domain: owner, restricted: false });
      continue;
    }
    const restricted = restrictedBy.get(id) ?? [];
    facts.set(id, {
      domain: owner ?? restricted[0] ?? (held.length === 1 ? held[0] : null),
      domains: owner ? [owner] : held,
      restricted: restricted.length > 0,
      restrictedColumns: columns.has(id) ? [...columns.get(id)!] : undefined,
    });
  }
  return facts;
}
