/** Planning: options and seeds validated and resolved into sorted seed scratch and at most four planned walks; scratch and epochs. */
import { invalidArgument } from '@lineage-hub/model';
import { kindOfId, NodeKindCode, requireGraphId } from '../node-table';
import type { TraversalOptions, TraversalSeed } from '../traversal.types';
import { growInt32, growUint32, isIntIn, MAX_TRAVERSAL_DEPTH, RANK_SPAN, requireInt, requireTime, WALK_COLUMN_DOWN, WALK_COLUMN_UP, WALK_DATASET_DOWN, WALK_DATASET_UP } from './index-helpers';
import { IndexBuild } from './index-build';

export abstract class TraversalPlanning extends IndexBuild {
  /**
   * Validates the options and seeds, resolves the seeds into the seed scratch (sorted by distance, then
   * node) and fills planned[0, count) with the walks to run; returns count. Allocates nothing per seed.
   */
  protected plan(seeds: TraversalSeed[], opts: TraversalOptions): number {
    if (!opts || typeof opts !== 'object') throw invalidArgument('options', 'expected traversal options');
    const { direction, depth, maxNodes } = opts;
    if (direction !== 'downstream' && direction !== 'upstream' && direction !== 'both') {
      throw invalidArgument('direction', `expected "downstream", "upstream" or "both", got ${JSON.stringify(direction)}`);
    }
    if (!isIntIn(depth, 0, MAX_TRAVERSAL_DEPTH)) requireInt(depth, 'depth', 0, MAX_TRAVERSAL_DEPTH);
    const upDepth = opts.upstreamDepth === undefined ? depth : opts.upstreamDepth;
    if (upDepth !== depth && !isIntIn(upDepth, 0, MAX_TRAVERSAL_DEPTH)) requireInt(upDepth, 'upstreamDepth', 0, MAX_TRAVERSAL_DEPTH);
    if (!isIntIn(maxNodes, 1, 2 ** 31 - 1)) requireInt(maxNodes, 'maxNodes', 1, 2 ** 31 - 1);
    if (opts.asOf !== undefined && (typeof opts.asOf !== 'number' || !Number.isFinite(opts.asOf))) requireTime(opts.asOf, 'asOf', false);
    if (opts.transformations !== undefined && !Array.isArray(opts.transformations)) throw invalidArgument('transformations', 'expected an array of strings');
    if (!Array.isArray(seeds)) throw invalidArgument('seeds', 'expected an array');
    const total = seeds.length;
    if (this.seedNode.length < 2 * total) {
      this.seedNode = new Int32Array(2 * total);
      this.seedDist = new Int32Array(2 * total);
    }
    // Dataset/job seeds fill [0, nd) and field seeds [total, total + nc).
    const seedNode = this.seedNode;
    const seedDist = this.seedDist;
    let nd = 0;
    let nc = 0;
    const listUnknown = this.listUnknownSeeds;
    this.unknownSeedCount = 0;
    for (let i = 0; i < total; i++) {
      const seed = seeds[i];
      const id = seed?.id;
      const kind = typeof id === 'string' ? kindOfId(id) : -1;
      if (kind < 0) {
        // listing unknown seeds (traverseHeld): an id no node could have is one this index does not hold, as has() says
        if (listUnknown && typeof id === 'string') {
          this.unknownSeed(i);
          continue;
        }
        requireGraphId(id, `seeds[${i}].id`); // throws, naming the seed
      }
      const distance = seed.distance;
      if (!listUnknown && !isIntIn(distance, 0, MAX_TRAVERSAL_DEPTH)) requireInt(distance, `seeds[${i}].distance`, 0, MAX_TRAVERSAL_DEPTH);
      // Without aliases every node is its own canonical node, of the kind its id says (one memory read less each).
      const plain = this.aliasCount === 0;
      const node = plain ? this.nodes.lookup(id) : this.resolve(id);
      if (node < 0) {
        if (listUnknown) this.unknownSeed(i);
        continue;
      }
      // listing: an unknown seed's distance is not checked (the caller only reports it), a held one's is
      if (listUnknown && !isIntIn(distance, 0, MAX_TRAVERSAL_DEPTH)) requireInt(distance, `seeds[${i}].distance`, 0, MAX_TRAVERSAL_DEPTH);
      const at = (plain ? kind : this.nodes.kinds[node]) === NodeKindCode.Field ? total + nc++ : nd++;
      seedNode[at] = node;
      seedDist[at] = distance;
    }
    if (nd > 1) this.sortSeeds(0, nd);
    if (nc > 1) this.sortSeeds(total, total + nc);
    const down = direction !== 'upstream';
    const up = direction !== 'downstream';
    let count = 0;
    const setWalk = (bit: number, column: boolean, downstream: boolean, limit: number, start: number, end: number) => {
      const w = this.planned[count++];
      w.bit = bit;
      w.column = column;
      w.downstream = downstream;
      w.limit = limit;
      w.seedStart = start;
      w.seedEnd = end;
    };
    if (nd > 0) {
      if (down) setWalk(WALK_DATASET_DOWN, false, true, depth, 0, nd);
      if (up) setWalk(WALK_DATASET_UP, false, false, upDepth, 0, nd);
    }
    if (nc > 0) {
      if (down) setWalk(WALK_COLUMN_DOWN, true, true, depth, total, total + nc);
      if (up) setWalk(WALK_COLUMN_UP, true, false, upDepth, total, total + nc);
    }
    return count;
  }

