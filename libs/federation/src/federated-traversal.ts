/**
 * The federated traversal: stitch shard-local expansions into one answer without holding anyone's graph.
 *
 * Round 1 sends the query node to every shard whose membership filter may hold it. Each shard walks its
 * local graph as far as the remaining depth allows and answers nodes, edges and its frontier. Every
 * dataset/field reached below the depth limit goes on, in the next round, only to the shards whose filter
 * may hold it and that have not already expanded it at that distance or closer. Rounds therefore grow with
 * the number of domain crossings, not with depth. A shard that fails or misses its deadline is named in
 * `missingDomains` and the answer says `complete: false`; it is never dropped silently.
 *
 * Early pages: a paged traversal walks in depth legs. A leg to depth L is a whole federated traversal to depth
 * L (so every node at distance ≤ L has its final distance when it ends); the next leg continues the same walk
 * from the datasets/fields at exactly distance L. The first legs are short (sized from the answer's growth so
 * far) until the first page is final, then one leg goes to the query's depth. Nodes are put in (distance, id)
 * order one leg's distances at a time: no sort of the whole answer before a page is served.
 */
import type { ExpandRequest, ExpandResponse, ColumnarExpand } from './shard-rpc.contract';
import { columnarExpandAnswer } from './columnar-expand';
import { ShardRefusedError } from './shard-answer';
import { FederatedTable, type FederatedEdge, type FederatedNode } from './federated-table';
import { FederatedWork } from './federated-work';
import { giveMarks, takeMarks } from './federated-table-columns';
import { grow } from './typed-grow';
import { pageEdges } from './federated-page-edges';
import { routeWork, type Batches } from './federated-routing';
import type { ExpandTransport, FederatedLimits, FederatedOptions, FederatedQuery, FederatedResult, FederatedStats, FederationShard } from './federated-traversal.types';

export * from './federated-traversal.types';

const timeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), Math.max(1, ms));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/** One page of a (possibly still running) traversal: exact for its nodes, whatever comes later. */
export interface FederatedPage {
  nodes: FederatedNode[];
  /**
   * The edges on the paths from the query node to this page's nodes (walked back from them, as far as earlier
   * pages' nodes), among the nodes final when the page was served: a page drawn with the pages before it shows
   * how its nodes are reached, and no page repeats the edges into an earlier page's nodes.
   */
  edges: FederatedEdge[];
  /** False when a shard had failed by the time this page's nodes were final (named in missingDomains). */
  complete: boolean;
  missingDomains: string[];
  truncated: boolean;
  /** The answer's node count once the traversal ended; null while it runs (later pages may follow). */
  totalNodes: number | null;
  /** True when nodes follow this page (or may: the traversal still runs). */
  more: boolean;
}

/** A leg short of the first page aims at this many times its nodes (see nextLegDepth). */
const LEG_MARGIN = 2;
/** A shard's expanded marks start this long (ids; the table's own columns start at 1024 too). */
const EXPANDED_CAPACITY = 1024;
/** Room left under the node cap below which a shard's budget counts the nodes it listed before (shardBudget). */
const NEAR_CAP = 1024;
/** A paged walk's first leg when no probe tells how far the page reaches. */
const FIRST_LEG_DEPTH = 2;

export class FederatedTraversal {
  private readonly table: FederatedTable;
  private readonly domains: string[];
  private readonly shards: FederationShard[];
  private readonly deadline: number;
  /** Per shard (domain index): distance + 1 at which it expanded an id in this leg (0: not). */
  private readonly expanded: Int32Array[];
  private readonly missing = new Set<string>();
  private readonly queried = new Set<string>();
  readonly stats: FederatedStats;
  private truncated = false;
  /** Id numbers in answer order, as far as final; positions by id number (-1: not yet). */
  private readonly ordered: number[] = [];
  private position = new Int32Array(0);
  /** After each leg: how many nodes of `ordered` were final, and who was missing then. */
  private readonly finals: Array<{ count: number; missing: string[] }> = [];
  private finalUpTo = -1;
  /** The node cap cut the walk: distances up to this are final, farther ones may not be (MAX_SAFE_INTEGER: not cut). */
  private exactUpTo = Number.MAX_SAFE_INTEGER;
  private ended = false;
  private waiters: Array<{ count: number; resolve: () => void; reject: (error: unknown) => void }> = [];
  private failure: unknown = null;
  private readonly finished: Promise<void>;

