/** Walking: breadth-first walks over the CSR (validity at asOf, transformation filter, depth rule, cap), unioned into one result. */
import { Adjacency, LIVE_KIND_MASK, openFlags } from '../adjacency';
import { EdgeKindCode } from '../edge-table';
import { NodeKindCode } from '../node-table';
import { FRONTIER, growInt32, type Walk } from './index-helpers';
import { TraversalPlanning } from './traversal-planning';

export abstract class GraphWalk extends TraversalPlanning {
  protected abstract sortRangeById(start: number, end: number): void;

  /** Runs the planned walks and unions them into union[0, n) (membership, frontier flag, best distance). */
  protected walkAll(count: number, maxNodes: number, asOf: number | undefined, filter: Uint8Array | null): { n: number; truncated: boolean } {
    const epoch = this.nextMemberEpoch();
    let n = 0;
    let truncated = false;
    for (let w = 0; w < count; w++) {
      const walk = this.planned[w];
      const tail = this.walk(walk, maxNodes, asOf, filter);
      if (this.walkTruncated) truncated = true;
      n = this.record(walk, tail, epoch, n);
    }
    return { n, truncated };
  }

  protected walk(walk: Walk, maxNodes: number, asOf: number | undefined, filter: Uint8Array | null): number {
    const S = this.nextWalkEpoch();
    const seen = this.walkSeen;
    const dist = this.walkDist;
    const queue = this.queue;
    const kinds = this.nodes.kinds;
    const seedNode = this.seedNode;
    const seedDist = this.seedDist;
    const adj = walk.downstream ? this.out : this.in;
    const { seedEnd, limit } = walk;
    const expandKind = walk.column ? NodeKindCode.Field : NodeKindCode.Dataset;
    const enterKind = walk.column ? EdgeKindCode.Column : walk.downstream ? EdgeKindCode.Reads : EdgeKindCode.Writes;
    const leaveKind = walk.downstream ? EdgeKindCode.Writes : EdgeKindCode.Reads;
    const edgeFilter = walk.column ? filter : null;
    let seedJobsStart = 0;
    let seedJobsEnd = 0;
    let tail = 0;
    let levelStart = 0;
    let si = walk.seedStart;
    let d = seedDist[si];
    let truncated = false;
    let queued = -1;
    let levels = 0;
    for (;;) {
      // Seeds of this level; seed jobs (dataset walks only) are queued first so they sit in one range.
      seedJobsStart = seedJobsEnd = tail;
      while (si < seedEnd && seedDist[si] <= d) {
        const u = seedNode[si++];
        if (seen[u] === S) continue; // reached at this distance or closer already
        seen[u] = S;
        dist[u] = tail;
        queue[tail++] = u;
      }
      if (!walk.column) {
        // Move this level's seed jobs to the front of the seeds just queued.
        for (let i = seedJobsStart; i < tail; i++) {
          const u = queue[i];
          if (kinds[u] !== NodeKindCode.Job) continue;
          const other = queue[seedJobsEnd];
          queue[i] = other;
          dist[other] = i;
          dist[u] = seedJobsEnd;
          queue[seedJobsEnd++] = u;
        }
      }
      const levelEnd = tail;
      if (levelEnd === levelStart) {
        if (si === seedEnd) break;
        d = seedDist[si];
        continue;
      }
      if (d > limit) {
        queued = levelEnd;
        tail = levelStart;
        break;
      }
      levels = this.level(levels, levelStart, d);
      if (levelEnd > maxNodes) {
        this.sortRangeById(levelStart, levelEnd);
        for (let i = levelStart; i < levelEnd; i++) dist[queue[i]] = i;
        queued = levelEnd;
        tail = maxNodes;
        truncated = true;
        break;
      }
      if (d >= limit) break;
      const d1 = d + 1;
      for (let i = levelStart; i < levelEnd; i++) {
        const u = queue[i];
        if (kinds[u] === expandKind) tail = this.step(adj, u, enterKind, asOf, edgeFilter, S, tail);
      }
      if (!walk.column) {
        // The jobs just entered (and the seed jobs of level d) lead on to the datasets they write (read, upstream) at d + 1.
        const jobsEnd = tail;
        for (let i = seedJobsStart; i < seedJobsEnd; i++) tail = this.step(adj, queue[i], leaveKind, asOf, null, S, tail);
        for (let i = levelEnd; i < jobsEnd; i++) tail = this.step(adj, queue[i], leaveKind, asOf, null, S, tail);
      }
      levelStart = levelEnd;
      d = d1;
    }
    this.walkTruncated = truncated;
    this.walkQueued = queued < 0 ? tail : queued;
    this.walkLevels = levels;
    return tail;
  }

