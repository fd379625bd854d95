/**
 * The in-memory lineage index of a shard: loaded from the store's GraphSnapshot, kept in step with its
 * GraphDeltas, and walked by `traverse()`.
 *
 * Layout: node ids interned to ints (NodeTable), edge intervals in typed arrays (EdgeTable), adjacency
 * as CSR rebuilt lazily with an append path for edges added since (Adjacency). Aliases: each alias node
 * points at its canonical node (AliasRecord.canonical; a RENAME points the old dataset at the new one);
 * adjacency is keyed by canonical nodes, so any alias lands on its canonical node, and a field of an
 * aliased dataset lands on the same field of the canonical dataset.
 *
 * Traversal semantics (see traversal.types.ts):
 * - depth counts jobs crossed. Downstream from a dataset at distance d, the jobs reading it are at d + 1
 *   and so are the datasets those jobs write. A job seed at distance s is reported at s and its outputs
 *   are at s + 1 (crossing it counts). Upstream mirrors this (jobs writing a dataset, then their inputs).
 * - datasetField seeds walk column edges instead; each column edge is one step. Upstream, a
 *   dataset-level column dependency reaches its dataset node (a leaf of the column walk).
 * - A node is in the result when its distance is <= the depth of its direction (`upstreamDepth` for
 *   upstream walks when given, else `depth`). 'both' runs a downstream and an upstream walk from the same
 *   seeds; a node reached by both takes the smaller distance. Seeds whose id is unknown are ignored.
 * - Only edges valid at `asOf` are followed (validFrom <= asOf < validTo, validTo null = open); without
 *   asOf, only open edges (validTo null). `transformations` filters column edges only.
 * - nodes are sorted by distance, then id (UTF-16 code unit order). With `maxNodes` the result is exactly
 *   the first maxNodes nodes of the full result in that order, and `truncated` is true when any was cut.
 * - edges: for each walk, every followed-kind edge valid at asOf whose two ends are both in that walk's
 *   result; sorted by (position of from, position of to, kind, job); duplicates (same ends, kind, job and
 *   transformations, e.g. declared and observed) appear once.
 * - frontier: the result nodes where another shard's edges may continue: datasets of a dataset walk
 *   (datasetFields of a column walk) whose distance in that walk is < its depth. Seeds included.
 *
 * Query cost: a query allocates nothing in proportion to the graph: per-node scratch (visited stamps,
 * distances, queue, union, order, positions) is reused and reset by epoch counters, seeds and walks live
 * in reused scratch, and the answer is assembled from typed scratch. `traverseCompact()` returns the
 * same answer as typed arrays plus string tables; `reach()` only walks. The upkeep a query would otherwise
 * pay now and then (rebuilding the CSR, re-ranking ids, growing scratch) is done by `apply()`/`load()`.
 */
import type { NodeId, Transformation } from '@lineage-hub/model';
import type { GraphDelta, GraphSnapshot } from '@lineage-hub/model';
import { Adjacency } from './adjacency';
import { EdgeKindCode, EdgeTable, PROVENANCE_NAMES } from './edge-table';
import { nodeTypeName, NodeTable } from './node-table';
import { TransformationSets } from './transformation-sets';
import type { CompactTraversalResult, TraversalOptions, TraversalResult, TraversalSeed, TraversedEdge, TraversedNode } from './traversal.types';
import { FRONTIER, requireTime } from './layers/index-helpers';
import { ResultOrdering } from './layers/result-ordering';

export { MAX_TRAVERSAL_DEPTH } from './layers/index-helpers';

export interface LineageIndexStats {
  nodes: number;
  /** Live edge intervals (open and closed). */
  edges: number;
  /** Estimated heap bytes held by the index (typed arrays exact, strings and maps estimated). */
  bytes: number;
  aliases: number;
  version: number;
}

export class LineageIndex extends ResultOrdering {
  get version(): number {
    return this.currentVersion;
  }