  /** `firstPage`: nodes the first page needs (paged: short legs until they are final); omitted: one leg. */
  constructor(
    private readonly query: FederatedQuery,
    shards: FederationShard[],
    private readonly transport: ExpandTransport,
    private readonly limits: FederatedLimits,
    private readonly options: FederatedOptions = {},
    private readonly firstPage?: number,
  ) {
    this.shards = [...shards].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
    this.domains = this.shards.map((s) => s.domain);
    this.table = new FederatedTable(this.domains);
    this.expanded = takeMarks(this.shards.length);
    this.deadline = Date.now() + limits.budgetMs;
    this.stats = { roundTrips: 0, messages: 0, seedsRouted: 0, falsePositives: 0, filterNegatives: 0, versions: {}, domainsQueried: [], legs: 0 };
    this.finished = this.run()
      .finally(() => this.table.close())
      .then(
        () => this.end(null),
        (error) => this.end(error ?? new Error('federated traversal failed')),
      );
  }

  private end(failure: unknown): void {
    this.ended = true;
    this.failure = failure;
    this.stats.domainsQueried = [...this.queried].sort();
    for (const w of this.waiters) if (failure) w.reject(failure);
    else w.resolve();
    this.waiters = [];
  }

  /** Resolves once the first `count` nodes (answer order) are final, or the traversal ended. */
  ready(count: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended || this.ordered.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ count, resolve, reject }));
  }

  get done(): boolean {
    return this.ended;
  }

  /** Nodes offset..offset+limit-1 in answer order, as far as final now (call after ready(offset + limit)). */
  page(offset: number, limit: number): FederatedPage {
    const end = Math.min(this.ordered.length, offset + limit);
    const nodes: FederatedNode[] = [];
    for (let i = offset; i < end; i++) nodes.push(this.table.node(this.ordered[i], this.options.ownerOf));
    const last = this.ended && end >= this.ordered.length;
    const edges = pageEdges(this.table, this.ordered, this.position, this.query.direction, offset, end, last).map((e) => this.table.edge(e));
    const final = this.finals.find((f) => f.count >= end);
    const missing = this.ended || !final ? [...this.missing].sort() : final.missing;
    return {
      nodes,
      edges,
      complete: missing.length === 0,
      missingDomains: missing,
      truncated: this.truncated,
      totalNodes: this.ended ? this.ordered.length : null,
      more: !this.ended || end < this.ordered.length,
    };
  }

  /** The whole answer (waits for the traversal to end). */
  result(): Promise<FederatedResult> {
    return (this.whole ??= this.assemble());
  }

  private whole: Promise<FederatedResult> | null = null;

  /**
   * The caller has the whole answer (result() resolved) and asks for no page: the table's typed columns are kept for
   * later traversals (federated-table-columns.ts). Nothing may be read from this traversal afterwards.
   */
  recycle(): void {
    if (!this.ended) throw new Error('federated traversal still runs: only an ended walk gives its table back');
    giveMarks(this.expanded, this.table.idCount);
    this.expanded.length = 0;
    this.table.recycle();
  }

  private async assemble(): Promise<FederatedResult> {
    await this.finished;
    if (this.failure) throw this.failure;
    const t = this.table;
    const nodes = this.ordered.map((p) => t.node(p, this.options.ownerOf));
    const edges: FederatedEdge[] = [];
    for (let e = 0; e < t.edgeCount; e++) {
      const a = t.edgeFrom[e] < this.position.length ? this.position[t.edgeFrom[e]] : -1;
      const b = t.edgeTo[e] < this.position.length ? this.position[t.edgeTo[e]] : -1;
      if (a >= 0 && b >= 0) edges.push(t.edge(e));
    }
    return { nodes, edges, complete: this.missing.size === 0, missingDomains: [...this.missing].sort(), truncated: this.truncated, stats: this.stats };
  }

  private async run(): Promise<void> {
    const { depth } = this.query;
    let legStart = -1;
    let work: FederatedWork = new FederatedWork(0);
    // a seed named by an alias another shard declared is walked as its canonical node (and under each of its names)
    for (const seed of this.query.seeds) work.offer(this.table.intern(this.options.aliases?.canonical(seed) ?? seed), 0);
    let before = { depth: 0, count: 1 };
    let now = before;
    for (;;) {
      const planned = this.nextLegDepth(legStart, before, now);
      this.stats.legs++;
      // cleared for the leg (no mark was set beyond the table's ids), kept long enough for the table's first growth:
      // not reallocated per shard at every round
      const n = Math.max(this.table.idCount, EXPANDED_CAPACITY);
      for (let s = 0; s < this.expanded.length; s++) this.expanded[s] = this.expanded[s].length >= n ? this.expanded[s].fill(0, 0, this.table.idCount) : new Int32Array(n);
      const { stopped, legDepth } = await this.leg(work, legStart, planned);
      if (stopped || this.exactUpTo < legDepth) break;
      this.finalize(legDepth);
      before = now;
      now = { depth: legDepth, count: this.ordered.length };
      if (legDepth >= depth) break;
      // the next leg goes on from the datasets/fields at exactly this leg's depth; and from job seeds after a leg of
      // depth 0 (a probe cut at the seeds): a job's outputs are at its distance, but a job seed's at 1
      const t = this.table;
      work = new FederatedWork(t.idCount);
      for (let p = 0; p < t.idCount; p++) if (t.isNode[p] && t.distance[p] === legDepth && (legDepth === 0 || !t.isJob(p))) work.offer(p, legDepth);
      if (work.size === 0) break;
      legStart = legDepth;
    }
    // a node cap that cut the walk: only the distances up to exactUpTo are final (the answer is that exact prefix)
    this.finalize(this.exactUpTo);
    if (this.ordered.length > this.query.maxNodes) {
      this.truncated = true;
      for (const p of this.ordered.splice(this.query.maxNodes)) this.position[p] = -1;
    }
  }

  /**
   * Short legs while the first page is not final (the growth per distance so far says how far it reaches); then the
   * rest. A leg aims at LEG_MARGIN × the page: the growth measured so far underestimates the next distances' (answers
   * grow faster farther out), and falling one distance short costs a whole leg (its rounds), while reaching past the
   * page costs only the extra nodes (bench mesh, 12 depth-20 seeds: 3 legs each instead of 3-4).
   */
  private nextLegDepth(legStart: number, before: { depth: number; count: number }, now: { depth: number; count: number }): number {
    const { depth } = this.query;
    if (this.firstPage === undefined) return depth;
    // the first leg's first round probes how far the seed's shards reach within the page's budget (see leg)
    if (legStart < 0) return this.probeBudget() > 0 ? depth : Math.min(depth, FIRST_LEG_DEPTH);
    if (now.depth === 0) return Math.min(depth, 1);
    if (now.count >= this.firstPage) return depth;
    const growth = Math.max(1.5, (now.count / Math.max(1, before.count)) ** (1 / Math.max(1, now.depth - before.depth)));
    const steps = Math.ceil(Math.log((LEG_MARGIN * this.firstPage) / Math.max(1, now.count)) / Math.log(growth));
    return Math.min(depth, legStart + Math.max(1, steps));
  }

  /** Puts the nodes with distance in (finalUpTo, upTo] in answer order and wakes the pages they complete. */
  private finalize(upTo: number): void {
    const batch = upTo > this.finalUpTo ? this.table.sortedNodes(this.finalUpTo, upTo) : [];
    this.finalUpTo = Math.max(this.finalUpTo, upTo);
    if (this.position.length < this.table.idCount) {
      const next = new Int32Array(this.table.idCount).fill(-1);
      next.set(this.position);
      this.position = next;
    }
    for (const p of batch) {
      this.position[p] = this.ordered.length;
      this.ordered.push(p);
    }
    this.finals.push({ count: this.ordered.length, missing: [...this.missing].sort() });
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      if (this.ordered.length >= w.count) w.resolve();
      else this.waiters.push(w);
    }
  }

  /** nodesWithin(the leg's depth) when the round was sent: the shards' budgets are the node cap less these. */
  private roundCount = 0;
  /** The largest distance in (legStart, legDepth) whose nodes so far stay under the node cap; -1: none. */
  private fittingDepth(legStart: number, legDepth: number): number {
    const t = this.table;
    const at = new Int32Array(legDepth + 1);
    for (let p = 0; p < t.idCount; p++) if (t.isNode[p] && t.distance[p] <= legDepth) at[t.distance[p]]++;
    let fits = -1;
    for (let d = 0, n = 0; d < legDepth; d++) {
      n += at[d];
      if (n >= this.query.maxNodes) break;
      if (d > legStart) fits = d;
    }
    return fits;
  }

  /** A probe's answers (or a leg cut short by the node cap) left nodes beyond the leg's depth in the table (they count once a leg reaches them). */
  private probedPast = false;

  /** The table's nodes up to `depth`: what the node cap and the shards' budgets count (a probe's farther nodes wait for their leg). */
  private nodesWithin(depth: number): number {
    const t = this.table;
    if (!this.probedPast || depth >= this.query.depth) return t.nodeCount;
    let n = 0;
    for (let p = 0; p < t.idCount; p++) if (t.isNode[p] && t.distance[p] <= depth) n++;
    return n;
  }

  /**
   * Nodes a paged walk's first round lets each shard answer (0: no probe): the page, when that stays below the node
   * cap (a probe's cut must not be mistaken for the cap's). Not more: other domains add to what the seed's shard
   * reaches, and a leg sized by twice the page held several times the page upstream (bench: 18.6 messages to the
   * first page against 15.4).
   */
  private probeBudget(): number {
    if (this.firstPage === undefined) return 0;
    // more than the seeds: a shard then cuts its answer past distance 0, so every seed it holds is in the probe's answer
    const budget = Math.max(this.query.seeds.length + 1, this.firstPage);
    return budget < this.query.maxNodes ? budget : 0;
  }

  /**
   * One leg: rounds until no work is left; `stopped` when the traversal must stop (budget spent, node cap reached).
   * A paged walk's first leg starts with a probe: the seed's shards walk to the query's depth but answer at most
   * probeBudget() nodes, cutting at a distance; the leg then goes to the nearest distance a shard had to cut at,
   * less one (every node up to it is in those answers), so the first leg's depth comes from the shards' graphs,
   * not from a guess, and usually holds the first page. Their nodes beyond it are kept (upper bounds of their
   * distances: the next leg reaches each of them again from the datasets at the leg's depth).
   */
  private async leg(work: FederatedWork, legStart: number, planned: number): Promise<{ stopped: boolean; legDepth: number }> {
    let legDepth = planned;
    const probe = legStart < 0 ? this.probeBudget() : 0;
    for (let round = 1; work.size > 0; round++) {
      const batches = routeWork(work, { table: this.table, shards: this.shards, missing: this.missing, expanded: this.expanded, query: this.query, stats: this.stats, aliases: this.options.aliases }, round === 1 && legStart < 0);
      if (batches.size === 0) return { stopped: false, legDepth };
      const remaining = this.deadline - Date.now();
      if (remaining <= 0) {
        for (const domain of batches.keys()) this.missing.add(domain);
        return { stopped: true, legDepth };
      }
      // paged: nothing this round or later reaches a node closer than the nearest seed it sends (every step crosses a
      // job), and those seeds are listed again by the shards they go to: the distances below it are final now (unless a
      // shard cut its answer closer: exactUpTo)
      if (this.firstPage !== undefined) {
        const final = Math.min(legDepth, nearestSeed(batches) - 1, this.exactUpTo);
        if (final > this.finalUpTo) this.finalize(final);
      }
      const timeoutMs = Math.min(this.limits.shardTimeoutMs, remaining);
      this.stats.roundTrips++;
      this.options.onRound?.(this.stats.roundTrips, batches);
      this.stats.messages += batches.size;
      const probing = probe > 0 && round === 1;
      this.roundCount = this.nodesWithin(legDepth);
      const onward = new FederatedWork(this.table.idCount);
      if (probing) {
        // a probe's answers set the leg's depth first (probedDepth), then merge with it
        const answers = await Promise.all([...batches].map(async ([domain, seeds]) => ({ domain, seeds, response: await this.send(domain, seeds, legDepth, timeoutMs, true, probe) })));
        legDepth = probedDepth(answers, legDepth);
        this.probedPast = legDepth < this.query.depth;
        for (const { domain, seeds, response } of answers) {
          if (!response) this.missing.add(domain);
          else this.merge(domain, seeds, response, onward, legStart, legDepth, true);
        }
      } else {
        // each answer merged as it arrives, while the round's slower shards still walk: the merge's CPU overlaps their
        // wait (the answer does not depend on the order: distances are minima, holders a union, an edge's and a
        // dataset's naming domain the first in domain order)
        const depthNow = legDepth;
        await Promise.all(
          [...batches].map(async ([domain, seeds]) => {
            const response = await this.send(domain, seeds, depthNow, timeoutMs, true);
            if (!response) this.missing.add(domain);
            else this.merge(domain, seeds, response, onward, legStart, depthNow);
          }),
        );
      }
      work = onward;
      if (this.nodesWithin(legDepth) > this.query.maxNodes) {
        // paged: the node cap is reached short of the leg's depth: the leg goes on only as far as the nodes fit
        const fits = this.firstPage !== undefined && work.size > 0 ? this.fittingDepth(legStart, legDepth) : -1;
        if (fits > legStart) {
          legDepth = fits;
          this.probedPast = true;
          const within = new FederatedWork(this.table.idCount);
          for (const p of work.ids) if (work.distance(p) < fits) within.offer(p, work.distance(p));
          work = within;
          continue;
        }
        if (work.size > 0) {
          this.truncated = true;
          // what the work left would still reach lies beyond its distances: nodes up to the nearest are final
          for (const p of work.ids) this.exactUpTo = Math.min(this.exactUpTo, work.distance(p));
        }
        return { stopped: true, legDepth };
      }
    }
    return { stopped: false, legDepth };
  }

  /** One expand message; null when the shard failed or missed its deadline. */
  private async send(domain: string, seeds: ExpandRequest['seeds'], depth: number, timeoutMs: number, count = true, probe?: number): Promise<(ExpandResponse & { columnar: ColumnarExpand }) | null> {
    const started = Date.now();
    if (count) this.stats.seedsRouted += seeds.length;
    this.queried.add(domain);
    const q = this.query;
    const request: ExpandRequest = {
      seeds,
      direction: q.direction,
      depth,
      maxNodes: probe ?? this.shardBudget(domain, seeds, depth),
      ...(q.asOf !== undefined ? { asOf: q.asOf } : {}),
      ...(q.transformations?.length ? { transformations: q.transformations } : {}),
      ...this.formatFor(domain),
    };
    try {
      const response = await timeout(this.transport.expand(domain, request, timeoutMs), timeoutMs, `shard "${domain}"`);
      return columnarExpandAnswer(response);
    } catch (error) {
      if (request.format === 'packed' && error instanceof ShardRefusedError && error.field === 'format') {
        // a shard that predates the packed form: ask it for the columnar one (this query, from now on)
        this.unpacked.add(domain);
        return this.send(domain, seeds, depth, Math.max(1, timeoutMs - (Date.now() - started)), false, probe);
      }
      return null;
    }
  }

  /**
   * Nodes a shard may answer: the node cap less the nodes known so far. Near the cap (less room than nodes known, or
   * under NEAR_CAP), plus the known nodes that shard will list again, which take no room: those it listed before
   * within the request's depth, and the known nodes sent to it as seeds (FederatedTable.heldWithin). Without them a
   * shard cut its answer at the nodes the gateway had, and a walk that would fit said truncated with fewer nodes.
   */
  private shardBudget(domain: string, seeds: ExpandRequest['seeds'], depth: number): number {
    // a small cap: every shard may answer all of it (cheap), so none cuts its answer at nodes another shard listed
    if (this.query.maxNodes <= NEAR_CAP) return this.query.maxNodes;
    const left = this.query.maxNodes - this.roundCount;
    if (left >= this.roundCount && left >= NEAR_CAP) return Math.max(1, left);
    return Math.max(1, left + this.table.heldWithin(this.domains.indexOf(domain), depth, seeds));
  }

  /** Domains that refused the packed form in this traversal (they get 'columnar'). */
  private readonly unpacked = new Set<string>();

  private formatFor(domain: string): Pick<ExpandRequest, 'format'> {
    const format = this.options.answerFormat ?? 'packed';
    if (format === 'plain') return {};
    return { format: format === 'packed' && this.unpacked.has(domain) ? 'columnar' : format };
  }

  /** Merges one answer; what it reached below the leg's depth goes into `onward` (it may continue elsewhere). */
  private merge(domain: string, seeds: ExpandRequest['seeds'], response: ExpandResponse & { columnar: ColumnarExpand }, onward: FederatedWork, legStart: number, legDepth: number, probing = false): void {
    this.stats.versions[domain] = response.version;
    const s = this.domains.indexOf(domain);
    const c = response.columnar;
    // a probe's cut only set the leg's depth (probedDepth): the walk goes on past it
    if (response.truncated && !probing) {
      // the shard cut its answer at its farthest distance: nodes closer than that are all in it, the rest may not be
      this.truncated = true;
      let farthest = 0;
      for (let i = 0; i < c.nodeCount; i++) farthest = Math.max(farthest, c.nodeDistances[i]);
      this.exactUpTo = Math.min(this.exactUpTo, farthest - 1);
    }
    const t = this.table;
    // nodes already put in answer order (earlier legs, or earlier rounds of a paged walk) are frozen: a page stays exact
    const local = t.merge(s, c, Math.max(legStart, this.finalUpTo), this.ordered.length, this.options.aliases);
    if (response.unknownSeeds) this.stats.falsePositives += response.unknownSeeds.length;
    else {
      const held = new Set<string>(c.ids.slice(0, c.nodeCount));
      for (const seed of seeds) if (!held.has(seed.id)) this.stats.falsePositives++;
    }
    const done = (this.expanded[s] = grow(this.expanded[s], t.idCount));
    const goOn = (p: number, reached: number) => {
      if (reached >= legDepth) return;
      const best = t.isNode[p] ? t.distance[p] : reached;
      // a node final before this leg: everything beyond it is reached from this leg's start nodes
      if (best <= legStart) return;
      const before = done[p];
      if (before === 0 || reached < before - 1) done[p] = reached + 1;
      const distance = Math.min(best, reached);
      onward.offer(p, distance);
    };
    for (let i = 0; i < c.frontier.length; i++) {
      const k = c.frontier[i];
      const reached = c.frontierDistances[i];
      // a frontier node listed among the nodes at the same distance goes on with the nodes below
      if (k < c.nodeCount && !t.isJob(local[k]) && c.nodeDistances[k] === reached) continue;
      goOn(local[k], reached);
    }
    for (let i = 0; i < c.nodeCount; i++) if (!t.isJob(local[i])) goOn(local[i], c.nodeDistances[i]);
  }
}

