/**
 * The gateway's merge state of a federated traversal, columnar: every id interned once (a number), nodes as
 * typed arrays (type, distance, holding domains as a bit mask, writing domain), edges as typed arrays of id
 * numbers. Shard answers (columnar-expand) merge straight into it; objects are built only for what a caller
 * reads out (a page, or the whole answer). An id's place in the table is found by its gateway number
 * (gateway-id-numbers.ts), so an id that came by number over a lean link is placed without hashing its string.
 */
import type { FederatedAliases } from './federated-aliases';
import type { NodeId, NodeType, Transformation } from '@lineage-hub/model';
import type { TraversedEdge } from '@lineage-hub/graph';
import type { ColumnarExpand } from './shard-rpc.contract';
import type { LeanIdRefs } from './lean-expand-codec';
import { COLUMNAR_EDGE_KINDS, COLUMNAR_NODE_TYPES, COLUMNAR_PROVENANCES } from './columnar-expand';
import { gatewayIdNumbers, type GatewayIdNumbers } from './gateway-id-numbers';
import { grow } from './typed-grow';
import { giveColumns, takeColumns } from './federated-table-columns';

const JOB = COLUMNAR_NODE_TYPES.indexOf('JOB');
const WRITES = COLUMNAR_EDGE_KINDS.indexOf('writes');
const COLUMN = COLUMNAR_EDGE_KINDS.indexOf('column');
const NULL_JOB = -2;

export interface FederatedNode {
  id: NodeId;
  type: NodeType;
  distance: number;
  /** Every domain whose shard holds this node (sorted). */
  domains: string[];
  /** The owning domain: a job's shard; for a dataset the shard whose job writes it, else the first holder. */
  domain: string;
}

export type FederatedEdge = TraversedEdge & { domain: string };

export class FederatedTable {
  readonly ids: string[] = [];
  /** Per id number: its gateway number. */
  numbers: Int32Array;
  /** Per gateway number: its id number + 1 here (0: not here); lent by the numbering until close(). */
  private places: Int32Array | null;
  /** Per id: 1 when some answer listed it as a node. */
  isNode: Uint8Array;
  nodeCount = 0;
  type: Uint8Array;
  distance: Int32Array;
  /** Per id: the writing domain's index + 1 (0: none seen). */
  writer: Uint16Array;
  /** Per id, `words` words: bit d = the domain of index d holds it. */
  masks: Uint32Array;
  private readonly words: number;
  edgeCount = 0;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeKind: Uint8Array;
  /** Id number of the edge's job, or -1 (no job field) / -2 (job: null). */
  edgeJob: Int32Array;
  /** Index into `sets`, or -1. */
  edgeSet: Int32Array;
  edgeDomain: Uint16Array;
  /** COLUMNAR_PROVENANCES code (0 declared); of the shards that sent an edge, the first in domain order names it. */
  edgeProvenance: Uint8Array;
  /** Per edge: the `epoch` of the merge that added it (how many nodes were in answer order then). */
  edgeEpoch: Int32Array;
  readonly sets: Transformation[][] = [];
  private readonly setPosition = new Map<string, number>();
  /** Open addressing over edge numbers (-1: empty), keyed by the edge's (from, to, kind, job) columns: no key objects. */
  private edgeSlots: Int32Array;
  /** recycle() gave the columns to a later table: nothing may be read here any more. */
  private recycled = false;

  /** `domains`: the shards' domains, sorted; a domain's index is its number in masks and writer. */
  constructor(
    readonly domains: readonly string[],
    readonly numbering: GatewayIdNumbers = gatewayIdNumbers(),
  ) {
    this.words = Math.max(1, Math.ceil(domains.length / 32));
    const c = takeColumns(this.words);
    this.numbers = c.numbers;
    this.isNode = c.isNode;
    this.type = c.type;
    this.distance = c.distance;
    this.writer = c.writer;
    this.masks = c.masks;
    this.edgeFrom = c.edgeFrom;
    this.edgeTo = c.edgeTo;
    this.edgeKind = c.edgeKind;
    this.edgeJob = c.edgeJob;
    this.edgeSet = c.edgeSet;
    this.edgeDomain = c.edgeDomain;
    this.edgeProvenance = c.edgeProvenance;
    this.edgeEpoch = c.edgeEpoch;
    this.edgeSlots = c.edgeSlots;
    this.places = numbering.borrowPlaces();
  }

