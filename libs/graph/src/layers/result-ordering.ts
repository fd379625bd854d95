/** Ordering: the result's nodes by (distance, id) and its edges by (from position, to position, kind, job), duplicates dropped. */
import { FLAG_OPEN } from '../adjacency';
import { EdgeKindCode } from '../edge-table';
import { COLUMN_WALKS, DATASET_WALKS, RANK_SPAN } from './index-helpers';
import { GraphWalk } from './graph-walk';

export abstract class ResultOrdering extends GraphWalk {
  protected compareIds(a: number, b: number): number {
    const ra = this.rank[a];
    const rb = this.rank[b];
    if (ra >= 0 && rb >= 0) return ra - rb;
    const ia = this.nodes.ids[a];
    const ib = this.nodes.ids[b];
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }

  protected sortRangeById(start: number, end: number): void {
    const list = Array.from(this.queue.subarray(start, end));
    list.sort((a, b) => this.compareIds(a, b));
    this.queue.set(list, start);
  }

  /**
   * union[0, n) into order[0, n) by (best distance, id). Ranked nodes sort as ints: by a scan of the id
   * order for a large answer, by rank within each distance run when the union is already in distance
   * order (one walk), else by packed (distance, rank) keys. Nodes interned since the last ranking (few:
   * apply() re-ranks once they pile up) are placed by binary search in the id order and merged in.
   */
  protected sortNodes(n: number): void {
    const union = this.union;
    const best = this.best;
    const rank = this.rank;
    let fresh: number[] | null = null;
    let m = 0;
    let prev = 0;
    let inDistanceOrder = true;
    let maxDistance = 0;
    for (let i = 0; i < n; i++) {
      const u = union[i];
      if (rank[u] < 0) {
        (fresh ??= []).push(u);
        continue;
      }
      const d = best[u];
      if (d < prev) inDistanceOrder = false;
      prev = d;
      if (d > maxDistance) maxDistance = d;
      union[m++] = u;
    }
    const order = this.order;
    if (m * 8 > this.rankToNode.length && maxDistance < 4096) this.sortDense(m, maxDistance, order);
    else if (inDistanceOrder) this.sortRuns(m, order);
    else this.sortKeys(m, order);
    if (fresh !== null) this.mergeFresh(m, fresh);
  }

  /** A large answer: scan all ranked nodes in id order once and bucket the members by distance. */
  protected sortDense(m: number, maxDistance: number, out: Int32Array): void {
    const starts = new Int32Array(maxDistance + 2);
    const union = this.union;
    const best = this.best;
    for (let i = 0; i < m; i++) starts[best[union[i]] + 1]++;
    for (let d = 0; d <= maxDistance; d++) starts[d + 1] += starts[d];
    const member = this.member;
    const epoch = this.memberEpoch;
    const rankToNode = this.rankToNode;
    for (let r = 0; r < rankToNode.length; r++) {
      const u = rankToNode[r];
      if (member[u] === epoch) out[starts[best[u]]++] = u;
    }
  }

  /** union[0, m) is in distance order: sort each run of one distance by rank. */
  protected sortRuns(m: number, out: Int32Array): void {
    const union = this.union;
    const best = this.best;
    const rank = this.rank;
    const rankToNode = this.rankToNode;
    let a = 0;
    while (a < m) {
      const d = best[union[a]];
      let b = a + 1;
      while (b < m && best[union[b]] === d) b++;
      if (b - a <= 24) {
        for (let i = a; i < b; i++) {
          const u = union[i];
          const r = rank[u];
          let j = i - 1;
          while (j >= a && rank[out[j]] > r) {
            out[j + 1] = out[j];
            j--;
          }
          out[j + 1] = u;
        }
      } else {
        const ranks = this.ranksScratch(b - a);
        for (let i = a; i < b; i++) ranks[i - a] = rank[union[i]];
        ranks.sort();
        for (let i = a; i < b; i++) out[i] = rankToNode[ranks[i - a]];
      }
      a = b;
    }
  }