/**
 * The depth a probing leg goes to: `planned`, or less one than the nearest distance a shard cut its answer at (a cut
 * answer holds all the shard reaches up to that distance less one, and part of that distance).
 */
const probedDepth = (answers: Array<{ response: (ExpandResponse & { columnar: ColumnarExpand }) | null }>, planned: number): number => {
  let depth = planned;
  let cut = false;
  for (const { response } of answers) {
    if (!response?.truncated) continue;
    const c = response.columnar;
    let farthest = 0;
    for (let i = 0; i < c.nodeCount; i++) farthest = Math.max(farthest, c.nodeDistances[i]);
    depth = Math.min(depth, farthest - 1);
    cut = true;
  }
  // no shard had to cut: its graph says nothing of how far the page reaches (other domains may hold most of it)
  return cut ? Math.max(0, depth) : Math.min(planned, FIRST_LEG_DEPTH);
};

/** The smallest distance among the seeds a round sends. */
const nearestSeed = (batches: Batches): number => {
  let nearest = Number.MAX_SAFE_INTEGER;
  for (const seeds of batches.values()) for (const seed of seeds) if (seed.distance < nearest) nearest = seed.distance;
  return nearest;
};

/** The whole federated answer in one leg (no early pages); the walk's table columns go on to later walks. */
export const federatedTraversal = async (
  query: FederatedQuery,
  shards: FederationShard[],
  transport: ExpandTransport,
  limits: FederatedLimits,
  options: FederatedOptions = {},
): Promise<FederatedResult> => {
  const walk = new FederatedTraversal(query, shards, transport, limits, options);
  const result = await walk.result();
  walk.recycle();
  return result;
};
