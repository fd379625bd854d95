/**
 * ReconcileSources over the facts cache: the rules read each subject's writes and runs straight from the cache's
 * indexes (no copy of the facts, no second index), and the rest (coverage, hint index, policies) from a
 * HistorySnapshot built without facts.
 */
import type { FreshnessPolicy, NodeId } from '@lineage-hub/model';
import { writesByQueryKey, type HistorySnapshot, type ReconcileSources, type RunFact, type WriteFact } from '@lineage-hub/reconcile';
import type { FindingsFactsCache } from './findings-facts-cache';

export class CachedSources implements ReconcileSources {
  readonly domain: string;
  readonly now: number;
  readonly config: ReconcileSources['config'];
  readonly coverage: ReconcileSources['coverage'];
  readonly hintIndex: ReconcileSources['hintIndex'];
  readonly runsByQueryId: ReadonlyMap<string, RunFact>;
  private writesByQuery: Map<string, WriteFact[]> | null;

  /**
   * @param named the writes the evaluated runs' external query ids name (read from the store); null: any query
   *   id may be asked, so every held write is indexed by query id on first use (a full evaluation).
   */
  constructor(
    private readonly base: HistorySnapshot,
    private readonly cache: FindingsFactsCache,
    named: readonly WriteFact[] | null,
  ) {
    this.domain = base.domain;
    this.now = base.now;
    this.config = base.config;
    this.coverage = base.coverage;
    this.hintIndex = base.hintIndex;
    this.runsByQueryId = cache.runsByQueryId;
    this.writesByQuery = named ? writesByQueryKey(named) : null;
  }

  writesTo(dataset: NodeId): readonly WriteFact[] {
    return this.cache.writesTo(dataset);
  }

  writeByQueryId(queryId: string): readonly WriteFact[] {
    if (!this.writesByQuery) this.writesByQuery = writesByQueryKey(this.cache.allWrites());
    return this.writesByQuery.get(queryId) ?? [];
  }

  runsOf(job: NodeId): readonly RunFact[] {
    return this.cache.runsOf(job);
  }

  runsOutputting(dataset: NodeId): readonly RunFact[] {
    return this.cache.runsOutputting(dataset);
  }

  policyFor(dataset: NodeId): FreshnessPolicy | null {
    return this.base.policyFor(dataset);
  }
}
