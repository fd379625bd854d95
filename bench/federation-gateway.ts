/**
 * The gateway side of the federation bench, in its own process (forked by federation.bench.ts): libs/federation's
 * ShardClient (the gateway's own client: a Nest TCP ClientProxy per shard process), the shards' Bloom filters and
 * federatedTraversal, no cache. It holds what a gateway holds and nothing else, so its garbage collector does not
 * scan the bench's baselines (the merged graph, its index, the reference walk's maps: ~1 GB in the bench
 * process). The bench asks it over IPC for one query at a time; the time is taken here, around
 * federatedTraversal only, and the answer goes back untimed to be checked against the reference walk.
 */
import 'reflect-metadata';
import {
  federatedTraversal,
  FederatedTraversal,
  loadMembershipFilter,
  ShardClient,
  ShardRpcPatterns,
  type ShardMessageName,
  type ExpandRequest,
  type ExpandResponse,
  type FederationShard,
  type FilterResponse,
} from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';
import { BENCH_CPU } from './federation-shard-cpu';

export interface GatewayQuery {
  seed: NodeId;
  direction: 'downstream' | 'upstream';
  depth: number;
  maxNodes: number;
  /** A/B only: time the first `firstPage` nodes of a paged traversal (FederatedTraversal.ready), not the whole answer. */
  firstPage?: number;
  /** With firstPage: answer the paged walk's whole answer (result()) instead of its first page. */
  wholePaged?: boolean;
}

export interface GatewayAnswer {
  ms: number;
  /** [id, distance] per node, answer order. */
  nodes: Array<[string, number]>;
  truncated: boolean;
  complete: boolean;
  missingDomains: string[];
  roundTrips: number;
  messages: number;
  /** BENCH_DEBUG: the seeds of each round. */
  trace: string[];
}

/** Counters since the last ask: where the queries' time went (all but cpu: BENCH_DEBUG only). */
export interface GatewayCounters {
  /** This process's CPU time inside federatedTraversal (process.cpuUsage: user + system). */
  gatewayCpuMs: number;
  /** The shard processes' CPU time over the same span (each shard's bench.cpu answer, summed). */
  shardCpuMs: number;
  shardCallMs: number;
  shardServerMs: number;
  nodesSent: number;
  answerBytes: number;
  roundSlowestMs: number;
  roundFastestMs: number;
}

type Ask =
  | { type: 'init'; shards: Array<{ domain: string; port: number }>; answerFormat: 'packed' | 'columnar' | 'plain' }
  | { type: 'query'; query: GatewayQuery }
  | { type: 'counters' };

const ms = (hr: bigint) => Number(hr) / 1e6;
const debug = Boolean(process.env.BENCH_DEBUG);

/** The gateway's own client (apps/gateway's ShardClientService is this class): Nest TCP, answers unwrapped and checked. */
const client = new ShardClient();
const domains: string[] = [];
const federation: FederationShard[] = [];
let answerFormat: 'packed' | 'columnar' | 'plain' = 'packed';
const limits = { shardTimeoutMs: 30_000, budgetMs: 120_000 };
const counters: GatewayCounters = { gatewayCpuMs: 0, shardCpuMs: 0, shardCallMs: 0, shardServerMs: 0, nodesSent: 0, answerBytes: 0, roundSlowestMs: 0, roundFastestMs: 0 };
let roundCalls: number[] = [];
const closeRound = () => {
  if (roundCalls.length > 0) {
    counters.roundSlowestMs += Math.max(...roundCalls);
    counters.roundFastestMs += Math.min(...roundCalls);
  }
  roundCalls = [];
};

// bench.cpu is the bench shard's own message, outside the contract's types
const send = async <T>(domain: string, pattern: string, data: unknown, within = 30_000): Promise<T> =>
  (await client.call(domain, pattern as ShardMessageName, data as never, within)) as T;

const transport = {
  expand: async (domain: string, request: ExpandRequest, within: number) => {
    const began = process.hrtime.bigint();
    const response = await send<ExpandResponse & { serverMs?: number }>(domain, ShardRpcPatterns.expand, request, within);
    if (debug) {
      const took = ms(process.hrtime.bigint() - began);
      counters.shardCallMs += took;
      roundCalls.push(took);
      counters.shardServerMs += response.serverMs ?? 0;
      counters.nodesSent += response.packed?.nodeCount ?? response.columnar?.nodeCount ?? response.nodes.length;
      counters.answerBytes += JSON.stringify(response).length;
    }
    return response;
  },
};

