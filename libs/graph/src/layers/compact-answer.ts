/**
 * Answers: the planned walks unioned, ordered and cut into order/edge scratch (answer()), and traverseCompact()'s
 * typed form of it. One unordered walk (a shard's expand) skips the union: its queue is the answer, the walk's own
 * scratch says who is a member and where (no membership, mask, best-distance or position arrays written and read
 * again per node).
 */
import type { NodeId, Transformation } from '@lineage-hub/model';
import { EdgeKindCode } from '../edge-table';
import { NodeKindCode } from '../node-table';
import type { CompactTraversalResult, NumberedTraversalResult, TraversalOptions, TraversalSeed } from '../traversal.types';

import { FRONTIER } from './index-helpers';
import { ResultOrdering } from './result-ordering';

/** An answer without ids (traverseHeldNumbers()): never written to, frozen so nothing can. */
const NO_IDS = Object.freeze([]) as unknown as NodeId[];

/** traverseCompact()'s edge columns and string tables, from edgeFrom/edgeTo/edgeSlot[0, edgeCount). */
type CompactEdges = Pick<CompactTraversalResult, 'edgeFrom' | 'edgeTo' | 'edgeKinds' | 'edgeJobs' | 'edgeTransformations' | 'jobs' | 'transformationLists' | 'edgeProvenance'> & { jobNumbers: number[] };

export abstract class CompactAnswer extends ResultOrdering {
  /** Set while traverseHeldNumbers() runs: the answer's `ids` are left empty (the caller reads them by number). */
  protected numbersOnly = false;

  /**
   * traverse()'s answer as typed arrays plus string tables (see CompactTraversalResult): no object per
   * node or edge, for callers that serialise or count. `expandCompact()` gives exactly traverse()'s result.
   */
  traverseCompact(seeds: TraversalSeed[], opts: TraversalOptions): CompactTraversalResult {
    const count = this.plan(seeds, opts);
    if (count === 1 && opts.unordered) return this.compactOneWalk(opts);
    const { n, edgeCount, truncated } = this.answerPlanned(count, opts);
    const allIds = this.nodes.ids as NodeId[];
    const kinds = this.nodes.kinds;
    const order = this.order;
    const best = this.best;
    const mask = this.memberMask;
    const withIds = !this.numbersOnly;
    const ids: NodeId[] = withIds ? new Array(n) : NO_IDS;
    const types = new Uint8Array(n);
    const distances = new Int32Array(n);
    let frontierCount = 0;
    for (let i = 0; i < n; i++) {
      const u = order[i];
      if (withIds) ids[i] = allIds[u];
      types[i] = kinds[u];
      distances[i] = best[u];
      if (mask[u] & FRONTIER) this.union[frontierCount++] = i;
    }
    const frontier = this.union.slice(0, frontierCount);
    return this.compactResult(n, ids, types, distances, frontier, order, truncated, this.compactEdges(edgeCount));
  }

  /** Walks, sorts and cuts; leaves the nodes in order[0, n) and the edges in edgeFrom/edgeTo/edgeSlot[0, edgeCount). */
  protected answer(seeds: TraversalSeed[], opts: TraversalOptions): { n: number; edgeCount: number; truncated: boolean } {
    return this.answerPlanned(this.plan(seeds, opts), opts);
  }

  /** answer() once plan() said how many walks to run. */
  protected answerPlanned(count: number, opts: TraversalOptions): { n: number; edgeCount: number; truncated: boolean } {
    if (count === 0) return { n: 0, edgeCount: 0, truncated: false };
    this.prepare();
    const { asOf, maxNodes } = opts;
    const filter = this.sets.mask(opts.transformations);
    const walked = this.walkAll(count, maxNodes, asOf, filter);
    let n = walked.n;
    let truncated = walked.truncated;
    // unordered: the caller does not need (distance, id) order; a cap that cuts still needs it (the closest are kept)
    if (opts.unordered && n <= maxNodes) this.order.set(this.union.subarray(0, n));
    else this.sortNodes(n);
    const order = this.order;
    // one walk and no cut: every member is a node of the answer, of that walk (collectEdges need not ask which)
    const oneWalk = count === 1 && n <= maxNodes;
    if (n > maxNodes) {
      truncated = true;
      for (let i = maxNodes; i < n; i++) this.memberMask[order[i]] = 0;
      n = maxNodes;
    }
    const pos = this.pos;
    for (let i = 0; i < n; i++) pos[order[i]] = i;
    const edgeCount = this.collectEdges(n, asOf, filter, oneWalk, order, this.member, this.memberEpoch, pos);
    return { n, edgeCount, truncated };
  }

  protected prepare(): void {
    // apply() and load() keep these current; they only act here after a load of an empty index or the like.
    this.ensureBuilt();
    this.ensureScratch();
  }

