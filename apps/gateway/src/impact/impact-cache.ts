/**
 * Hot subgraphs, keyed by the canonical query. An entry remembers every shard's graph version and the
 * registry generation it was computed at; it is served only after a version probe shows none moved on.
 * Partial answers are never cached. Least recently used entries go first.
 */
import type { FederatedResult } from '@lineage-hub/federation';

export interface CacheEntry {
  result: FederatedResult;
  versions: Record<string, number | null>;
  generation: number;
  computedAt: number;
}

export class ImpactCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when the entry still describes every shard: same shard set and no version moved on. */
  static isCurrent(entry: CacheEntry, generation: number, probed: Record<string, number | null>): boolean {
    if (entry.generation !== generation) return false;
    const domains = new Set([...Object.keys(entry.versions), ...Object.keys(probed)]);
    for (const domain of domains) {
      const now = probed[domain];
      if (now === null || now === undefined || entry.versions[domain] !== now) return false;
    }
    return true;
  }
}