const init = async (shards: Array<{ domain: string; port: number }>) => {
  let filterBytes = 0;
  for (const s of shards) {
    client.bind(s.domain, '127.0.0.1', s.port);
    domains.push(s.domain);
    // as the gateway's registry does: the version probe names the shard's lean expand port, if any
    const probe = await send<{ expandPort?: number }>(s.domain, ShardRpcPatterns.version, {});
    client.bindExpand(s.domain, answerFormat === 'packed' ? probe.expandPort : null);
    const response = await send<FilterResponse>(s.domain, ShardRpcPatterns.filter, {});
    filterBytes += JSON.stringify(response).length;
    federation.push({
      domain: s.domain,
      filter: loadMembershipFilter(response.filter),
      downstream: response.downstream && loadMembershipFilter(response.downstream),
      upstream: response.upstream && loadMembershipFilter(response.upstream),
    });
  }
  // the transport floor: one shard.version round trip at a time, to each shard in turn
  const rtt: number[] = [];
  for (let i = 0; i < 400; i++) {
    const t = process.hrtime.bigint();
    await send(shards[i % shards.length].domain, ShardRpcPatterns.version, {});
    if (i >= 100) rtt.push(ms(process.hrtime.bigint() - t));
  }
  return { filterBytes, rtt };
};

let lastRoundMessages = 0;
const query = async (q: GatewayQuery): Promise<GatewayAnswer> => {
  const trace: string[] = [];
  const onRound = (r: number, b: ReadonlyMap<string, ExpandRequest['seeds']>) => {
    lastRoundMessages = b.size;
    if (!debug) return;
    closeRound();
    trace.push(`round ${r}: ${[...b].map(([d, s]) => `${d}<-${s.map((x) => `${x.id}@${x.distance}`).join(',')}`).join(' ')}`);
  };
  const cpu = process.cpuUsage();
  const t = process.hrtime.bigint();
  if (q.firstPage !== undefined) {
    const walk = new FederatedTraversal({ seeds: [q.seed], direction: q.direction, depth: q.depth, maxNodes: q.maxNodes }, federation, transport, limits, { onRound, answerFormat }, q.firstPage);
    await walk.ready(q.firstPage);
    const page = walk.page(0, q.firstPage);
    const took = ms(process.hrtime.bigint() - t);
    const used = process.cpuUsage(cpu);
    counters.gatewayCpuMs += (used.user + used.system) / 1000;
    // the walk went on synchronously to its next round (and leg) before this continuation: that round is not counted
    const running = walk.done ? 0 : 1;
    const at = { roundTrips: walk.stats.roundTrips - running, messages: walk.stats.messages - (running ? lastRoundMessages : 0), legs: walk.stats.legs };
    const whole = await walk.result().catch(() => null); // the rest of the walk, untimed, before the next query
    closeRound();
    if (q.wholePaged && whole) return { ms: took, nodes: whole.nodes.map((n) => [n.id, n.distance]), truncated: whole.truncated, complete: whole.complete, missingDomains: whole.missingDomains, roundTrips: at.roundTrips, messages: at.messages, trace };
    return { ms: took, nodes: page.nodes.map((n) => [n.id, n.distance]), truncated: page.truncated, complete: page.complete, missingDomains: page.missingDomains, roundTrips: at.roundTrips, messages: at.messages, trace: [...trace, `first page after ${at.legs} legs`] };
  }
  const got = await federatedTraversal({ seeds: [q.seed], direction: q.direction, depth: q.depth, maxNodes: q.maxNodes }, federation, transport, limits, { onRound, answerFormat });
  const took = ms(process.hrtime.bigint() - t);
  const used = process.cpuUsage(cpu);
  counters.gatewayCpuMs += (used.user + used.system) / 1000;
  closeRound();
  return {
    ms: took,
    nodes: got.nodes.map((n) => [n.id, n.distance]),
    truncated: got.truncated,
    complete: got.complete,
    missingDomains: got.missingDomains,
    roundTrips: got.stats.roundTrips,
    messages: got.stats.messages,
    trace,
  };
};

/** The shard processes' CPU time so far (bench.cpu, a bench shard's own message). */
const shardCpuMs = async (): Promise<number> => {
  let total = 0;
  for (const domain of domains) total += await send<number>(domain, BENCH_CPU, {});
  return total;
};
let shardCpuAt = 0;

const answer = async (ask: Ask): Promise<unknown> => {
  if (ask.type === 'init') {
    answerFormat = ask.answerFormat;
    const ready = await init(ask.shards);
    shardCpuAt = await shardCpuMs();
    return ready;
  }
  if (ask.type === 'query') return query(ask.query);
  const shardCpu = await shardCpuMs();
  const now = { ...counters, shardCpuMs: shardCpu - shardCpuAt };
  shardCpuAt = shardCpu;
  for (const key of Object.keys(counters) as Array<keyof GatewayCounters>) counters[key] = 0;
  return now;
};

process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0)); // a normal exit, so a --cpu-prof profile is written
process.on('message', (message: { n: number; ask: Ask }) => {
  answer(message.ask).then(
    (value) => process.send!({ n: message.n, value }),
    (error) => process.send!({ n: message.n, error: String(error?.stack ?? error) }),
  );
});
process.send!({ n: 0, value: 'up' });
