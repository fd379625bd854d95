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
 */
import { invalidArgument, type AliasRecord, type ColumnEdge, type LineageEdge, type NodeId } from '@lineage-hub/model';
import type { GraphDelta, GraphSnapshot } from '@lineage-hub/store';
import { Adjacency, FLAG_OPEN, LIVE_KIND_MASK, openFlags } from './adjacency';
import { EdgeKindCode, EdgeTable, provenanceCode } from './edge-table';
import { fieldDatasetId, fieldOnDataset, kindOfId, NodeKindCode, nodeTypeName, NodeTable, requireGraphId } from './node-table';
import { TransformationSets } from './transformation-sets';
import type { TraversalOptions, TraversalResult, TraversalSeed, TraversedEdge, TraversedNode } from './traversal.types';

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
  seeds: Array<{ node: number; distance: number }>;
}

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
   */
  apply(delta: GraphDelta, version?: number): void {
    this.validate(delta, 'delta');
    if (version !== undefined) requireTime(version, 'version', false);
    this.mutate(delta);
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
      (this.walkSeen.byteLength + this.walkDist.byteLength + this.queue.byteLength + this.member.byteLength + this.memberMask.byteLength + this.best.byteLength + this.pos.byteLength);
    return { nodes: this.nodes.size, edges: this.edges.live, bytes, aliases: this.aliasCount, version: this.currentVersion };
  }

  traverse(seeds: TraversalSeed[], opts: TraversalOptions): TraversalResult {
    const { union, epoch, filter, truncated: cut } = this.walkAll(this.plan(seeds, opts), opts);
    const { asOf, maxNodes } = opts;
    let truncated = cut;
    const order = this.sortNodes(union);
    if (order.length > maxNodes) {
      truncated = true;
      for (let i = maxNodes; i < order.length; i++) this.memberMask[order[i]] = 0;
      order.length = maxNodes;
    }
    const ids = this.nodes.ids;
    const kinds = this.nodes.kinds;
    const nodes: TraversedNode[] = new Array(order.length);
    const frontier: TraversedNode[] = [];
    for (let i = 0; i < order.length; i++) {
      const u = order[i];
      this.pos[u] = i;
      const node: TraversedNode = { id: ids[u] as NodeId, type: nodeTypeName(kinds[u]), distance: this.best[u] };
      nodes[i] = node;
      if (this.memberMask[u] & FRONTIER) frontier.push(node);
    }
    const edges = this.collectEdges(order, epoch, asOf, filter);
    return { nodes, edges, truncated, frontier };
  }

  /**
   * The walk of traverse() without building the answer (no ids, no sorting, no edges): how many nodes
   * traverse() would return and whether it would be truncated. For impact counts (alert severity) and
   * for measuring the walk itself.
   */
  reach(seeds: TraversalSeed[], opts: TraversalOptions): { nodes: number; truncated: boolean } {
    const walks = this.plan(seeds, opts);
    if (walks.length === 1) {
      // One walk: its queue is the answer, no union to keep.
      this.prepare();
      const tail = this.walk(walks[0], opts.maxNodes, opts.asOf, this.sets.mask(opts.transformations));
      return { nodes: tail, truncated: this.walkTruncated };
    }
    const { union, truncated } = this.walkAll(walks, opts);
    return { nodes: Math.min(union.length, opts.maxNodes), truncated: truncated || union.length > opts.maxNodes };
  }

  private prepare(): void {
    this.ensureBuilt();
    this.ensureRanked(false);
    this.ensureScratch();
  }

  private walkAll(walks: Walk[], opts: TraversalOptions): { union: number[]; epoch: number; filter: Uint8Array | null; truncated: boolean } {
    this.prepare();
    const filter = this.sets.mask(opts.transformations);
    const epoch = this.nextMemberEpoch();
    const union: number[] = [];
    let truncated = false;
    for (const walk of walks) {
      const tail = this.walk(walk, opts.maxNodes, opts.asOf, filter);
      if (this.walkTruncated) truncated = true;
      this.record(walk, tail, epoch, union);
    }
    return { union, epoch, filter, truncated };
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
      for (let n = 0; n < this.nodes.size; n++) {
        const c = this.resolveNode(n); // may intern (and grow this.canon): read the array after
        this.canon[n] = c;
      }
      this.needsBuild = true;
    }
    if (!this.needsBuild && (this.out.extraCount > Math.max(4096, this.edges.live >> 3) || this.edges.length - this.edges.live > Math.max(4096, this.edges.live >> 2))) {
      this.needsBuild = true;
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
   * last ones) are sorted among themselves and merged into the ranked order: O(N) string compares, done
   * once enough of them piled up (until then results holding them sort by string compare).
   */
  private ensureRanked(force: boolean): void {
    const size = this.nodes.size;
    const ranked = this.rankToNode.length;
    const fresh = size - ranked;
    if (fresh === 0 || (!force && fresh <= 256 + (size >> 6))) return;
    const ids = this.nodes.ids;
    const freshIds = ids.slice(ranked, size).sort();
    const old = this.rankToNode;
    const merged = new Int32Array(size);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < ranked && j < fresh) {
      if (ids[old[i]] < freshIds[j]) merged[k++] = old[i++];
      else merged[k++] = this.nodes.lookup(freshIds[j++]);
    }
    while (i < ranked) merged[k++] = old[i++];
    while (j < fresh) merged[k++] = this.nodes.lookup(freshIds[j++]);
    for (let r = 0; r < size; r++) this.rank[merged[r]] = r;
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

  private plan(seeds: TraversalSeed[], opts: TraversalOptions): Walk[] {
    if (!opts || typeof opts !== 'object') throw invalidArgument('options', 'expected traversal options');
    const { direction } = opts;
    if (direction !== 'downstream' && direction !== 'upstream' && direction !== 'both') {
      throw invalidArgument('direction', `expected "downstream", "upstream" or "both", got ${JSON.stringify(direction)}`);
    }
    const depth = requireInt(opts.depth, 'depth', 0, MAX_TRAVERSAL_DEPTH);
    const upDepth = opts.upstreamDepth === undefined ? depth : requireInt(opts.upstreamDepth, 'upstreamDepth', 0, MAX_TRAVERSAL_DEPTH);
    requireInt(opts.maxNodes, 'maxNodes', 1, 2 ** 31 - 1);
    if (opts.asOf !== undefined) requireTime(opts.asOf, 'asOf', false);
    if (opts.transformations !== undefined && !Array.isArray(opts.transformations)) throw invalidArgument('transformations', 'expected an array of strings');
    if (!Array.isArray(seeds)) throw invalidArgument('seeds', 'expected an array');
    const datasetSeeds: Walk['seeds'] = [];
    const columnSeeds: Walk['seeds'] = [];
    for (let i = 0; i < seeds.length; i++) {
      const seed = seeds[i];
      const id = seed?.id;
      if (typeof id !== 'string' || kindOfId(id) < 0) requireGraphId(id, `seeds[${i}].id`); // throws, naming the seed
      const distance = seed.distance;
      if (!Number.isInteger(distance) || distance < 0 || distance > MAX_TRAVERSAL_DEPTH) requireInt(distance, `seeds[${i}].distance`, 0, MAX_TRAVERSAL_DEPTH);
      const node = this.resolve(id);
      if (node < 0) continue;
      (this.nodes.kinds[node] === NodeKindCode.Field ? columnSeeds : datasetSeeds).push({ node, distance });
    }
    const bySeedOrder = (a: { distance: number; node: number }, b: { distance: number; node: number }) => a.distance - b.distance || a.node - b.node;
    if (datasetSeeds.length > 1) datasetSeeds.sort(bySeedOrder);
    if (columnSeeds.length > 1) columnSeeds.sort(bySeedOrder);
    const walks: Walk[] = [];
    const down = direction !== 'upstream';
    const up = direction !== 'downstream';
    if (datasetSeeds.length > 0) {
      if (down) walks.push({ bit: WALK_DATASET_DOWN, column: false, downstream: true, limit: depth, seeds: datasetSeeds });
      if (up) walks.push({ bit: WALK_DATASET_UP, column: false, downstream: false, limit: upDepth, seeds: datasetSeeds });
    }
    if (columnSeeds.length > 0) {
      if (down) walks.push({ bit: WALK_COLUMN_DOWN, column: true, downstream: true, limit: depth, seeds: columnSeeds });
      if (up) walks.push({ bit: WALK_COLUMN_UP, column: true, downstream: false, limit: upDepth, seeds: columnSeeds });
    }
    return walks;
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
    const adj = walk.downstream ? this.out : this.in;
    const { seeds, limit } = walk;
    const expandKind = walk.column ? NodeKindCode.Field : NodeKindCode.Dataset;
    const enterKind = walk.column ? EdgeKindCode.Column : walk.downstream ? EdgeKindCode.Reads : EdgeKindCode.Writes;
    const leaveKind = walk.downstream ? EdgeKindCode.Writes : EdgeKindCode.Reads;
    const edgeFilter = walk.column ? filter : null;
    let seedJobs: number[] | null = null;
    let tail = 0;
    let levelStart = 0;
    let si = 0;
    let d = seeds[0].distance;
    let truncated = false;
    for (;;) {
      while (si < seeds.length && seeds[si].distance <= d) {
        const u = seeds[si++].node;
        if (seen[u] === S) continue; // reached at this distance or closer already
        seen[u] = S;
        dist[u] = d;
        queue[tail++] = u;
        if (kinds[u] === NodeKindCode.Job) (seedJobs ??= []).push(u);
      }
      const levelEnd = tail;
      if (levelEnd === levelStart) {
        if (si === seeds.length) break;
        d = seeds[si].distance;
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
        if (seedJobs !== null) for (const u of seedJobs) tail = this.step(adj, u, leaveKind, asOf, null, S, d1, tail);
        for (let i = levelEnd; i < jobsEnd; i++) tail = this.step(adj, queue[i], leaveKind, asOf, null, S, d1, tail);
      }
      seedJobs = null;
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

  /** Adds the walk's queue [0, tail) to the union: membership bit, frontier flag, smallest distance. */
  private record(walk: Walk, tail: number, epoch: number, union: number[]): void {
    const kinds = this.nodes.kinds;
    const queue = this.queue;
    const dist = this.walkDist;
    const member = this.member;
    const mask = this.memberMask;
    const best = this.best;
    const frontierKind = walk.column ? NodeKindCode.Field : NodeKindCode.Dataset;
    const limit = walk.limit;
    for (let i = 0; i < tail; i++) {
      const u = queue[i];
      const d = dist[u];
      if (member[u] !== epoch) {
        member[u] = epoch;
        mask[u] = 0;
        best[u] = d;
        union.push(u);
      } else if (d < best[u]) {
        best[u] = d;
      }
      mask[u] |= walk.bit | (d < limit && kinds[u] === frontierKind ? FRONTIER : 0);
    }
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

  /** Union nodes in (best distance, id) order. */
  private sortNodes(union: number[]): number[] {
    const n = union.length;
    let allRanked = true;
    for (let i = 0; i < n; i++) {
      if (this.rank[union[i]] < 0) {
        allRanked = false;
        break;
      }
    }
    if (!allRanked) return union.sort((a, b) => this.best[a] - this.best[b] || this.compareIds(a, b));
    let maxDistance = 0;
    for (let i = 0; i < n; i++) if (this.best[union[i]] > maxDistance) maxDistance = this.best[union[i]];
    if (n * 8 > this.rankToNode.length && maxDistance < 4096) return this.sortDense(union, maxDistance);
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = this.best[union[i]] * RANK_SPAN + this.rank[union[i]];
    keys.sort();
    const order: number[] = new Array(n);
    for (let i = 0; i < n; i++) order[i] = this.rankToNode[keys[i] % RANK_SPAN];
    return order;
  }

  /** A large result: scan all nodes in id order once and bucket the members by distance (no comparison sort). */
  private sortDense(union: number[], maxDistance: number): number[] {
    const starts = new Int32Array(maxDistance + 2);
    for (let i = 0; i < union.length; i++) starts[this.best[union[i]] + 1]++;
    for (let d = 0; d <= maxDistance; d++) starts[d + 1] += starts[d];
    const order: number[] = new Array(union.length);
    const member = this.member;
    const epoch = this.memberEpoch;
    const rankToNode = this.rankToNode;
    for (let r = 0; r < rankToNode.length; r++) {
      const u = rankToNode[r];
      if (member[u] === epoch) order[starts[this.best[u]]++] = u;
    }
    return order;
  }

  private collectEdges(order: number[], epoch: number, asOf: number | undefined, filter: Uint8Array | null): TraversedEdge[] {
    const result: TraversedEdge[] = [];
    const ids = this.nodes.ids;
    const edges = this.edges;
    const member = this.member;
    const mask = this.memberMask;
    const pos = this.pos;
    const out = this.out;
    const { offsets, nbr, slot, flags } = out;
    for (let i = 0; i < order.length; i++) {
      const u = order[i];
      const mu = mask[u];
      let m = 0;
      if (u < out.builtNodes) {
        for (let k = offsets[u], end = offsets[u + 1]; k < end; k++) {
          const f = flags[k];
          if (f === 0) continue;
          const v = nbr[k];
          if (member[v] !== epoch) continue;
          const kind = f >> 2;
          if ((mu & mask[v] & (kind === EdgeKindCode.Column ? COLUMN_WALKS : DATASET_WALKS)) === 0) continue;
          const s = slot[k];
          if (asOf === undefined ? (f & FLAG_OPEN) === 0 : !edges.isValid(s, asOf)) continue;
          if (filter !== null && kind === EdgeKindCode.Column && filter[edges.trans[s]] === 0) continue;
          m = this.pushPicked(m, v, s);
        }
      }
      const extra = out.extraCount > 0 ? out.extraOf(u) : undefined;
      if (extra !== undefined) {
        for (const s of extra) {
          const v = this.canon[edges.to[s]];
          if (member[v] !== epoch) continue;
          const kind = edges.kind[s];
          if ((mu & mask[v] & (kind === EdgeKindCode.Column ? COLUMN_WALKS : DATASET_WALKS)) === 0) continue;
          if (!this.followable(s, asOf, filter)) continue;
          m = this.pushPicked(m, v, s);
        }
      }
      if (m === 0) continue;
      const pt = this.pickedTarget;
      const ps = this.pickedSlot;
      // Sort by (target position, kind, job, transformations): insertion sort for short rows.
      if (m > 32) this.sortPicked(m);
      else for (let a = 1; a < m; a++) {
        const tv = pt[a];
        const ts = ps[a];
        let b = a - 1;
        while (b >= 0 && (pos[pt[b]] - pos[tv] || this.compareSlots(ps[b], ts)) > 0) {
          pt[b + 1] = pt[b];
          ps[b + 1] = ps[b];
          b--;
        }
        pt[b + 1] = tv;
        ps[b + 1] = ts;
      }
      const from = ids[u] as NodeId;
      for (let k = 0; k < m; k++) {
        const s = ps[k];
        const v = pt[k];
        if (k > 0 && v === pt[k - 1] && this.compareSlots(s, ps[k - 1]) === 0) continue; // same edge, another interval or provenance
        const kind = edges.kind[s];
        if (kind === EdgeKindCode.Column) {
          const job = edges.job[s];
          result.push({
            from,
            to: ids[v] as NodeId,
            kind: 'column',
            job: job < 0 ? null : (ids[this.canon[job]] as NodeId),
            transformations: this.sets.lists[edges.trans[s]] as TraversedEdge['transformations'],
          });
        } else {
          result.push({ from, to: ids[v] as NodeId, kind: kind === EdgeKindCode.Reads ? 'reads' : 'writes' });
        }
      }
    }
    return result;
  }

  private sortPicked(m: number): void {
    const pos = this.pos;
    const pt = this.pickedTarget;
    const ps = this.pickedSlot;
    const idx = Array.from({ length: m }, (_, k) => k);
    idx.sort((a, b) => pos[pt[a]] - pos[pt[b]] || this.compareSlots(ps[a], ps[b]));
    const t = idx.map((k) => pt[k]);
    const sl = idx.map((k) => ps[k]);
    for (let k = 0; k < m; k++) {
      pt[k] = t[k];
      ps[k] = sl[k];
    }
  }

  private pickedTarget = new Int32Array(64);
  private pickedSlot = new Int32Array(64);

  private pushPicked(m: number, v: number, s: number): number {
    if (m === this.pickedTarget.length) {
      const t = new Int32Array(m * 2);
      t.set(this.pickedTarget);
      this.pickedTarget = t;
      const p = new Int32Array(m * 2);
      p.set(this.pickedSlot);
      this.pickedSlot = p;
    }
    this.pickedTarget[m] = v;
    this.pickedSlot[m] = s;
    return m + 1;
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
