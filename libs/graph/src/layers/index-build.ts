/** Build: the CSR adjacency of the current edges, the id ranks, and per-node arrays sized to the node count. */
import { IndexMutation } from './index-mutation';

export abstract class IndexBuild extends IndexMutation {
  protected ensureBuilt(): void {
    if (!this.needsBuild) return;
    const edges = this.edges;
    if (edges.length > edges.live) {
      const remap = edges.compact(edges.live >> 4);
      for (let n = 0; n < this.nodes.size; n++) {
        if (this.ownerCount[n] > 0) this.ownerStart[n] = remap[this.ownerStart[n]];
      }
    }
    this.out.build(this.nodes.size, edges, this.canon);
    this.in.build(this.nodes.size, edges, this.canon);
    this.needsBuild = false;
  }

  /**
   * Ranks nodes by id so sorting a result compares ints. Nodes interned since the last ranking (always the
   * last ones) are sorted among themselves and merged into the ranked order, each placed by binary search
   * (O(f log N) string compares plus O(N) int writes). apply() runs it once more than 256 + N/1024 new
   * nodes piled up (amortised ~1k int writes per new node); until then queries place the few unranked
   * nodes of an answer by binary search (sortNodes).
   */
  protected ensureRanked(force: boolean): void {
    const size = this.nodes.size;
    const ranked = this.rankToNode.length;
    const fresh = size - ranked;
    if (fresh === 0 || (!force && fresh <= 256 + (size >> 10))) return;
    const ids = this.nodes.ids;
    const freshNodes = Array.from({ length: fresh }, (_, k) => ranked + k).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    const old = this.rankToNode;
    const merged = new Int32Array(size);
    let i = 0;
    let k = 0;
    for (const u of freshNodes) {
      const id = ids[u];
      let lo = i;
      let hi = ranked;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[old[mid]] < id) lo = mid + 1;
        else hi = mid;
      }
      merged.set(old.subarray(i, lo), k);
      k += lo - i;
      i = lo;
      merged[k++] = u;
    }
    merged.set(old.subarray(i, ranked), k);
    const rank = this.rank;
    for (let r = 0; r < size; r++) rank[merged[r]] = r;
    this.rankToNode = merged;
  }


  /** After a load: trims the per-node arrays to the node count plus a little room. */
  protected fitNodeArrays(): void {
    const size = this.nodes.size;
    const capacity = size + Math.max(1024, size >> 4);
    const fit = (a: Int32Array, fill: number): Int32Array => {
      const b = new Int32Array(capacity).fill(fill);
      b.set(a.subarray(0, size));
      return b;
    };
    this.nodes.resize(capacity);
    this.canon = fit(this.canon, 0);
    this.aliasTarget = fit(this.aliasTarget, -1);
    this.ownerStart = fit(this.ownerStart, 0);
    this.ownerCount = fit(this.ownerCount, 0);
    this.rank = fit(this.rank, -1);
    this.walkSeen = new Uint32Array(0);
    this.walkDist = new Int32Array(0);
    this.queue = new Int32Array(0);
    this.member = new Uint32Array(0);
    this.memberMask = new Uint8Array(0);
    this.best = new Int32Array(0);
    this.pos = new Int32Array(0);
    this.walkEpoch = 0;
    this.memberEpoch = 0;
  }
}