  /** Replaces everything with the store's snapshot. */
  load(snapshot: GraphSnapshot): void {
    this.validate(snapshot, 'snapshot');
    requireTime(snapshot.version, 'snapshot.version', false);
    this.nodes = new NodeTable();
    this.edges = new EdgeTable();
    this.sets = new TransformationSets();
    this.out = new Adjacency(true);
    this.in = new Adjacency(false);
    this.canon = new Int32Array(0);
    this.aliasTarget = new Int32Array(0);
    this.ownerStart = new Int32Array(0);
    this.ownerCount = new Int32Array(0);
    this.aliasCount = 0;
    this.rank = new Int32Array(0);
    this.rankToNode = new Int32Array(0);
    let edgeCount = 0;
    for (const g of snapshot.groups) edgeCount += g.edges.length + g.columnEdges.length;
    this.edges.reserve(edgeCount);
    this.nodes.reserve(Math.ceil(edgeCount / 2) + 16);
    this.needsBuild = true;
    this.mutate(snapshot);
    this.currentVersion = snapshot.version;
    this.fitNodeArrays();
    this.ensureBuilt();
    this.ensureRanked(true);
    this.ensureScratch();
  }

  /**
   * Applies what one ingest changed: each group replaces its owner's edges wholesale; aliases and
   * RENAMEs point an old id at its canonical one. Validated whole before anything changes.
   * `version` (the highest event seq applied) becomes the index version; without it the version grows by one.
   * The upkeep queries would otherwise pay is done here: the CSR rebuild (after alias changes, or once the
   * append path or dead slots grew past an eighth / a quarter of the live edges: amortised O(1) per edge),
   * re-ranking ids (once enough new nodes piled up) and growing the traversal scratch.
   */
  apply(delta: GraphDelta, version?: number): void {
    this.validate(delta, 'delta');
    if (version !== undefined) requireTime(version, 'version', false);
    this.mutate(delta);
    this.ensureBuilt();
    this.ensureRanked(false);
    this.ensureScratch();
    this.currentVersion = version === undefined ? this.currentVersion + 1 : Math.max(this.currentVersion, version);
  }

  has(id: string): boolean {
    return this.resolve(id) >= 0;
  }

  /** Every node id the index holds: datasets, fields, jobs and aliases. */
  *nodeIds(): IterableIterator<NodeId> {
    const ids = this.nodes.ids;
    for (let n = 0; n < ids.length; n++) yield ids[n] as NodeId;
  }

  /** The canonical id an id (or alias) lands on, or null when unknown. */
  canonicalId(id: string): NodeId | null {
    const n = this.resolve(id);
    return n < 0 ? null : (this.nodes.ids[n] as NodeId);
  }

  stats(): LineageIndexStats {
    const bytes =
      this.nodes.bytes() + this.edges.bytes() + this.out.bytes() + this.in.bytes() +
      (this.canon.byteLength + this.aliasTarget.byteLength + this.ownerStart.byteLength + this.ownerCount.byteLength) +
      (this.rank.byteLength + this.rankToNode.byteLength) +
      (this.walkSeen.byteLength + this.walkDist.byteLength + this.queue.byteLength + this.member.byteLength + this.memberMask.byteLength + this.best.byteLength + this.pos.byteLength) +
      (this.union.byteLength + this.order.byteLength + this.rankBuf.byteLength + this.edgeFrom.byteLength + this.edgeTo.byteLength + this.edgeSlot.byteLength);
    return { nodes: this.nodes.size, edges: this.edges.live, bytes, aliases: this.aliasCount, version: this.currentVersion };
  }

  traverse(seeds: TraversalSeed[], opts: TraversalOptions): TraversalResult {
    const { n, edgeCount, truncated } = this.answer(seeds, opts);
    const ids = this.nodes.ids as NodeId[];
    const kinds = this.nodes.kinds;
    const order = this.order;
    const best = this.best;
    const mask = this.memberMask;
    const nodes: TraversedNode[] = new Array(n);
    const frontier: TraversedNode[] = [];
    for (let i = 0; i < n; i++) {
      const u = order[i];
      const node: TraversedNode = { id: ids[u], type: nodeTypeName(kinds[u]), distance: best[u] };
      nodes[i] = node;
      if (mask[u] & FRONTIER) frontier.push(node);
    }
    const edges: TraversedEdge[] = new Array(edgeCount);
    const eFrom = this.edgeFrom;
    const eTo = this.edgeTo;
    const eSlot = this.edgeSlot;
    const table = this.edges;
    for (let k = 0; k < edgeCount; k++) {
      const s = eSlot[k];
      const kind = table.kind[s];
      const from = ids[order[eFrom[k]]];
      const to = ids[order[eTo[k]]];
      if (kind === EdgeKindCode.Column) {
        const job = table.job[s];
        edges[k] = {
          from,
          to,
          kind: 'column',
          job: job < 0 ? null : ids[this.canon[job]],
          transformations: this.sets.lists[table.trans[s]] as TraversedEdge['transformations'],
        };
      } else {
        edges[k] = { from, to, kind: kind === EdgeKindCode.Reads ? 'reads' : 'writes' };
      }
      const p = table.provenance[s];
      if (p) edges[k].provenance = PROVENANCE_NAMES[p];
    }
    return { nodes, edges, truncated, frontier };
  }