  /**
   * traverseCompact() of the one planned walk, unordered: the nodes in walk order (as the union would list them),
   * membership from the walk's seen stamps, positions from its walkDist, distances from its levels.
   */
  private compactOneWalk(opts: TraversalOptions): CompactTraversalResult {
    this.prepare();
    const walk = this.planned[0];
    const { asOf, maxNodes } = opts;
    const filter = this.sets.mask(opts.transformations);
    const n = this.walk(walk, maxNodes, asOf, filter);
    const queue = this.queue;
    const seen = this.walkSeen;
    const dist = this.walkDist;
    // nodes the walk queued but left out (a level past the cap, seeds beyond the depth) are not the answer's
    for (let i = n; i < this.walkQueued; i++) seen[queue[i]] = 0;
    const allIds = this.nodes.ids as NodeId[];
    const kinds = this.nodes.kinds;
    const frontierKind = walk.column ? NodeKindCode.Field : NodeKindCode.Dataset;
    const limit = walk.limit;
    const withIds = !this.numbersOnly;
    const ids: NodeId[] = withIds ? new Array(n) : NO_IDS;
    const types = new Uint8Array(n);
    const distances = new Int32Array(n);
    const union = this.union;
    let frontierCount = 0;
    // walkDist already holds each node's position in the queue (collectEdges' pos); distances come by level
    const levels = this.walkLevels;
    for (let l = 0; l < levels; l++) {
      const d = this.levelDist[l];
      const end = l + 1 < levels ? Math.min(this.levelStart[l + 1], n) : n;
      const frontierHere = d < limit;
      for (let i = this.levelStart[l]; i < end; i++) {
        const u = queue[i];
        if (withIds) ids[i] = allIds[u];
        const kind = kinds[u];
        types[i] = kind;
        distances[i] = d;
        if (frontierHere && kind === frontierKind) union[frontierCount++] = i;
      }
    }
    const frontier = union.slice(0, frontierCount);
    const edgeCount = this.collectEdges(n, asOf, filter, true, queue, seen, this.walkEpoch, dist);
    return this.compactResult(n, ids, types, distances, frontier, queue, this.walkTruncated, this.compactEdges(edgeCount));
  }

  private compactResult(
    n: number,
    ids: NodeId[],
    types: Uint8Array,
    distances: Int32Array,
    frontier: Int32Array,
    order: Int32Array,
    truncated: boolean,
    e: CompactEdges,
  ): CompactTraversalResult {
    const { jobNumbers, edgeProvenance } = e;
    const nodeNumbers = new Int32Array(n + jobNumbers.length);
    nodeNumbers.set(order.subarray(0, n));
    nodeNumbers.set(jobNumbers, n);
    const numbering = this.nodes.serial;
    if (this.numbersOnly) {
      // one literal of traverseHeldNumbers()'s shape (no spreads: each would copy the answer object once more per request)
      const numbered: NumberedTraversalResult = {
        types, distances, frontier, edgeFrom: e.edgeFrom, edgeTo: e.edgeTo, edgeKinds: e.edgeKinds, edgeJobs: e.edgeJobs, edgeTransformations: e.edgeTransformations,
        jobs: e.jobs, transformationLists: e.transformationLists, truncated, nodeNumbers, numbering, nodeCount: n, idTable: this.nodes.ids as NodeId[], unknownSeeds: NO_IDS,
      };
      if (edgeProvenance) numbered.edgeProvenance = edgeProvenance;
      return numbered as unknown as CompactTraversalResult;
    }
    const { jobNumbers: _j, edgeProvenance: _p, ...edges } = e;
    return { ids, types, distances, frontier, ...edges, ...(edgeProvenance ? { edgeProvenance } : {}), truncated, nodeNumbers, numbering };
  }

  private compactEdges(edgeCount: number): CompactEdges {
    const allIds = this.nodes.ids as NodeId[];
    const jobNumbers: number[] = [];
    const edgeFrom = this.edgeFrom.slice(0, edgeCount);
    const edgeTo = this.edgeTo.slice(0, edgeCount);
    const edgeKinds = new Uint8Array(edgeCount);
    const edgeJobs = new Int32Array(edgeCount);
    const edgeTransformations = new Int32Array(edgeCount);
    const jobs: NodeId[] = [];
    const transformationLists: Array<readonly Transformation[]> = [];
    let jobIndex: Map<number, number> | null = null;
    let listIndex: Map<number, number> | null = null;
    const table = this.edges;
    const eSlot = this.edgeSlot;
    let edgeProvenance: Uint8Array | undefined;
    for (let k = 0; k < edgeCount; k++) {
      const s = eSlot[k];
      const kind = table.kind[s];
      edgeKinds[k] = kind;
      const p = table.provenance[s];
      if (p) (edgeProvenance ??= new Uint8Array(edgeCount))[k] = p;
      if (kind !== EdgeKindCode.Column) {
        edgeJobs[k] = -1;
        edgeTransformations[k] = -1;
        continue;
      }
      const job = table.job[s];
      if (job < 0) edgeJobs[k] = -1;
      else {
        const c = this.canon[job];
        let j = (jobIndex ??= new Map()).get(c);
        if (j === undefined) {
          j = jobs.length;
          jobs.push(allIds[c]);
          jobNumbers.push(c);
          jobIndex.set(c, j);
        }
        edgeJobs[k] = j;
      }
      const t = table.trans[s];
      let l = (listIndex ??= new Map()).get(t);
      if (l === undefined) {
        l = transformationLists.length;
        transformationLists.push(this.sets.lists[t]);
        listIndex.set(t, l);
      }
      edgeTransformations[k] = l;
    }
    return { edgeFrom, edgeTo, edgeKinds, edgeJobs, edgeTransformations, jobs, transformationLists, edgeProvenance, jobNumbers };
  }
}