  /**
   * The answer was built and nothing reads this table again (a whole-answer traversal that served no pages): its
   * columns go to a later table (federated-table-columns.ts). Closes it first.
   */
  recycle(): void {
    if (this.recycled) return;
    this.close();
    this.recycled = true;
    const { words, numbers, isNode, type, distance, writer, masks, edgeFrom, edgeTo, edgeKind, edgeJob, edgeSet, edgeDomain, edgeProvenance, edgeEpoch, edgeSlots } = this;
    giveColumns({ words, numbers, isNode, type, distance, writer, masks, edgeFrom, edgeTo, edgeKind, edgeJob, edgeSet, edgeDomain, edgeProvenance, edgeEpoch, edgeSlots }, this.ids.length);
  }

  get idCount(): number {
    return this.ids.length;
  }

  /** The id number of `id`, or undefined when no answer brought it. */
  has(id: string): number | undefined {
    const g = this.numbering.peek(id);
    const p = g >= 0 && this.places && g < this.places.length ? this.places[g] - 1 : -1;
    return p >= 0 ? p : undefined;
  }

  intern(id: string): number {
    return this.place(this.numbering.number(id), id);
  }

  /** The id number of the id with gateway number g (placed now if it is new here). */
  private place(g: number, id: string): number {
    if (!this.places) throw new Error('federated table closed: its traversal ended');
    const places = (this.places = grow(this.places, Math.max(g + 1, this.numbering.size)));
    let p = places[g] - 1;
    if (p < 0) {
      p = this.ids.length;
      this.ids.push(id);
      places[g] = p + 1;
      if (p >= this.isNode.length) {
        const n = p + 1;
        this.isNode = grow(this.isNode, n);
        this.type = grow(this.type, n);
        this.distance = grow(this.distance, n);
        this.writer = grow(this.writer, n);
        this.numbers = grow(this.numbers, this.isNode.length);
        this.masks = grow(this.masks, this.isNode.length * this.words);
      }
      this.numbers[p] = g;
    }
    return p;
  }

  /** The traversal ended: no id is placed any more (the place array goes back to the numbering, cleared). */
  close(): void {
    if (!this.places) return;
    this.numbering.returnPlaces(this.places, this.numbers, this.ids.length);
    this.places = null;
  }

  /**
   * Merges one columnar answer of the shard with domain index `shard`; returns the answer's positions as id
   * numbers. A node whose distance is at most `frozenAt` is final (an earlier page may show it): it is not
   * changed, and neither is an edge between two such nodes that the table has; one it has not is added (a late edge,
   * e.g. between two datasets' jobs at one distance, found by a later leg), marked with `epoch` (the nodes in answer
   * order now), so a later page carries it (pageEdges).
   */
  merge(shard: number, c: ColumnarExpand & LeanIdRefs, frozenAt: number, epoch = 0, aliases?: FederatedAliases): Int32Array {
    const local = new Int32Array(c.ids.length);
    if (c.idDictionary && c.idRefs?.length === c.ids.length) {
      // ids that came by number: their gateway numbers by the link's hints, then their places, no string hashed
      this.numbering.numberRefs(c.ids, c.idDictionary, c.idRefs, local);
      for (let i = 0; i < local.length; i++) local[i] = this.place(local[i], c.ids[i]);
    } else for (let i = 0; i < c.ids.length; i++) local[i] = this.intern(c.ids[i]);
    if (aliases && aliases.size > 0) {
      // a name another shard declared an alias of: the answer's node is the canonical one
      for (let i = 0; i < c.ids.length; i++) {
        const canonical = aliases.canonical(c.ids[i]);
        if (canonical !== c.ids[i]) local[i] = this.intern(canonical);
      }
    }
    const word = shard >>> 5;
    const bit = 1 << (shard & 31);
    for (let i = 0; i < c.nodeCount; i++) {
      const p = local[i];
      const distance = c.nodeDistances[i];
      if (!this.isNode[p]) {
        this.isNode[p] = 1;
        this.nodeCount++;
        this.type[p] = c.nodeTypes[i];
        this.distance[p] = distance;
      } else if (this.distance[p] <= frozenAt) continue;
      else if (distance < this.distance[p]) this.distance[p] = distance;
      this.masks[p * this.words + word] |= bit;
    }
    let setMap: Int32Array | undefined;
    for (let k = 0; k < c.edgeFrom.length; k++) {
      const from = local[c.edgeFrom[k]];
      const to = local[c.edgeTo[k]];
      const frozen = this.isNode[from] && this.isNode[to] && this.distance[from] <= frozenAt && this.distance[to] <= frozenAt;
      const kind = c.edgeKind[k];
      const job = c.edgeJob[k] >= 0 ? local[c.edgeJob[k]] : c.edgeJob[k];
      const slot = this.edgeSlot(from, to, kind, job);
      if (frozen && this.edgeSlots[slot] >= 0) continue;
      if (this.edgeSlots[slot] < 0) {
        const e = this.edgeCount++;
        if (e >= this.edgeFrom.length) {
          this.edgeFrom = grow(this.edgeFrom, e + 1);
          this.edgeTo = grow(this.edgeTo, e + 1);
          this.edgeKind = grow(this.edgeKind, e + 1);
          this.edgeJob = grow(this.edgeJob, e + 1);
          this.edgeSet = grow(this.edgeSet, e + 1);
          this.edgeDomain = grow(this.edgeDomain, e + 1);
          this.edgeProvenance = grow(this.edgeProvenance, e + 1);
          this.edgeEpoch = grow(this.edgeEpoch, e + 1);
        }
        this.edgeEpoch[e] = epoch;
        this.edgeFrom[e] = from;
        this.edgeTo[e] = to;
        this.edgeKind[e] = kind;
        this.edgeJob[e] = job;
        this.edgeDomain[e] = shard;
        this.edgeProvenance[e] = c.edgeProvenance?.[k] ?? 0;
        const s = c.edgeTransformations?.[k] ?? -1;
        if (s >= 0) {
          setMap ??= new Int32Array(c.transformationSets!.length).fill(-1);
          if (setMap[s] < 0) setMap[s] = this.internSet(c.transformationSets![s]);
          this.edgeSet[e] = setMap[s];
        } else this.edgeSet[e] = -1;
        this.edgeSlots[slot] = e;
        if (this.edgeCount * 2 > this.edgeSlots.length) this.rehashEdges();
      } else {
        // an edge several shards send is named by the first of them in domain order (not by which answered first)
        const e = this.edgeSlots[slot];
        if (shard < this.edgeDomain[e]) {
          this.edgeDomain[e] = shard;
          this.edgeProvenance[e] = c.edgeProvenance?.[k] ?? 0;
          const s = c.edgeTransformations?.[k] ?? -1;
          this.edgeSet[e] = s >= 0 ? this.internSet(c.transformationSets![s]) : -1;
        }
      }
      // the writer of a node this answer lists (a dataset's owner is the domain whose job writes it; of several, the
      // first in domain order)
      if (c.edgeTo[k] < c.nodeCount && (kind === WRITES || kind === COLUMN) && (!this.writer[to] || shard + 1 < this.writer[to]) && this.distance[to] > frozenAt) this.writer[to] = shard + 1;
    }
    return local;
  }

