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
import { invalidArgument, type AliasRecord, type ColumnEdge, type LineageEdge, type NodeId, type Transformation } from '@lineage-hub/model';
import type { GraphDelta, GraphSnapshot } from '@lineage-hub/model';
import { Adjacency, FLAG_OPEN, LIVE_KIND_MASK, openFlags } from './adjacency';
import { EdgeKindCode, EdgeTable, provenanceCode } from './edge-table';
import { fieldDatasetId, fieldOnDataset, kindOfId, NodeKindCode, nodeTypeName, NodeTable, requireGraphId } from './node-table';
import { TransformationSets } from './transformation-sets';
import type { CompactTraversalResult, TraversalOptions, TraversalResult, TraversalSeed, TraversedEdge, TraversedNode } from './traversal.types';

export interface LineageIndexStats {
  nodes: number;
  /** Live edge intervals (open and closed). */
  edges: number;
  /** Estimated heap bytes held by the index (typed arrays exact, strings and maps estimated). */
  bytes: number;
  aliases: number;
  version: number;
}

/** The largest depth or seed distance accepted (keeps (distance, rank) sort keys exact in a double). */
export const MAX_TRAVERSAL_DEPTH = 1_000_000;

const RANK_SPAN = 2 ** 31;
const WALK_DATASET_DOWN = 1;
const WALK_DATASET_UP = 2;
const WALK_COLUMN_DOWN = 4;
const WALK_COLUMN_UP = 8;
const DATASET_WALKS = WALK_DATASET_DOWN | WALK_DATASET_UP;
const COLUMN_WALKS = WALK_COLUMN_DOWN | WALK_COLUMN_UP;
const FRONTIER = 16;

interface Walk {
  bit: number;
  column: boolean;
  downstream: boolean;
  limit: number;
  /** Its seeds: seedNode/seedDist[seedStart, seedEnd), sorted by (distance, node). */
  seedStart: number;
  seedEnd: number;
}

const newWalk = (): Walk => ({ bit: 0, column: false, downstream: false, limit: 0, seedStart: 0, seedEnd: 0 });

/** An integer in [min, max] (the cheap check; the require* helpers build the error). */
const isIntIn = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

const growInt32 = (a: Int32Array, capacity: number, fill: number): Int32Array => {
  if (a.length >= capacity) return a;
  const b = new Int32Array(capacity).fill(fill);
  b.set(a);
  return b;
};

const growUint32 = (a: Uint32Array, capacity: number): Uint32Array => {
  if (a.length >= capacity) return a;
  const b = new Uint32Array(capacity);
  b.set(a);
  return b;
};

