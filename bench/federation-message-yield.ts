/**
 * Diagnostic helper (not a result): what each expand message of a federated query adds. The bench mesh's 8 domains
 * in this process (a LineageIndex per domain, its full and directional filters as the shards publish them), this
 * build's federatedTraversal over a transport that answers through the lean codec as apps/shard does; each answer
 * is scored, in the order the traversal received it, by the nodes it brought that no earlier answer of the query
 * had at that distance or closer. Prints per query: messages, round trips, messages that added nothing (all seeds
 * unknown to the shard, i.e. a filter's false positive; only the seeds came back; or every node already known),
 * nodes sent against the answer's nodes, and messages per round. Seeds: the federation bench's draw (rng(42) over
 * datasets with edges that way; downstream the same seeds as the bench's rows).
 * node dist/bench/federation-message-yield.js [queries] (YIELD_DIRECTION=downstream|upstream, YIELD_DEPTH=10)
 */
import 'reflect-metadata';
import { LineageIndex } from '@lineage-hub/graph';
import {
  buildDirectionalFilters,
  buildMembershipFilter,
  columnarExpandAnswer,
  decodeLeanAnswer,
  encodeLeanAnswer,
  federatedTraversal,
  LeanIdNumbering,
  loadMembershipFilter,
  type ExpandRequest,
  type ExpandResponse,
  type FederationShard,
} from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';
import { DOMAINS, domainGroups, rng } from './federation-mesh';
import { log } from './federation-measure';

interface Message {
  round: number;
  seeds: number;
  unknown: number;
  nodes: number;
  added: number;
}

const main = async () => {
  const N = Number(process.argv[2] ?? 200);
  const direction = (process.env.YIELD_DIRECTION ?? 'downstream') as 'downstream' | 'upstream';
  const depth = Number(process.env.YIELD_DEPTH ?? 10);
  const indexes: LineageIndex[] = [];
  const shards: FederationShard[] = [];
  const pool = new Set<string>();
  for (let d = 0; d < DOMAINS; d++) {
    const groups = domainGroups(d);
    const index = new LineageIndex();
    index.load({ groups: groups.map((g) => ({ ...g, columnEdges: [] })), aliases: [], lifecycle: [], version: 1 });
    indexes.push(index);
    const edges = groups.flatMap((g) => g.edges);
    for (const e of edges) {
      const id = direction === 'downstream' ? e.from : e.to;
      if (id.startsWith('dataset:')) pool.add(id);
    }
    const f = buildDirectionalFilters(edges);
    shards.push({
      domain: `d${d}`,
      filter: loadMembershipFilter(buildMembershipFilter(index.nodeIds())),
      downstream: f.downstream && loadMembershipFilter(f.downstream),
      upstream: f.upstream && loadMembershipFilter(f.upstream),
    });
  }
  const numberings = shards.map(() => new LeanIdNumbering());
  const dictionaries = shards.map(() => [] as string[]);
  let messages: Message[] = [];
  let best = new Map<string, number>();
  let round = 0;
  const transport = {
    expand: async (domain: string, request: ExpandRequest): Promise<ExpandResponse> => {
      const d = Number(domain.slice(1));
      const index = indexes[d];
      const compact = index.traverseHeldNumbers(request.seeds, { direction: request.direction, depth: request.depth, maxNodes: request.maxNodes, unordered: true });
      const frame = encodeLeanAnswer({ version: index.version, truncated: compact.truncated, unknownSeeds: compact.unknownSeeds, columns: null, compact }, numberings[d]);
      const response = decodeLeanAnswer(frame, dictionaries[d], domain);
      const c = columnarExpandAnswer(response).columnar;
      let added = 0;
      for (let i = 0; i < c.nodeCount; i++) {
        const known = best.get(c.ids[i]);
        if (known === undefined || c.nodeDistances[i] < known) {
          added++;
          best.set(c.ids[i], c.nodeDistances[i]);
        }
      }
      messages.push({ round, seeds: request.seeds.length, unknown: compact.unknownSeeds.length, nodes: c.nodeCount, added });
      return response;
    },
  };
  const random = rng(42);
  const seeds = [...pool];
  const picked = Array.from({ length: N }, () => seeds[Math.floor(random() * seeds.length)] as NodeId);
  const total = { messages: 0, rounds: 0, empty: 0, falsePositive: 0, seedsOnly: 0, seeds: 0, unknown: 0, sent: 0, answer: 0 };
  const byRound = new Map<number, { messages: number; empty: number }>();
  for (const seed of picked) {
    messages = [];
    best = new Map();
    round = 0;
    const result = await federatedTraversal({ seeds: [seed], direction, depth, maxNodes: 100_000 }, shards, transport, { shardTimeoutMs: 60_000, budgetMs: 600_000 }, { onRound: (r) => (round = r) });
    total.rounds += result.stats.roundTrips;
    total.answer += result.nodes.length;
    for (const m of messages) {
      total.messages++;
      total.seeds += m.seeds;
      total.unknown += m.unknown;
      total.sent += m.nodes;
      const r = byRound.get(m.round) ?? { messages: 0, empty: 0 };
      r.messages++;
      if (m.added === 0) {
        total.empty++;
        r.empty++;
        if (m.unknown === m.seeds) total.falsePositive++;
        else if (m.nodes <= m.seeds - m.unknown) total.seedsOnly++;
      }
      byRound.set(m.round, r);
    }
  }
  const per = (n: number) => (n / N).toFixed(2);
  log(
    `${direction} depth ${depth}, ${N} queries: ${per(total.messages)} messages and ${per(total.rounds)} round trips a query; ` +
      `messages that added no node ${per(total.empty)} a query (all seeds unknown to the shard ${per(total.falsePositive)}, only seeds back ${per(total.seedsOnly)}); ` +
      `${(total.seeds / total.messages).toFixed(1)} seeds a message, ${per(total.unknown)} unknown seeds a query; nodes sent ${per(total.sent)} for ${per(total.answer)} answer nodes a query`,
  );
  log([...byRound].sort((a, b) => a[0] - b[0]).map(([r, v]) => `round ${r}: ${per(v.messages)} messages (${per(v.empty)} added nothing)`).join('; '));
};

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