  /** Notes that the walk's level `index` starts at queue[start) and lies at distance d; returns the level count. */
  private level(index: number, start: number, d: number): number {
    if (index === this.levelStart.length) {
      this.levelStart = growInt32(this.levelStart, 2 * index, 0);
      this.levelDist = growInt32(this.levelDist, 2 * index, 0);
    }
    this.levelStart[index] = start;
    this.levelDist[index] = d;
    return index + 1;
  }

  /** Queues the unseen neighbours of u over valid edges of `kind` (at the next distance); returns the new queue tail. */
  protected step(adj: Adjacency, u: number, kind: number, asOf: number | undefined, filter: Uint8Array | null, S: number, tail: number): number {
    const seen = this.walkSeen;
    const dist = this.walkDist;
    const queue = this.queue;
    if (u < adj.builtNodes) {
      const nbr = adj.nbr;
      const flags = adj.flags;
      const end = adj.offsets[u + 1];
      if (asOf === undefined && filter === null) {
        const want = openFlags(kind);
        for (let i = adj.offsets[u]; i < end; i++) {
          if (flags[i] !== want) continue;
          const v = nbr[i];
          if (seen[v] === S) continue;
          seen[v] = S;
          dist[v] = tail;
          queue[tail++] = v;
        }
      } else {
        const want = 1 | (kind << 2);
        for (let i = adj.offsets[u]; i < end; i++) {
          if ((flags[i] & LIVE_KIND_MASK) !== want) continue;
          const v = nbr[i];
          if (seen[v] === S || !this.followable(adj.slot[i], asOf, filter)) continue;
          seen[v] = S;
          dist[v] = tail;
          queue[tail++] = v;
        }
      }
    }
    if (adj.extraCount === 0) return tail;
    const extra = adj.extraOf(u);
    if (extra === undefined) return tail;
    const edges = this.edges;
    const other = adj === this.out ? edges.to : edges.from;
    for (let i = 0; i < extra.length; i++) {
      const s = extra[i];
      if (edges.kind[s] !== kind || !this.followable(s, asOf, filter)) continue;
      const v = this.canon[other[s]];
      if (seen[v] === S) continue;
      seen[v] = S;
      dist[v] = tail;
      queue[tail++] = v;
    }
    return tail;
  }

  protected followable(slot: number, asOf: number | undefined, filter: Uint8Array | null): boolean {
    const edges = this.edges;
    if (!edges.isValid(slot, asOf)) return false;
    return filter === null || edges.kind[slot] !== EdgeKindCode.Column || filter[edges.trans[slot]] === 1;
  }


  /** Adds the walk's queue [0, tail) to union[n, ...): membership bit, frontier flag, smallest distance. Returns the new n. */
  protected record(walk: Walk, tail: number, epoch: number, n: number): number {
    const kinds = this.nodes.kinds;
    const queue = this.queue;
    const member = this.member;
    const mask = this.memberMask;
    const best = this.best;
    const union = this.union;
    const frontierKind = walk.column ? NodeKindCode.Field : NodeKindCode.Dataset;
    const limit = walk.limit;
    const bit = walk.bit;
    const levels = this.walkLevels;
    // the queue holds the walk's levels in order, each at one distance
    for (let l = 0; l < levels; l++) {
      const d = this.levelDist[l];
      const end = l + 1 < levels ? Math.min(this.levelStart[l + 1], tail) : tail;
      for (let i = this.levelStart[l]; i < end; i++) {
        const u = queue[i];
        if (member[u] !== epoch) {
          member[u] = epoch;
          mask[u] = 0;
          best[u] = d;
          union[n++] = u;
        } else if (d < best[u]) {
          best[u] = d;
        }
        mask[u] |= bit | (d < limit && kinds[u] === frontierKind ? FRONTIER : 0);
      }
    }
    return n;
  }
}