const requireInt = (value: unknown, field: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(field, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
};

const requireTime = (value: unknown, field: string, nullable: boolean): void => {
  if (nullable && value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidArgument(field, `expected epoch milliseconds, got ${JSON.stringify(value)}`);
};

export class LineageIndex {
  private nodes = new NodeTable();
  private edges = new EdgeTable();
  private sets = new TransformationSets();
  private out = new Adjacency(true);
  private in = new Adjacency(false);
  /** Node -> its canonical node (itself unless an alias, or a field of an aliased dataset). */
  private canon: Int32Array = new Int32Array(0);
  /** Alias node -> the node it was declared an alias of (-1: none). */
  private aliasTarget: Int32Array = new Int32Array(0);
  private ownerStart: Int32Array = new Int32Array(0);
  private ownerCount: Int32Array = new Int32Array(0);
  private aliasCount = 0;
  private needsBuild = true;
  private currentVersion = 0;

  /** Position of each node in id order (-1: interned after the last ranking). */
  private rank: Int32Array = new Int32Array(0);
  private rankToNode: Int32Array = new Int32Array(0);

  // Traversal scratch, reused across calls and reset by epoch stamps.
  private walkSeen: Uint32Array = new Uint32Array(0);
  private walkDist: Int32Array = new Int32Array(0);
  private queue: Int32Array = new Int32Array(0);
  private walkTruncated = false;
  private walkEpoch = 0;
  private member: Uint32Array = new Uint32Array(0);
  private memberMask: Uint8Array = new Uint8Array(0);
  private best: Int32Array = new Int32Array(0);
  private pos: Int32Array = new Int32Array(0);
  private memberEpoch = 0;
  /** The union of a query's walks, then its nodes in answer order. */
  private union: Int32Array = new Int32Array(0);
  private order: Int32Array = new Int32Array(0);
  private rankBuf: Int32Array = new Int32Array(0);
  /** A query's resolved seeds and its planned walks (at most four). */
  private seedNode: Int32Array = new Int32Array(16);
  private seedDist: Int32Array = new Int32Array(16);
  private readonly planned: Walk[] = [newWalk(), newWalk(), newWalk(), newWalk()];
  /** A query's edges: from and to as node positions, and the edge slot. */
  private edgeFrom: Int32Array = new Int32Array(1024);
  private edgeTo: Int32Array = new Int32Array(1024);
  private edgeSlot: Int32Array = new Int32Array(1024);

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
    for (let k = 0; k < edgeCount; k++) {
      const s = eSlot[k];
      const kind = table.kind[s];
      edgeKinds[k] = kind;
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
    return { ids, types, distances, frontier, edgeFrom, edgeTo, edgeKinds, edgeJobs, edgeTransformations, jobs, transformationLists, truncated };
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
  private answer(seeds: TraversalSeed[], opts: TraversalOptions): { n: number; edgeCount: number; truncated: boolean } {
    const count = this.plan(seeds, opts);
    if (count === 0) return { n: 0, edgeCount: 0, truncated: false };
    this.prepare();
    const { asOf, maxNodes } = opts;
    const filter = this.sets.mask(opts.transformations);
    const walked = this.walkAll(count, maxNodes, asOf, filter);
    let n = walked.n;
    let truncated = walked.truncated;
    this.sortNodes(n);
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

  private prepare(): void {
    // apply() and load() keep these current; they only act here after a load of an empty index or the like.
    this.ensureBuilt();
    this.ensureScratch();
  }

  /** Runs the planned walks and unions them into union[0, n) (membership, frontier flag, best distance). */
  private walkAll(count: number, maxNodes: number, asOf: number | undefined, filter: Uint8Array | null): { n: number; truncated: boolean } {
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

  // ---- mutation ----

  private validate(delta: GraphDelta, at: string): void {
    if (!delta || !Array.isArray(delta.groups)) throw invalidArgument(`${at}.groups`, 'expected an array');
    delta.groups.forEach((g: GraphDelta['groups'][number], i: number) => {
      const path = `${at}.groups[${i}]`;
      requireGraphId(g?.owner, `${path}.owner`);
      if (!Array.isArray(g.edges)) throw invalidArgument(`${path}.edges`, 'expected an array');
      if (!Array.isArray(g.columnEdges)) throw invalidArgument(`${path}.columnEdges`, 'expected an array');
      g.edges.forEach((e: LineageEdge, j: number) => this.validateEdge(e, `${path}.edges[${j}]`));
      g.columnEdges.forEach((e: ColumnEdge, j: number) => this.validateColumnEdge(e, `${path}.columnEdges[${j}]`));
    });
    if (!Array.isArray(delta.aliases)) throw invalidArgument(`${at}.aliases`, 'expected an array');
    delta.aliases.forEach((a: AliasRecord, i: number) => {
      requireGraphId(a?.alias, `${at}.aliases[${i}].alias`);
      requireGraphId(a.canonical, `${at}.aliases[${i}].canonical`);
    });
    if (!Array.isArray(delta.lifecycle)) throw invalidArgument(`${at}.lifecycle`, 'expected an array');
    delta.lifecycle.forEach((l: GraphDelta['lifecycle'][number], i: number) => {
      requireGraphId(l?.dataset, `${at}.lifecycle[${i}].dataset`);
      if (l.state === 'RENAME' && l.renamedTo !== undefined) requireGraphId(l.renamedTo, `${at}.lifecycle[${i}].renamedTo`);
    });
  }

  private validateEdge(e: LineageEdge, path: string): void {
    const from = requireGraphId(e?.from, `${path}.from`);
    const to = requireGraphId(e.to, `${path}.to`);
    if (e.kind === 'reads') {
      if (kindOfId(from) !== NodeKindCode.Dataset) throw invalidArgument(`${path}.from`, 'a reads edge goes from a dataset to a job');
      if (kindOfId(to) !== NodeKindCode.Job) throw invalidArgument(`${path}.to`, 'a reads edge goes from a dataset to a job');
    } else if (e.kind === 'writes') {
      if (kindOfId(from) !== NodeKindCode.Job) throw invalidArgument(`${path}.from`, 'a writes edge goes from a job to a dataset');
      if (kindOfId(to) !== NodeKindCode.Dataset) throw invalidArgument(`${path}.to`, 'a writes edge goes from a job to a dataset');
    } else {
      throw invalidArgument(`${path}.kind`, `expected "reads" or "writes", got ${JSON.stringify(e.kind)}`);
    }
    requireTime(e.validFrom, `${path}.validFrom`, false);
    requireTime(e.validTo, `${path}.validTo`, true);
  }

  private validateColumnEdge(e: ColumnEdge, path: string): void {
    if (kindOfId(requireGraphId(e?.from, `${path}.from`)) === NodeKindCode.Job) throw invalidArgument(`${path}.from`, 'a column edge starts at a datasetField (or a dataset)');
    if (kindOfId(requireGraphId(e.to, `${path}.to`)) !== NodeKindCode.Field) throw invalidArgument(`${path}.to`, 'a column edge ends at a datasetField');
    if (e.job !== null && e.job !== undefined && kindOfId(requireGraphId(e.job, `${path}.job`)) !== NodeKindCode.Job) throw invalidArgument(`${path}.job`, 'expected a job: id');
    if (e.transformations !== undefined && !Array.isArray(e.transformations)) throw invalidArgument(`${path}.transformations`, 'expected an array');
    requireTime(e.validFrom, `${path}.validFrom`, false);
    requireTime(e.validTo, `${path}.validTo`, true);
  }

  private mutate(delta: GraphDelta): void {
    for (const group of delta.groups) this.replaceOwner(group.owner, group.edges, group.columnEdges);
    let aliasesChanged = false;
    for (const a of delta.aliases) if (this.setAlias(a)) aliasesChanged = true;
    for (const l of delta.lifecycle) {
      if (l.state === 'RENAME' && l.renamedTo && this.setAlias({ alias: l.dataset, canonical: l.renamedTo })) aliasesChanged = true;
    }
    if (aliasesChanged) {
      const before = this.canon.slice(0, this.nodes.size);
      for (let n = 0; n < this.nodes.size; n++) {
        const c = this.resolveNode(n); // may intern (and grow this.canon): read the array after
        this.canon[n] = c;
      }
      if (!this.needsBuild) this.recanonicalise(before);
    }
    if (!this.needsBuild && (this.out.extraCount > Math.max(4096, this.edges.live >> 3) || this.edges.length - this.edges.live > Math.max(4096, this.edges.live >> 2))) {
      this.needsBuild = true;
    }
  }

  /**
   * After aliases changed the canonical node of a few nodes: moves just the edges touching those nodes to
   * their new canonical rows (dropped from their old rows, re-added on the append path), one scan of the
   * edge table instead of a CSR rebuild. Many changed nodes: a rebuild.
   */
  private recanonicalise(before: Int32Array): void {
    const size = before.length;
    const moved = new Uint8Array(size);
    let changed = 0;
    for (let n = 0; n < size; n++) {
      if (this.canon[n] !== before[n]) {
        moved[n] = 1;
        changed++;
      }
    }
    if (changed === 0) return;
    if (changed > Math.max(1024, size >> 6)) {
      this.needsBuild = true;
      return;
    }
    const t = this.edges;
    for (let s = 0; s < t.length; s++) {
      if (t.alive[s] === 0) continue;
      const from = t.from[s];
      const to = t.to[s];
      if (from >= size || to >= size || (moved[from] === 0 && moved[to] === 0)) continue;
      this.out.remove(before[from], s);
      this.in.remove(before[to], s);
      this.out.add(this.canon[from], s);
      this.in.add(this.canon[to], s);
    }
  }

  private replaceOwner(ownerId: string, edges: LineageEdge[], columnEdges: ColumnEdge[]): void {
    const owner = this.node(ownerId);
    const table = this.edges;
    const incremental = !this.needsBuild;
    for (let s = this.ownerStart[owner], end = s + this.ownerCount[owner]; s < end; s++) {
      if (table.alive[s] === 0) continue;
      if (incremental) {
        this.out.remove(this.canon[table.from[s]], s);
        this.in.remove(this.canon[table.to[s]], s);
      }
      table.kill(s);
    }
    const start = table.length;
    for (const e of edges) {
      const from = this.node(e.from);
      const to = this.node(e.to);
      const kind = e.kind === 'reads' ? EdgeKindCode.Reads : EdgeKindCode.Writes;
      table.append(from, to, kind, -1, owner, 0, provenanceCode(e.provenance), e.validFrom, e.validTo);
    }
    for (const e of columnEdges) {
      const from = this.node(e.from);
      const to = this.node(e.to);
      const job = e.job ? this.node(e.job) : -1;
      table.append(from, to, EdgeKindCode.Column, job, owner, this.sets.intern(e.transformations), provenanceCode(e.provenance), e.validFrom, e.validTo);
    }
    this.ownerStart[owner] = start;
    this.ownerCount[owner] = table.length - start;
    if (incremental) {
      for (let s = start; s < table.length; s++) {
        this.out.add(this.canon[table.from[s]], s);
        this.in.add(this.canon[table.to[s]], s);
      }
    }
  }

  /** Points alias at canonical. Refused (returns false) when it would make a cycle or changes nothing. */
  private setAlias(record: AliasRecord): boolean {
    const alias = this.node(record.alias);
    const canonical = this.node(record.canonical);
    if (alias === canonical || this.aliasTarget[alias] === canonical) return false;
    for (let c = canonical; c >= 0; c = this.aliasTarget[c]) if (c === alias) return false;
    if (this.aliasTarget[alias] < 0) this.aliasCount++;
    this.aliasTarget[alias] = canonical;
    return true;
  }

  /** Interns an id, giving new nodes their per-node state. */
  private node(id: string): number {
    const before = this.nodes.size;
    const n = this.nodes.intern(id);
    if (this.nodes.size !== before) this.adopt(before);
    return n;
  }

  private adopt(first: number): void {
    const capacity = this.nodes.capacity;
    this.canon = growInt32(this.canon, capacity, 0);
    this.aliasTarget = growInt32(this.aliasTarget, capacity, -1);
    this.ownerStart = growInt32(this.ownerStart, capacity, 0);
    this.ownerCount = growInt32(this.ownerCount, capacity, 0);
    this.rank = growInt32(this.rank, capacity, -1);
    const size = this.nodes.size;
    for (let n = first; n < size; n++) {
      this.canon[n] = n;
      this.rank[n] = -1;
    }
    for (let n = first; n < size; n++) {
      if (this.nodes.kinds[n] === NodeKindCode.Field && this.aliasCount > 0) {
        const c = this.resolveNode(n);
        this.canon[n] = c;
      }
    }
  }

  /** Follows alias pointers to the root; a field of an aliased dataset resolves to the root dataset's field. */
  private resolveNode(n: number): number {
    let c = n;
    while (this.aliasTarget[c] >= 0) c = this.aliasTarget[c];
    if (this.nodes.kinds[c] !== NodeKindCode.Field) return c;
    const dataset = this.nodes.fieldDataset[c];
    let root = dataset;
    while (this.aliasTarget[root] >= 0) root = this.aliasTarget[root];
    if (root === dataset || this.nodes.kinds[root] !== NodeKindCode.Dataset) return c;
    const field = this.node(fieldOnDataset(this.nodes.ids[root], this.nodes.ids[c]));
    return this.aliasTarget[field] >= 0 ? this.resolveNode(field) : field;
  }

  /** The canonical node of a query id, without interning anything; -1 when unknown. */
  private resolve(id: string): number {
    if (typeof id !== 'string') return -1;
    const n = this.nodes.lookup(id);
    if (n >= 0) return this.canon[n];
    if (!id.startsWith('datasetField:')) return -1;
    const dataset = this.nodes.lookup(fieldDatasetId(id));
    if (dataset < 0 || this.canon[dataset] === dataset) return -1;
    const field = this.nodes.lookup(fieldOnDataset(this.nodes.ids[this.canon[dataset]], id));
    return field < 0 ? -1 : this.canon[field];
  }

  private ensureBuilt(): void {
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
  private ensureRanked(force: boolean): void {
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
  private fitNodeArrays(): void {
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

  // ---- traversal ----

  /**
   * Validates the options and seeds, resolves the seeds into the seed scratch (sorted by distance, then
   * node) and fills planned[0, count) with the walks to run; returns count. Allocates nothing per seed.
   */
  private plan(seeds: TraversalSeed[], opts: TraversalOptions): number {
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
    for (let i = 0; i < total; i++) {
      const seed = seeds[i];
      const id = seed?.id;
      const kind = typeof id === 'string' ? kindOfId(id) : -1;
      if (kind < 0) requireGraphId(id, `seeds[${i}].id`); // throws, naming the seed
      const distance = seed.distance;
      if (!isIntIn(distance, 0, MAX_TRAVERSAL_DEPTH)) requireInt(distance, `seeds[${i}].distance`, 0, MAX_TRAVERSAL_DEPTH);
      // Without aliases every node is its own canonical node, of the kind its id says (one memory read less each).
      const plain = this.aliasCount === 0;
      const node = plain ? this.nodes.lookup(id) : this.resolve(id);
      if (node < 0) continue;
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

  /** Sorts seed scratch [start, end) by (distance, node): insertion for a few, packed keys for many. */
  private sortSeeds(start: number, end: number): void {
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

  private ensureScratch(): void {
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

  private nextWalkEpoch(): number {
    if (this.walkEpoch === 0xffffffff) {
      this.walkSeen.fill(0);
      this.walkEpoch = 0;
    }
    return ++this.walkEpoch;
  }

  private nextMemberEpoch(): number {
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
   * are queue[0, tail), their distances in walkDist; walkTruncated says whether it cut.
   */
  private walk(walk: Walk, maxNodes: number, asOf: number | undefined, filter: Uint8Array | null): number {
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
    for (;;) {
      // Seeds of this level; seed jobs (dataset walks only) are queued first so they sit in one range.
      seedJobsStart = seedJobsEnd = tail;
      while (si < seedEnd && seedDist[si] <= d) {
        const u = seedNode[si++];
        if (seen[u] === S) continue; // reached at this distance or closer already
        seen[u] = S;
        dist[u] = d;
        queue[tail++] = u;
      }
      if (!walk.column) {
        // Move this level's seed jobs to the front of the seeds just queued.
        for (let i = seedJobsStart; i < tail; i++) {
          const u = queue[i];
          if (kinds[u] !== NodeKindCode.Job) continue;
          queue[i] = queue[seedJobsEnd];
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
        tail = levelStart;
        break;
      }
      if (levelEnd > maxNodes) {
        this.sortRangeById(levelStart, levelEnd);
        tail = maxNodes;
        truncated = true;
        break;
      }
      if (d >= limit) break;
      const d1 = d + 1;
      for (let i = levelStart; i < levelEnd; i++) {
        const u = queue[i];
        if (kinds[u] === expandKind) tail = this.step(adj, u, enterKind, asOf, edgeFilter, S, d1, tail);
      }
      if (!walk.column) {
        // The jobs just entered (and the seed jobs of level d) lead on to the datasets they write (read, upstream) at d + 1.
        const jobsEnd = tail;
        for (let i = seedJobsStart; i < seedJobsEnd; i++) tail = this.step(adj, queue[i], leaveKind, asOf, null, S, d1, tail);
        for (let i = levelEnd; i < jobsEnd; i++) tail = this.step(adj, queue[i], leaveKind, asOf, null, S, d1, tail);
      }
      levelStart = levelEnd;
      d = d1;
    }
    this.walkTruncated = truncated;
    return tail;
  }

  /** Queues the unseen neighbours of u over valid edges of `kind` at distance d; returns the new queue tail. */
  private step(adj: Adjacency, u: number, kind: number, asOf: number | undefined, filter: Uint8Array | null, S: number, d: number, tail: number): number {
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
          dist[v] = d;
          queue[tail++] = v;
        }
      } else {
        const want = 1 | (kind << 2);
        for (let i = adj.offsets[u]; i < end; i++) {
          if ((flags[i] & LIVE_KIND_MASK) !== want) continue;
          const v = nbr[i];
          if (seen[v] === S || !this.followable(adj.slot[i], asOf, filter)) continue;
          seen[v] = S;
          dist[v] = d;
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
      dist[v] = d;
      queue[tail++] = v;
    }
    return tail;
  }

  private followable(slot: number, asOf: number | undefined, filter: Uint8Array | null): boolean {
    const edges = this.edges;
    if (!edges.isValid(slot, asOf)) return false;
    return filter === null || edges.kind[slot] !== EdgeKindCode.Column || filter[edges.trans[slot]] === 1;
  }


  /** Adds the walk's queue [0, tail) to union[n, ...): membership bit, frontier flag, smallest distance. Returns the new n. */
  private record(walk: Walk, tail: number, epoch: number, n: number): number {
    const kinds = this.nodes.kinds;
    const queue = this.queue;
    const dist = this.walkDist;
    const member = this.member;
    const mask = this.memberMask;
    const best = this.best;
    const union = this.union;
    const frontierKind = walk.column ? NodeKindCode.Field : NodeKindCode.Dataset;
    const limit = walk.limit;
    const bit = walk.bit;
    for (let i = 0; i < tail; i++) {
      const u = queue[i];
      const d = dist[u];
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
    return n;
  }

  private compareIds(a: number, b: number): number {
    const ra = this.rank[a];
    const rb = this.rank[b];
    if (ra >= 0 && rb >= 0) return ra - rb;
    const ia = this.nodes.ids[a];
    const ib = this.nodes.ids[b];
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }

  private sortRangeById(start: number, end: number): void {
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
  private sortNodes(n: number): void {
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
  private sortDense(m: number, maxDistance: number, out: Int32Array): void {
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
  private sortRuns(m: number, out: Int32Array): void {
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

  private sortKeys(m: number, out: Int32Array): void {
    const union = this.union;
    const best = this.best;
    const rank = this.rank;
    const keys = new Float64Array(m);
    for (let i = 0; i < m; i++) keys[i] = best[union[i]] * RANK_SPAN + rank[union[i]];
    keys.sort();
    const rankToNode = this.rankToNode;
    for (let i = 0; i < m; i++) out[i] = rankToNode[keys[i] % RANK_SPAN];
  }

  private ranksScratch(size: number): Int32Array {
    if (this.rankBuf.length < size) this.rankBuf = new Int32Array(Math.max(size, this.rankBuf.length * 2));
    return this.rankBuf.subarray(0, size);
  }

  /** Merges unranked nodes into order[0, m) (sorted ranked nodes): order[0, m + fresh.length) ends sorted. */
  private mergeFresh(m: number, fresh: number[]): void {
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
   * The edges among order[0, n) (pos[] set), in one pass over the out-adjacency of the kept nodes, into
   * edgeFrom/edgeTo (node positions) and edgeSlot; each row sorted by (to position, kind, job,
   * transformations) with repeats of one output edge dropped. Returns the edge count.
   */
  private collectEdges(n: number, asOf: number | undefined, filter: Uint8Array | null): number {
    const edges = this.edges;
    const member = this.member;
    const epoch = this.memberEpoch;
    const mask = this.memberMask;
    const pos = this.pos;
    const order = this.order;
    const out = this.out;
    const { offsets, nbr, slot, flags } = out;
    const builtNodes = out.builtNodes;
    const hasExtra = out.extraCount > 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const u = order[i];
      const mu = mask[u];
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
          if ((mu & mask[v] & (kind === EdgeKindCode.Column ? COLUMN_WALKS : DATASET_WALKS)) === 0) continue;
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
          if ((mu & mask[v] & (kind === EdgeKindCode.Column ? COLUMN_WALKS : DATASET_WALKS)) === 0) continue;
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
  private sortRow(start: number, end: number): number {
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
      if (eTo[k] === eTo[w - 1] && this.compareSlots(eSlot[k], eSlot[w - 1]) === 0) continue; // same edge, another interval or provenance
      eTo[w] = eTo[k];
      eSlot[w++] = eSlot[k];
    }
    return w;
  }

  private growEdges(capacity: number): void {
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
  private compareSlots(a: number, b: number): number {
    const edges = this.edges;
    const dk = edges.kind[a] - edges.kind[b];
    if (dk !== 0 || edges.kind[a] !== EdgeKindCode.Column) return dk;
    const ja = edges.job[a] < 0 ? '' : this.nodes.ids[this.canon[edges.job[a]]];
    const jb = edges.job[b] < 0 ? '' : this.nodes.ids[this.canon[edges.job[b]]];
    if (ja !== jb) return ja < jb ? -1 : 1;
    return this.sets.compare(edges.trans[a], edges.trans[b]);
  }
}