  /**
   * traverse()'s answer as typed arrays plus string tables (see CompactTraversalResult): no object per
   * node or edge, for callers that serialise or count. `expandCompact()` gives exactly traverse()'s result.
   */
  traverseCompact(seeds: TraversalSeed[], opts: TraversalOptions): CompactTraversalResult {
    const { n, edgeCount, truncated } = this.answer(seeds, opts);
    const allIds = this.nodes.ids as NodeId[];
    const kinds = this.nodes.kinds;
    const order = this.order;
    const best = this.best;
    const mask = this.memberMask;
    const ids: NodeId[] = new Array(n);
    const types = new Uint8Array(n);
    const distances = new Int32Array(n);
    const jobNumbers: number[] = [];
    let frontierCount = 0;
    for (let i = 0; i < n; i++) {
      const u = order[i];
      ids[i] = allIds[u];
      types[i] = kinds[u];
      distances[i] = best[u];
      if (mask[u] & FRONTIER) this.union[frontierCount++] = i;
    }
    const frontier = this.union.slice(0, frontierCount);
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
    const nodeNumbers = new Int32Array(n + jobNumbers.length);
    nodeNumbers.set(order.subarray(0, n));
    nodeNumbers.set(jobNumbers, n);
    return { ids, types, distances, frontier, edgeFrom, edgeTo, edgeKinds, edgeJobs, edgeTransformations, jobs, transformationLists, ...(edgeProvenance ? { edgeProvenance } : {}), truncated, nodeNumbers, numbering: this.nodes.serial };
  }

  /**
   * The walk of traverse() without building the answer (no ids, no sorting, no edges): how many nodes
   * traverse() would return and whether it would be truncated. For impact counts (alert severity) and
   * for measuring the walk itself.
   */
  reach(seeds: TraversalSeed[], opts: TraversalOptions): { nodes: number; truncated: boolean } {
    const count = this.plan(seeds, opts);
    if (count === 0) return { nodes: 0, truncated: false };
    this.prepare();
    const filter = this.sets.mask(opts.transformations);
    if (count === 1) {
      // One walk: its queue is the answer, no union to keep.
      const tail = this.walk(this.planned[0], opts.maxNodes, opts.asOf, filter);
      return { nodes: tail, truncated: this.walkTruncated };
    }
    const { n, truncated } = this.walkAll(count, opts.maxNodes, opts.asOf, filter);
    return { nodes: Math.min(n, opts.maxNodes), truncated: truncated || n > opts.maxNodes };
  }

  /** Walks, sorts and cuts; leaves the nodes in order[0, n) and the edges in edgeFrom/edgeTo/edgeSlot[0, edgeCount). */
  protected answer(seeds: TraversalSeed[], opts: TraversalOptions): { n: number; edgeCount: number; truncated: boolean } {
    const count = this.plan(seeds, opts);
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
    if (n > maxNodes) {
      truncated = true;
      for (let i = maxNodes; i < n; i++) this.memberMask[order[i]] = 0;
      n = maxNodes;
    }
    const pos = this.pos;
    for (let i = 0; i < n; i++) pos[order[i]] = i;
    const edgeCount = this.collectEdges(n, asOf, filter);
    return { n, edgeCount, truncated };
  }

  protected prepare(): void {
    // apply() and load() keep these current; they only act here after a load of an empty index or the like.
    this.ensureBuilt();
    this.ensureScratch();
  }
}