  /** The slot of the edge (from, to, kind, job): where it is, or the empty slot where it goes. */
  private edgeSlot(from: number, to: number, kind: number, job: number): number {
    const slots = this.edgeSlots;
    const mask = slots.length - 1;
    let h = Math.imul(from ^ Math.imul(to, 0x9e3779b1), 0x85ebca6b) ^ Math.imul(kind + 4 * (job + 2), 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = slots[i];
      if (e < 0 || (this.edgeFrom[e] === from && this.edgeTo[e] === to && this.edgeKind[e] === kind && this.edgeJob[e] === job)) return i;
    }
  }

  /** Doubles the edge slots (kept at most half full) and puts every edge back. */
  private rehashEdges(): void {
    this.edgeSlots = new Int32Array(this.edgeSlots.length * 2).fill(-1);
    for (let e = 0; e < this.edgeCount; e++) this.edgeSlots[this.edgeSlot(this.edgeFrom[e], this.edgeTo[e], this.edgeKind[e], this.edgeJob[e])] = e;
  }

  private internSet(set: Transformation[]): number {
    const key = JSON.stringify(set);
    let s = this.setPosition.get(key);
    if (s === undefined) {
      s = this.sets.length;
      this.sets.push(set);
      this.setPosition.set(key, s);
    }
    return s;
  }

  isJob(p: number): boolean {
    return this.type[p] === JOB;
  }

  /**
   * Per holder mask (one word, i.e. up to 32 domains): its domains in domain order, copied for each node (a node's
   * array is its own: a caller may change it), so a node costs one exact-size array, not a bit walk and a grown one.
   */
  private readonly holders = new Map<number, string[]>();

  private holdersOf(mask: number): string[] {
    let domains = this.holders.get(mask);
    if (domains === undefined) {
      domains = [];
      // holders are few (mostly one): visit the set bits only
      for (let bits = mask; bits !== 0; bits &= bits - 1) domains.push(this.domains[31 - Math.clz32(bits & -bits)]);
      this.holders.set(mask, domains);
    }
    return domains.slice();
  }

