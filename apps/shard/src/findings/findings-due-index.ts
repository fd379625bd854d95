/**
 * The datasets whose expected update is due (what FindingsStore.dueDatasets reads: expected_by set, at or before
 * now, status not stale; or escalates_at at or before now), from the freshness states this evaluator stored, without a query. Held with the facts
 * cache, so only while no other evaluation stored states (the store's mark is the cache's): every dataset with
 * facts in the cache was evaluated by this evaluator since its full evaluation, so its stored state is the one
 * recorded here. (A state stored for a dataset with no facts in the window is not here, but an incremental
 * evaluation has nothing to evaluate of such a dataset either.)
 *
 * A min-heap of (expected by, dataset); an entry a later state superseded is dropped when it comes up, and the heap
 * is rebuilt once it holds more than twice the live entries.
 */
import type { FreshnessState, NodeId } from '@lineage-hub/model';

export class DueIndex {
  /** When each dataset is due: expected_by while not stale, escalatesAt while stale at a warn level. */
  private readonly expected = new Map<NodeId, number>();
  private ats: number[] = [];
  private ids: NodeId[] = [];

  /** The states an evaluation stored (in place of what was held of those datasets). */
  record(states: readonly FreshnessState[]): void {
    for (const s of states) {
      // not yet stale: due at its expected update; stale at a policy's warn level: due when it turns error
      const at = s.status !== 'stale' ? s.expectedBy : (s.escalatesAt ?? null);
      if (at !== null) {
        if (this.expected.get(s.dataset) === at) continue;
        this.expected.set(s.dataset, at);
        this.push(at, s.dataset);
      } else this.expected.delete(s.dataset);
    }
    if (this.ids.length > 2 * this.expected.size + 1024) this.rebuild();
  }

  /** The datasets due at `now`, each once (they stay due until a recorded state says otherwise). */
  due(now: number): NodeId[] {
    const out = new Set<NodeId>();
    const still: number[] = [];
    while (this.ats.length > 0 && this.ats[0] <= now) {
      const at = this.ats[0];
      const id = this.pop();
      if (this.expected.get(id) !== at || out.has(id)) continue; // superseded, or a duplicate
      out.add(id);
      still.push(at);
    }
    let i = 0;
    for (const id of out) this.push(still[i++], id);
    return [...out];
  }

  /** Datasets with a state that counts. */
  get size(): number {
    return this.expected.size;
  }

  private rebuild(): void {
    this.ats = [];
    this.ids = [];
    for (const [id, at] of this.expected) this.push(at, id);
  }

  private push(at: number, id: NodeId): void {
    const { ats, ids } = this;
    let i = ats.length;
    ats.push(at);
    ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (ats[parent] <= at) break;
      ats[i] = ats[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    ats[i] = at;
    ids[i] = id;
  }

  /** Removes the least entry and returns its dataset. */
  private pop(): NodeId {
    const { ats, ids } = this;
    const top = ids[0];
    const at = ats.pop()!;
    const id = ids.pop()!;
    const n = ats.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && ats[l + 1] < ats[l] ? l + 1 : l;
      if (ats[c] >= at) break;
      ats[i] = ats[c];
      ids[i] = ids[c];
      i = c;
    }
    ats[i] = at;
    ids[i] = id;
    return top;
  }
}
