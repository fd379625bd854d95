/**
 * Impact traversals still serving pages: a cursor names its walk, so the next page continues the same
 * traversal (it waits only until that page's nodes are final) instead of starting again. Walks are kept a
 * short while after their last page was read; a cursor whose walk is gone starts a new one for the same query.
 */
import { randomUUID } from 'node:crypto';
import type { FederatedTraversal } from '@lineage-hub/federation';

interface Walk {
  key: string;
  walk: FederatedTraversal;
  lastUsed: number;
}

export class ImpactWalks {
  private readonly walks = new Map<string, Walk>();

  constructor(
    private readonly maxWalks = 200,
    private readonly idleMs = 60_000,
  ) {}

  /** The walk `id` names, when it is still kept and answers the same query. */
  get(id: string | undefined, key: string): FederatedTraversal | undefined {
    this.sweep();
    const entry = id ? this.walks.get(id) : undefined;
    if (!entry || entry.key !== key) return undefined;
    entry.lastUsed = Date.now();
    return entry.walk;
  }

  add(key: string, walk: FederatedTraversal): string {
    this.sweep();
    const id = randomUUID();
    this.walks.set(id, { key, walk, lastUsed: Date.now() });
    while (this.walks.size > this.maxWalks) this.walks.delete(this.walks.keys().next().value!);
    return id;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [id, entry] of this.walks) if (entry.lastUsed < cutoff) this.walks.delete(id);
  }
}