  protected sortKeys(m: number, out: Int32Array): void {
    const union = this.union;
    const best = this.best;
    const rank = this.rank;
    const keys = new Float64Array(m);
    for (let i = 0; i < m; i++) keys[i] = best[union[i]] * RANK_SPAN + rank[union[i]];
    keys.sort();
    const rankToNode = this.rankToNode;
    for (let i = 0; i < m; i++) out[i] = rankToNode[keys[i] % RANK_SPAN];
  }

  protected ranksScratch(size: number): Int32Array {
    if (this.rankBuf.length < size) this.rankBuf = new Int32Array(Math.max(size, this.rankBuf.length * 2));
    return this.rankBuf.subarray(0, size);
  }

  /** Merges unranked nodes into order[0, m) (sorted ranked nodes): order[0, m + fresh.length) ends sorted. */
  protected mergeFresh(m: number, fresh: number[]): void {
    const ids = this.nodes.ids;
    const best = this.best;
    const rank = this.rank;
    const rankToNode = this.rankToNode;
    // at[k]: how many ranked ids are smaller than fresh[k]'s (so it goes before the ranked node of that rank).
    const at = new Map<number, number>();
    for (const u of fresh) {
      const id = ids[u];
      let lo = 0;
      let hi = rankToNode.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[rankToNode[mid]] < id) lo = mid + 1;
        else hi = mid;
      }
      at.set(u, lo);
    }
    fresh.sort((a, b) => best[a] - best[b] || at.get(a)! - at.get(b)! || (ids[a] < ids[b] ? -1 : 1));
    const order = this.order;
    const ranked = order.slice(0, m);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < m && j < fresh.length) {
      const r = ranked[i];
      const f = fresh[j];
      if (best[f] < best[r] || (best[f] === best[r] && at.get(f)! <= rank[r])) {
        order[k++] = f;
        j++;
      } else {
        order[k++] = r;
        i++;
      }
    }
    while (i < m) order[k++] = ranked[i++];
    while (j < fresh.length) order[k++] = fresh[j++];
  }

  /**
   * The edges among order[0, n) (members: stamped `epoch` in `member`; their positions in `pos`), in one pass over
   * the out-adjacency of the kept nodes, into edgeFrom/edgeTo (node positions) and edgeSlot; each row sorted by (to
   * position, kind, job, transformations) with repeats of one output edge dropped. Returns the edge count.
   * `oneWalk`: the answer is one walk's, uncut, so every member is a kept node of that walk and an edge between
   * members is of its kind (a dataset walk holds no fields, a column walk no jobs): the walk bits are not read.
   */
  protected collectEdges(n: number, asOf: number | undefined, filter: Uint8Array | null, oneWalk: boolean, order: Int32Array, member: Uint32Array, epoch: number, pos: Int32Array): number {
    const edges = this.edges;
    const mask = this.memberMask;
    const out = this.out;
    const { offsets, nbr, slot, flags } = out;
    const builtNodes = out.builtNodes;
    const hasExtra = out.extraCount > 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const u = order[i];
      const mu = oneWalk ? 0 : mask[u];
      const rowStart = e;
      if (u < builtNodes) {
        const end = offsets[u + 1];
        // Worst case the whole row is kept: make room once.
        if (e + end - offsets[u] > this.edgeSlot.length) this.growEdges(e + end - offsets[u]);
        const eTo = this.edgeTo;
        const eSlot = this.edgeSlot;
        for (let k = offsets[u]; k < end; k++) {
          const f = flags[k];
          if (f === 0) continue;
          const v = nbr[k];
          if (member[v] !== epoch) continue;
          const kind = f >> 2;
          if (!oneWalk && (mu & mask[v] & (kind === EdgeKindCode.Column ? COLUMN_WALKS : DATASET_WALKS)) === 0) continue;
          const s = slot[k];
          if (asOf === undefined ? (f & FLAG_OPEN) === 0 : !edges.isValid(s, asOf)) continue;
          if (filter !== null && kind === EdgeKindCode.Column && filter[edges.trans[s]] === 0) continue;
          eTo[e] = pos[v];
          eSlot[e++] = s;
        }
      }
      const extra = hasExtra ? out.extraOf(u) : undefined;
      if (extra !== undefined) {
        if (e + extra.length > this.edgeSlot.length) this.growEdges(e + extra.length);
        for (const s of extra) {
          const v = this.canon[edges.to[s]];
          if (member[v] !== epoch) continue;
          const kind = edges.kind[s];
          if (!oneWalk && (mu & mask[v] & (kind === EdgeKindCode.Column ? COLUMN_WALKS : DATASET_WALKS)) === 0) continue;
          if (!this.followable(s, asOf, filter)) continue;
          this.edgeTo[e] = pos[v];
          this.edgeSlot[e++] = s;
        }
      }
      if (e - rowStart > 1) e = this.sortRow(rowStart, e);
      this.edgeFrom.fill(i, rowStart, e);
    }
    return e;
  }

  /** Sorts edge scratch [start, end) by (to position, slot order) and drops repeats; returns the new end. */
  protected sortRow(start: number, end: number): number {
    const eTo = this.edgeTo;
    const eSlot = this.edgeSlot;
    const m = end - start;
    if (m > 24 && m < 1 << 22) {
      // Packed (to position, index in row) keys: a native sort, stable for equal targets.
      const keys = new Float64Array(m);
      for (let k = 0; k < m; k++) keys[k] = eTo[start + k] * 4194304 + k;
      keys.sort();
      const slots = eSlot.slice(start, end);
      for (let k = 0; k < m; k++) {
        const key = keys[k];
        const from = key % 4194304;
        eTo[start + k] = (key - from) / 4194304;
        eSlot[start + k] = slots[from];
      }
    }
    // Insertion sort by (to, slot order): the whole row when short, else only the runs of equal targets.
    for (let a = start + 1; a < end; a++) {
      const tv = eTo[a];
      const ts = eSlot[a];
      let b = a - 1;
      while (b >= start && (eTo[b] > tv || (eTo[b] === tv && this.compareSlots(eSlot[b], ts) > 0))) {
        eTo[b + 1] = eTo[b];
        eSlot[b + 1] = eSlot[b];
        b--;
      }
      eTo[b + 1] = tv;
      eSlot[b + 1] = ts;
    }
    let w = start + 1;
    for (let k = start + 1; k < end; k++) {
      if (eTo[k] === eTo[w - 1] && this.compareSlots(eSlot[k], eSlot[w - 1]) === 0) {
        // same edge, another interval or provenance: it stands for the edge when its provenance ranks first
        // (declared, then observed, then manual), so the answer's provenance does not depend on slot order
        if (this.edges.provenance[eSlot[k]] < this.edges.provenance[eSlot[w - 1]]) eSlot[w - 1] = eSlot[k];
        continue;
      }
      eTo[w] = eTo[k];
      eSlot[w++] = eSlot[k];
    }
    return w;
  }

  protected growEdges(capacity: number): void {
    const size = Math.max(capacity, this.edgeSlot.length * 2, 1024);
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.edgeFrom = grow(this.edgeFrom);
    this.edgeTo = grow(this.edgeTo);
    this.edgeSlot = grow(this.edgeSlot);
  }

  /** Orders two slots with the same ends: by kind, then job id, then transformations. 0 = the same output edge. */
  protected compareSlots(a: number, b: number): number {
    const edges = this.edges;
    const dk = edges.kind[a] - edges.kind[b];
    if (dk !== 0 || edges.kind[a] !== EdgeKindCode.Column) return dk;
    const ja = edges.job[a] < 0 ? '' : this.nodes.ids[this.canon[edges.job[a]]];
    const jb = edges.job[b] < 0 ? '' : this.nodes.ids[this.canon[edges.job[b]]];
    if (ja !== jb) return ja < jb ? -1 : 1;
    return this.sets.compare(edges.trans[a], edges.trans[b]);
  }
}
