/**
 * The facts of the history window kept in memory between evaluations: every observed write by dataset and every
 * run by job (indexed by output and by external query id), as a full evaluation read them, brought up to date by
 * each incremental one from what changed since its mark (the new writes themselves, and the runs of the jobs whose
 * runs got events, re-read). An incremental evaluation then takes the facts of what it evaluates from here instead
 * of the store: exactly the facts a full evaluation of the same subjects would see, so the same findings and
 * freshness states.
 *
 * Reads honour the window start of each evaluation (writes at or after it; runs whose start or end is at or after
 * it, or that have not ended), as the store's history reads do, and prune what fell out of it. Bounded: above
 * `maxFacts` writes and runs held (after pruning everything that fell out of the window) the cache gives up and the
 * evaluator goes back to reading the store.
 */
import type { NodeId } from '@lineage-hub/model';
import type { WriteFact } from '@lineage-hub/reconcile';
import type { FactRun } from '@lineage-hub/store';

export interface FactsMark {
  eventSeq: number;
  writeSeq: number;
}

const inWindow = (r: FactRun, since: number): boolean => r.windowEnd === null || r.windowEnd >= since;

/** What a held fact is kept by: in the window from `since` on while its key is at least `since` (inWindow, w.at >= since). */
const runKey = (r: FactRun): number => r.windowEnd ?? Infinity;
const writeKey = (w: WriteFact): number => w.at;

/**
 * One held list (a dataset's writes, a job's runs, a dataset's output runs) with the least key of its elements: a
 * read from a window start at or before it is the list itself, in O(1), whatever the list's length (most reads:
 * the window start moves every evaluation, the lists' oldest facts are rarely that old). A list with facts
 * before the window start is filtered, and that view is remembered for that window start (the rules read the
 * same lists many times in one evaluation). Kept beside the list, not in a WeakMap by list: a lookup in a WeakMap
 * of every held list cost more than the rules' reads themselves.
 */
class Held<T> {
  private least = Infinity;
  private view: T[] | null = null;
  private viewSince = Number.NaN;

  constructor(
    public list: T[],
    private readonly keyOf: (x: T) => number,
  ) {
    for (const x of list) this.least = Math.min(this.least, keyOf(x));
  }

  /** The elements in the window from `since` on: the list itself when all are (no copy). */
  in(since: number): T[] {
    if (since <= this.least) return this.list;
    if (this.view !== null && this.viewSince === since) return this.view;
    this.view = this.list.filter((x) => this.keyOf(x) >= since);
    this.viewSince = since;
    return this.view;
  }

  push(x: T): void {
    this.list.push(x);
    this.least = Math.min(this.least, this.keyOf(x));
    this.view = null;
  }

  /** In place of the held list. */
  replace(list: T[]): void {
    this.list = list;
    this.least = Infinity;
    for (const x of list) this.least = Math.min(this.least, this.keyOf(x));
    this.view = null;
  }
}

const addRun = (map: Map<NodeId, Held<FactRun>>, key: NodeId, run: FactRun): void => {
  const held = map.get(key);
  if (held) held.push(run);
  else map.set(key, new Held([run], runKey));
};

const EMPTY: never[] = [];

/** Runs by external query id, answering (get, has) only with runs in the window, as a history read from `since` would. */
export class QueryIdIndex extends Map<string, FactRun> {
  since = -Infinity;

  override get(queryId: string): FactRun | undefined {
    if (this.size === 0) return undefined; // most histories: no run names a query id, and every write asks
    const r = super.get(queryId);
    return r && inWindow(r, this.since) ? r : undefined;
  }

  override has(queryId: string): boolean {
    return this.get(queryId) !== undefined;
  }

  /** The entry whatever its window. */
  held(queryId: string): FactRun | undefined {
    return super.get(queryId);
  }
}

export class FindingsFactsCache {
  private readonly writesByDataset = new Map<NodeId, Held<WriteFact>>();
  private readonly runsByJob = new Map<NodeId, Held<FactRun>>();
  private readonly runsByOutput = new Map<NodeId, Held<FactRun>>();
  /** The run each external query id names (ReconcileSources.runsByQueryId). */
  readonly runsByQueryId = new QueryIdIndex();
  private size = 0;
  /** The window start the held facts were last pruned to (reads never go earlier: the store has what is older). */
  private since: number;

  private constructor(
    /** The marks the held facts reflect: every write up to writeSeq, every run event up to eventSeq. */
    public mark: FactsMark,
    since: number,
    private readonly maxFacts: number,
  ) {
    this.since = since;
    this.runsByQueryId.since = since;
  }

  /** The facts of a full evaluation, indexed (it evaluates over them; the evaluator keeps them if they are within `maxFacts`). */
  static of(facts: { writes: readonly WriteFact[]; runs: readonly FactRun[] }, mark: FactsMark, since: number, maxFacts: number): FindingsFactsCache {
    const cache = new FindingsFactsCache(mark, since, maxFacts);
    for (const w of facts.writes) cache.addWrite(w);
    cache.addRuns(facts.runs);
    cache.size = facts.writes.length + facts.runs.length;
    return cache;
  }

  /** Within its bound? */
  get bounded(): boolean {
    return this.size <= this.maxFacts;
  }

