/**
 * The gateway side of the federation bench, in its own process (forked by federation.bench.ts): a TCP ClientProxy
 * per shard process, the shards' Bloom filters, libs/federation federatedTraversal, no cache. It holds what a
 * gateway holds and nothing else, so its garbage collector does not scan the bench's baselines (the merged
 * graph, its index, the reference walk's maps: ~1 GB in the bench process). The bench asks it over IPC for one
 * query at a time; the time is taken here, around federatedTraversal only, and the answer goes back untimed to be
 * checked against the reference walk.
 */
import 'reflect-metadata';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import {
  federatedTraversal,
  loadMembershipFilter,
  ShardRpcPatterns,
  type ExpandRequest,
  type ExpandResponse,
  type FederationShard,
  type FilterResponse,
} from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';

export interface GatewayQuery {
  seed: NodeId;
  direction: 'downstream' | 'upstream';
  depth: number;
  maxNodes: number;
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

/** BENCH_DEBUG counters since the last ask: where a query's time went. */
export interface GatewayCounters {
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

const clients = new Map<string, ClientProxy>();
const federation: FederationShard[] = [];
let answerFormat: 'packed' | 'columnar' | 'plain' = 'packed';
const limits = { shardTimeoutMs: 30_000, budgetMs: 120_000 };
const counters: GatewayCounters = { shardCallMs: 0, shardServerMs: 0, nodesSent: 0, answerBytes: 0, roundSlowestMs: 0, roundFastestMs: 0 };
let roundCalls: number[] = [];
const closeRound = () => {
  if (roundCalls.length > 0) {
    counters.roundSlowestMs += Math.max(...roundCalls);
    counters.roundFastestMs += Math.min(...roundCalls);
  }
  roundCalls = [];
};

const send = async <T>(domain: string, pattern: string, data: unknown, within = 30_000): Promise<T> =>
  (await firstValueFrom(clients.get(domain)!.send<{ ok: true; value: T }>(pattern, data).pipe(timeout(within)))).value;

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
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: s.port } });
    await client.connect();
    clients.set(s.domain, client);
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

const query = async (q: GatewayQuery): Promise<GatewayAnswer> => {
  const trace: string[] = [];
  const onRound = debug
    ? (r: number, b: ReadonlyMap<string, ExpandRequest['seeds']>) => {
        closeRound();
        trace.push(`round ${r}: ${[...b].map(([d, s]) => `${d}<-${s.map((x) => `${x.id}@${x.distance}`).join(',')}`).join(' ')}`);
      }
    : undefined;
  const t = process.hrtime.bigint();
  const got = await federatedTraversal({ seeds: [q.seed], direction: q.direction, depth: q.depth, maxNodes: q.maxNodes }, federation, transport, limits, { onRound, answerFormat });
  const took = ms(process.hrtime.bigint() - t);
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

const answer = async (ask: Ask): Promise<unknown> => {
  if (ask.type === 'init') {
    answerFormat = ask.answerFormat;
    return init(ask.shards);
  }
  if (ask.type === 'query') return query(ask.query);
  const now = { ...counters };
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