  /** The answer's node object of id number `p`. */
  node(p: number, ownerOf?: (id: NodeId) => string | undefined): FederatedNode {
    let domains: string[];
    if (this.words === 1) domains = this.holdersOf(this.masks[p]);
    else {
      domains = [];
      const at = p * this.words;
      for (let w = 0; w < this.words; w++) {
        for (let bits = this.masks[at + w]; bits !== 0; bits &= bits - 1) domains.push(this.domains[w * 32 + (31 - Math.clz32(bits & -bits))]);
      }
    }
    const id = this.ids[p] as NodeId;
    const type = COLUMNAR_NODE_TYPES[this.type[p]];
    const written = this.writer[p] ? this.domains[this.writer[p] - 1] : undefined;
    const domain = type === 'JOB' && domains.length === 1 ? domains[0] : (written ?? ownerOf?.(id) ?? domains[0]);
    return { id, type, distance: this.distance[p], domains, domain };
  }

  /**
   * The answer's edge object of edge number `e`. Its keys in one order (from, to, kind, job, transformations,
   * provenance, domain; the optional ones only when set); the usual edges (no transformations, declared) are built
   * as one literal, so an edge is one allocation rather than an object grown key by key.
   */
  edge(e: number): FederatedEdge {
    const from = this.ids[this.edgeFrom[e]] as NodeId;
    const to = this.ids[this.edgeTo[e]] as NodeId;
    const kind = COLUMNAR_EDGE_KINDS[this.edgeKind[e]];
    const job = this.edgeJob[e];
    const domain = this.domains[this.edgeDomain[e]];
    if (this.edgeSet[e] < 0 && this.edgeProvenance[e] === 0) {
      if (job >= 0) return { from, to, kind, job: this.ids[job] as NodeId, domain };
      if (job === NULL_JOB) return { from, to, kind, job: null, domain };
      return { from, to, kind, domain };
    }
    const edge = { from, to, kind } as FederatedEdge;
    if (job === NULL_JOB) edge.job = null;
    else if (job >= 0) edge.job = this.ids[job] as NodeId;
    if (this.edgeSet[e] >= 0) edge.transformations = this.sets[this.edgeSet[e]];
    if (this.edgeProvenance[e]) edge.provenance = COLUMNAR_PROVENANCES[this.edgeProvenance[e]];
    edge.domain = domain;
    return edge;
  }

  /**
   * Known nodes a shard's answer to `seeds` would list again: those at `depth` or closer that the shard of index
   * `shard` listed before (as far as its answers were merged), and the seeds that are known nodes.
   */
  heldWithin(shard: number, depth: number, seeds: ReadonlyArray<{ id: string }>): number {
    const word = shard >>> 5;
    const bit = 1 << (shard & 31);
    const held = (p: number) => (this.masks[p * this.words + word] & bit) !== 0;
    let n = 0;
    for (let p = 0; p < this.idCount; p++) if (this.isNode[p] && this.distance[p] <= depth && held(p)) n++;
    for (const seed of seeds) {
      const p = this.has(seed.id);
      if (p !== undefined && this.isNode[p] && !(this.distance[p] <= depth && held(p))) n++;
    }
    return n;
  }

  /** Id numbers of the nodes with distance in (above, upTo], sorted by (distance, id): bucketed by distance, each bucket sorted by id. */
  sortedNodes(above: number, upTo: number): number[] {
    const n = this.ids.length;
    const picked = new Int32Array(n);
    let count = 0;
    let low = Number.MAX_SAFE_INTEGER;
    let high = -1;
    for (let p = 0; p < n; p++) {
      if (!this.isNode[p]) continue;
      const d = this.distance[p];
      if (d <= above || d > upTo) continue;
      picked[count++] = p;
      if (d < low) low = d;
      if (d > high) high = d;
    }
    if (count === 0) return [];
    const starts = new Int32Array(high - low + 2);
    for (let i = 0; i < count; i++) starts[this.distance[picked[i]] - low + 1]++;
    for (let d = 1; d < starts.length; d++) starts[d] += starts[d - 1];
    const next = starts.slice(0, starts.length - 1);
    const byDistance = new Int32Array(count);
    for (let i = 0; i < count; i++) byDistance[next[this.distance[picked[i]] - low]++] = picked[i];
    const ids = this.ids;
    const byId = (a: number, b: number) => (ids[a] < ids[b] ? -1 : 1);
    const out: number[] = new Array(count);
    for (let d = 0; d < starts.length - 1; d++) {
      const bucket = byDistance.subarray(starts[d], starts[d + 1]);
      if (bucket.length > 1) bucket.sort(byId);
      for (let i = 0; i < bucket.length; i++) out[starts[d] + i] = bucket[i];
    }
    return out;
  }
}