  /** Every dataset with writes or output runs in the window (HistorySnapshot.datasets: written ones first). */
  datasets(): NodeId[] {
    const out = new Set<NodeId>();
    for (const d of this.writesByDataset.keys()) if (this.writesTo(d).length) out.add(d);
    for (const d of this.runsByOutput.keys()) if (this.runsOutputting(d).length) out.add(d);
    return [...out];
  }

  /** Every job with runs in the window. */
  jobs(): NodeId[] {
    return [...this.runsByJob.keys()].filter((j) => this.runsOf(j).length > 0);
  }

  /** Every write held in the window, by dataset. */
  *allWrites(): Iterable<WriteFact> {
    for (const d of [...this.writesByDataset.keys()]) yield* this.writesTo(d);
  }

  /** The number of writes and runs held. */
  get facts(): number {
    return this.size;
  }

  /** Can an evaluation reading from `since` on, whose store mark is `mark`, use this cache? */
  serves(mark: FactsMark, since: number): boolean {
    return mark.eventSeq === this.mark.eventSeq && mark.writeSeq === this.mark.writeSeq && since >= this.since;
  }

  /**
   * Brings the cache up to `mark`: the writes accepted since (a write already held, read twice, is kept once) and
   * the runs of the jobs whose runs got events, in place of what was held of those jobs. False when it grew past
   * its bound even after pruning (the cache is then of no use).
   */
  update(mark: FactsMark, since: number, writes: readonly WriteFact[], jobs: readonly NodeId[], runs: readonly FactRun[]): boolean {
    for (const w of writes) {
      if (w.at < since) continue;
      if (this.writesByDataset.get(w.dataset)?.list.some((x) => x.queryId === w.queryId && x.connectorId === w.connectorId)) continue;
      this.addWrite(w);
      this.size++;
    }
    for (const j of jobs) this.dropRunsOf(j);
    const held = runs.filter((r) => inWindow(r, since));
    this.addRuns(held);
    this.size += held.length;
    this.mark = mark;
    if (since > this.since) this.since = this.runsByQueryId.since = since;
    if (this.size > this.maxFacts) this.prune();
    return this.size <= this.maxFacts;
  }

  hasDataset(d: NodeId): boolean {
    return this.writesTo(d).length > 0 || this.runsOutputting(d).length > 0;
  }

  hasJob(j: NodeId): boolean {
    return this.runsOf(j).length > 0;
  }

  /** Writes to the dataset in the window (what fell out of it is dropped). */
  writesTo(d: NodeId): readonly WriteFact[] {
    const held = this.writesByDataset.get(d);
    if (!held) return EMPTY;
    const list = held.list;
    const kept = held.in(this.since);
    if (kept === list) return list;
    // what fell out of the window is dropped for good
    this.size -= list.length - kept.length;
    if (kept.length) held.replace(kept);
    else this.writesByDataset.delete(d);
    return kept;
  }

  runsOf(j: NodeId): readonly FactRun[] {
    return this.runsByJob.get(j)?.in(this.since) ?? EMPTY;
  }

  runsOutputting(d: NodeId): readonly FactRun[] {
    return this.runsByOutput.get(d)?.in(this.since) ?? EMPTY;
  }

  /** Held under its dataset; the dataset id is the one string the others of the dataset share (a million writes: ~60 MB less). */
  private addWrite(w: WriteFact): void {
    const held = this.writesByDataset.get(w.dataset);
    if (held) {
      w.dataset = held.list[0].dataset;
      held.push(w);
    } else this.writesByDataset.set(w.dataset, new Held([w], writeKey));
  }

  private addRuns(runs: readonly FactRun[]): void {
    for (const r of runs) {
      const same = this.runsByJob.get(r.job);
      if (same) {
        r.job = same.list[0].job; // one string per job, as for datasets
        same.push(r);
      } else this.runsByJob.set(r.job, new Held([r], runKey));
      for (const o of r.outputs) addRun(this.runsByOutput, o, r);
      for (const q of r.externalQueryIds) this.runsByQueryId.set(q, r);
    }
  }

  private dropRunsOf(job: NodeId): void {
    const old = this.runsByJob.get(job)?.list;
    if (!old) return;
    this.runsByJob.delete(job);
    this.size -= old.length;
    const gone = new Set(old);
    for (const r of old) {
      for (const o of r.outputs) {
        const held = this.runsByOutput.get(o);
        const kept = held?.list.filter((x) => !gone.has(x)) ?? [];
        if (kept.length) held!.replace(kept);
        else this.runsByOutput.delete(o);
      }
      for (const q of r.externalQueryIds) if (this.runsByQueryId.held(q) === r) this.runsByQueryId.delete(q);
    }
  }

  /** Drops everything that fell out of the window. */
  private prune(): void {
    for (const d of [...this.writesByDataset.keys()]) this.writesTo(d);
    for (const [job, { list: runs }] of [...this.runsByJob]) {
      const kept = runs.filter((r) => inWindow(r, this.since));
      if (kept.length === runs.length) continue;
      this.dropRunsOf(job);
      this.addRuns(kept);
      this.size += kept.length;
    }
  }
}
