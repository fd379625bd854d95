import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { NodeId } from '@lineage-hub/model';
import { GroupCommit, type GroupCommitStats, type IngestInput, type IngestResult, type LineageStore } from '@lineage-hub/store';
import { type CompactTraversalResult, LineageIndex, type NumberedTraversalResult, type TraversalOptions, type TraversalResult, type TraversalSeed } from '@lineage-hub/graph';
import { LINEAGE_STORE } from './lineage-store.provider';

/**
 * The shard's graph: the store (source of truth) and the in-memory index derived from it, kept in step.
 * Writes are serialised so the index applies deltas in the order the store committed them.
 */
/** How often the event chain is verified again after start-up. */
const CHAIN_VERIFY_EVERY_MS = 6 * 60 * 60 * 1000;

@Injectable()
export class LineageGraphService implements OnModuleDestroy {
  private readonly logger = new Logger(LineageGraphService.name);
  private index: LineageIndex | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  private chainTimer: NodeJS.Timeout | null = null;

  constructor(@Inject(LINEAGE_STORE) private readonly store: LineageStore) {}

  /** Loads the index from the store; called once at startup (before the app listens). */
  async load(): Promise<void> {
    const started = Date.now();
    const snapshot = await this.store.loadGraph();
    const index = new LineageIndex();
    index.load(snapshot);
    this.index = index;
    this.logger.log({ msg: 'graph loaded', ms: Date.now() - started, ...index.stats() });
    if (!this.chainTimer) {
      await this.verifyChain();
      this.chainTimer = setInterval(() => void this.verifyChain().catch(() => undefined), CHAIN_VERIFY_EVERY_MS);
      this.chainTimer.unref();
    }
  }

  /** Walks the event chain (at start-up and every CHAIN_VERIFY_EVERY_MS); a broken chain makes the store read-only. */
  async verifyChain() {
    const result = await this.store.verifyChain();
    if (result.ok) this.logger.log({ msg: 'event chain verified', checked: result.checked });
    else this.logger.error({ msg: 'event chain broken: ingest refused (read-only) until an operator acts', brokenAt: result.brokenAt, reason: result.reason });
    return result;
  }

  /** The highest event seq applied to the index (0 before anything was ingested). */
  get version(): number {
    return this.index?.version ?? 0;
  }

  private get graph(): LineageIndex {
    if (!this.index) throw new Error('lineage graph not loaded');
    return this.index;
  }

  /**
   * Durable in the store when this resolves, and applied to the index. Concurrent calls share one store transaction
   * (group commit, libs/store group-commit.ts): single-event producers do not pay a transaction and a sync each.
   */
  ingest(batch: IngestInput[]): Promise<IngestResult> {
    return this.groups.submit(batch);
  }

  private readonly groups = new GroupCommit((batch) => this.commitAndApply(batch));

  /** Store commits of ingest since start and the events they held (mean group size = events / commits). */
  commitStats(): GroupCommitStats {
    return this.groups.stats();
  }

  private commitAndApply(batch: IngestInput[]): Promise<IngestResult> {
    const run = this.writes.then(async () => {
      const result = await this.store.ingest(batch);
      const version = result.outcomes.reduce((max, o) => (o.duplicate ? max : Math.max(max, o.seq)), 0);
      if (version === 0) return result; // all duplicates: nothing changed
      try {
        this.graph.apply(result.delta, version);
      } catch (err) {
        // The events are durable; bring the index back in step from the store rather than fail the producer.
        this.logger.error({ msg: 'index delta refused; reloading the graph from the store', error: String(err) });
        await this.load();
      }
      return result;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** Runs fn after the writes queued so far (observed writes, which do not change the graph index). */
  serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(fn);
    this.writes = run.catch(() => undefined);
    return run;
  }

  traverse(seeds: TraversalSeed[], options: TraversalOptions): TraversalResult {
    return this.graph.traverse(seeds, options);
  }

  /** traverse()'s answer as typed arrays plus string tables (no object per node or edge). */
  traverseCompact(seeds: TraversalSeed[], options: TraversalOptions): CompactTraversalResult {
    return this.graph.traverseCompact(seeds, options);
  }

  /** traverseCompact() from the seeds the index holds, the others listed in `unknownSeeds` (one lookup a seed). */
  traverseHeld(seeds: TraversalSeed[], options: TraversalOptions): CompactTraversalResult & { unknownSeeds: NodeId[] } {
    return this.graph.traverseHeld(seeds, options);
  }

  /** traverseHeld() without the ids array (the ids by number from the index's table), for the lean expand. */
  traverseHeldNumbers(seeds: TraversalSeed[], options: TraversalOptions): NumberedTraversalResult {
    return this.graph.traverseHeldNumbers(seeds, options);
  }

  has(id: NodeId): boolean {
    return this.graph.has(id);
  }

  nodeIds(): Iterable<string> {
    return this.graph.nodeIds();
  }

  /** The aliases the index holds as declared: [alias, canonical] (the gateway unites every shard's). */
  aliasPairs(): Array<[string, string]> {
    return this.graph.aliasPairs();
  }

  /** The datasetField nodes of a dataset (a scan: column-lineage reads only). */
  fieldsOf(dataset: NodeId): NodeId[] {
    const prefix = `datasetField:${dataset.slice('dataset:'.length)}:`;
    const fields: NodeId[] = [];
    for (const id of this.graph.nodeIds()) {
      if (id.startsWith(prefix) && id.indexOf(':', prefix.length) < 0) fields.push(id);
    }
    return fields;
  }

  stats() {
    return this.graph.stats();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.chainTimer) clearInterval(this.chainTimer);
    await this.writes;
    await this.store.close();
  }
}
