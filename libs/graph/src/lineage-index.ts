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
 * pay now and then (rebuilding the CSR, re-ranking ids, growing scratch, flattening id strings) is done by
 * `apply()`/`load()`.
 */
import type { NodeId } from '@lineage-hub/model';
import type { GraphDelta, GraphSnapshot } from '@lineage-hub/model';
import { Adjacency } from './adjacency';
import { EdgeKindCode, EdgeTable, PROVENANCE_NAMES } from './edge-table';
import { nodeTypeName, NodeTable } from './node-table';
import { TransformationSets } from './transformation-sets';
import type { CompactTraversalResult, NumberedTraversalResult, TraversalOptions, TraversalResult, TraversalSeed, TraversedEdge, TraversedNode } from './traversal.types';
import { FRONTIER, requireTime } from './layers/index-helpers';
import { CompactAnswer } from './layers/compact-answer';

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

export class LineageIndex extends CompactAnswer {
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
    this.nodes.flattenIds();
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
    this.nodes.flattenIds();
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

  /** Every alias as declared: [alias, the node it was declared an alias of] (a symlink, or a renamed dataset's old name). */
  aliasPairs(): Array<[alias: NodeId, canonical: NodeId]> {
    const out: Array<[NodeId, NodeId]> = [];
    if (this.aliasCount === 0) return out;
    const ids = this.nodes.ids;
    for (let n = 0; n < ids.length; n++) if (this.aliasTarget[n] >= 0) out.push([ids[n] as NodeId, ids[this.aliasTarget[n]] as NodeId]);
    return out;
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
   * traverseCompact() from the seeds this index holds, for a shard's expand: the others are left out and listed in
   * `unknownSeeds` (in seed order; as has() says, an id no node could have as well), each seed id looked up once
   * instead of the caller asking has() of every seed first. A held seed's distance is checked as traverseCompact() does.
   */
  traverseHeld(seeds: TraversalSeed[], opts: TraversalOptions): CompactTraversalResult & { unknownSeeds: NodeId[] } {
    this.listUnknownSeeds = true;
    let result: CompactTraversalResult;
    try {
      result = this.traverseCompact(seeds, opts);
    } finally {
      this.listUnknownSeeds = false;
    }
    return { ...result, unknownSeeds: this.unknownSeeds(seeds) };
  }

  private unknownSeeds(seeds: TraversalSeed[]): NodeId[] {
    const unknownSeeds: NodeId[] = new Array(this.unknownSeedCount);
    for (let i = 0; i < this.unknownSeedCount; i++) unknownSeeds[i] = seeds[this.unknownSeedAt[i]].id;
    return unknownSeeds;
  }

  /**
   * traverseHeld() without the answer's `ids` array (see NumberedTraversalResult): for a shard's lean expand, which
   * sends an id as a string only the first time per connection and otherwise only its number. The same answer:
   * `idTable[nodeNumbers[i]]` is traverseHeld()'s `ids[i]` (then `jobs`).
   */
  traverseHeldNumbers(seeds: TraversalSeed[], opts: TraversalOptions): NumberedTraversalResult {
    this.numbersOnly = true;
    this.listUnknownSeeds = true;
    let result: NumberedTraversalResult;
    try {
      // compactResult() builds this shape itself while numbersOnly is set
      result = this.traverseCompact(seeds, opts) as unknown as NumberedTraversalResult;
    } finally {
      this.numbersOnly = false;
      this.listUnknownSeeds = false;
    }
    if (this.unknownSeedCount > 0) result.unknownSeeds = this.unknownSeeds(seeds);
    return result;
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
}