  /** Notes seed i as one this index does not hold (unknownSeedAt[0, unknownSeedCount), in seed order). */
  protected unknownSeed(i: number): void {
    if (this.unknownSeedCount === this.unknownSeedAt.length) this.unknownSeedAt = growInt32(this.unknownSeedAt, Math.max(16, 2 * this.unknownSeedAt.length), 0);
    this.unknownSeedAt[this.unknownSeedCount++] = i;
  }

  /** Sorts seed scratch [start, end) by (distance, node): insertion for a few, packed keys for many. */
  protected sortSeeds(start: number, end: number): void {
    const node = this.seedNode;
    const dist = this.seedDist;
    if (end - start <= 16) {
      for (let a = start + 1; a < end; a++) {
        const n = node[a];
        const d = dist[a];
        let b = a - 1;
        while (b >= start && (dist[b] > d || (dist[b] === d && node[b] > n))) {
          node[b + 1] = node[b];
          dist[b + 1] = dist[b];
          b--;
        }
        node[b + 1] = n;
        dist[b + 1] = d;
      }
      return;
    }
    const keys = new Float64Array(end - start);
    for (let i = start; i < end; i++) keys[i - start] = dist[i] * RANK_SPAN + node[i];
    keys.sort();
    for (let i = start; i < end; i++) {
      dist[i] = Math.floor(keys[i - start] / RANK_SPAN);
      node[i] = keys[i - start] % RANK_SPAN;
    }
  }

  protected ensureScratch(): void {
    const capacity = this.nodes.capacity;
    if (this.walkSeen.length >= capacity) return;
    this.walkSeen = growUint32(this.walkSeen, capacity);
    this.walkDist = growInt32(this.walkDist, capacity, 0);
    this.queue = growInt32(this.queue, capacity, 0);
    this.member = growUint32(this.member, capacity);
    const mask = new Uint8Array(capacity);
    mask.set(this.memberMask);
    this.memberMask = mask;
    this.best = growInt32(this.best, capacity, 0);
    this.pos = growInt32(this.pos, capacity, 0);
    this.union = new Int32Array(capacity);
    this.order = new Int32Array(capacity);
  }

  protected nextWalkEpoch(): number {
    if (this.walkEpoch === 0xffffffff) {
      this.walkSeen.fill(0);
      this.walkEpoch = 0;
    }
    return ++this.walkEpoch;
  }

  protected nextMemberEpoch(): number {
    if (this.memberEpoch === 0xffffffff) {
      this.member.fill(0);
      this.memberEpoch = 0;
    }
    return ++this.memberEpoch;
  }

  /**
   * One level-synchronous walk over a queue of node ints: level d is one range of the queue, complete
   * before it is counted, so when it would pass maxNodes the cut keeps its first nodes by id (making the
   * result a prefix of the full answer in (distance, id) order). Returns the queue tail: the walk's nodes
   * are queue[0, tail) in levels (levelStart/levelDist, walkLevels), walkDist holds each one's queue position;
   * walkTruncated says whether it cut.
   */
}
