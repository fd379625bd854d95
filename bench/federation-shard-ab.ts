/**
 * A/B helper (not a result): the shard's CPU per lean expand, two builds on the same requests. Records the expand
 * requests the gateway sends for the bench's queries (this build's federatedTraversal over the bench mesh's 8 domains,
 * each shard in this process answering through the lean codec as apps/shard does), then replays every recorded
 * request against each build's shard side (its own LineageIndex per domain; request JSON parsed, traverseHeld,
 * encodeLeanAnswer into a frame with its header), in alternating blocks (the order flipped every pair), each block on
 * fresh per-domain id numberings (a new connection: ids first sent as strings, as on a gateway's first queries).
 * Every frame of one build must be byte-equal to the other's (same request, same numbering state).
 * node dist/bench/federation-shard-ab.js [queries a direction] (SAB_OLD=<other build's dist root>, SAB_DEPTHS=10,
 * SAB_PAIRS=6, SAB_DIRECTIONS=downstream,upstream; BENCH_JOBS_PER_DOMAIN shrinks the mesh)
 */
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import * as graphLib from '@lineage-hub/graph';
import * as current from '@lineage-hub/federation';
import { loadMembershipFilter, type ExpandRequest, type ExpandResponse, type FederationShard } from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';
import { buildDirectionalFilters, buildMembershipFilter } from '@lineage-hub/federation';
import { DOMAINS, domainGroups, rng } from './federation-mesh';

type Federation = typeof current;
type Graph = typeof graphLib;
interface Build {
  name: string;
  fed: Federation;
  graph: Graph;
  indexes: InstanceType<Graph['LineageIndex']>[];
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3));
const load1 = () => os.loadavg()[0].toFixed(1);

const loadIndexes = (graph: Graph) =>
  Array.from({ length: DOMAINS }, (_, d) => {
    const index = new graph.LineageIndex();
    index.load({ groups: domainGroups(d).map((g) => ({ ...g, columnEdges: [] })), aliases: [], lifecycle: [], version: 1 });
    return index;
  });

/** The shard's handling of one EXPAND frame's payload, as lean-expand-server.ts + apps/shard's leanExpand do it. */
const serve = (b: Build, d: number, payload: Buffer, numbering: InstanceType<Federation['LeanIdNumbering']>, request: number): Buffer => {
  const req = JSON.parse(payload.toString('utf8')) as ExpandRequest;
  const index = b.indexes[d];
  const compact = index.traverseHeld(req.seeds, { direction: req.direction, depth: req.depth, maxNodes: req.maxNodes, asOf: req.asOf, transformations: req.transformations, unordered: true });
  const answer = { version: index.version, truncated: compact.truncated, unknownSeeds: compact.unknownSeeds, columns: null, compact };
  return b.fed.writeFrameHeader(b.fed.encodeLeanAnswer(answer, numbering, b.fed.FRAME_HEADER_BYTES), b.fed.LEAN_ANSWER, request);
};

const main = async () => {
  const N = Number(process.argv[2] ?? 100);
  const depths = (process.env.SAB_DEPTHS ?? '10').split(',').map(Number);
  const pairs = Number(process.env.SAB_PAIRS ?? 6);
  const directions = (process.env.SAB_DIRECTIONS ?? 'downstream,upstream').split(',') as Array<'downstream' | 'upstream'>;
  const builds: Build[] = [{ name: 'new', fed: current, graph: graphLib, indexes: loadIndexes(graphLib) }];
  if (process.env.SAB_OLD) {
    const fed = (await import(path.join(process.env.SAB_OLD, 'libs/federation/src/index.js'))) as Federation;
    const graph = (await import(path.join(process.env.SAB_OLD, 'libs/graph/src/index.js'))) as Graph;
    builds.unshift({ name: 'old', fed, graph, indexes: loadIndexes(graph) });
  }
  const federation: FederationShard[] = [];
  const down = new Set<string>();
  const up = new Set<string>();
  for (let d = 0; d < DOMAINS; d++) {
    const edges = domainGroups(d).flatMap((g) => g.edges);
    for (const e of edges) if (e.from.startsWith('dataset:')) down.add(e.from);
    for (const e of edges) if (e.to.startsWith('dataset:')) up.add(e.to);
    const filters = buildDirectionalFilters(edges);
    federation.push({
      domain: `d${d}`,
      filter: loadMembershipFilter(buildMembershipFilter(builds[0].indexes[d].nodeIds())),
      downstream: filters.downstream && loadMembershipFilter(filters.downstream),
      upstream: filters.upstream && loadMembershipFilter(filters.upstream),
    });
  }
  // record: the requests of this build's gateway, answered by this build's shard side through the lean codec
  const random = rng(42);
  const recorded = new Map<string, Array<{ d: number; payload: Buffer }>>();
  const shardSide = builds[builds.length - 1];
  for (const direction of directions) {
    const pool = [...(direction === 'downstream' ? down : up)];
    const seeds = Array.from({ length: N }, () => pool[Math.floor(random() * pool.length)] as NodeId);
    for (const depth of depths) {
      const list: Array<{ d: number; payload: Buffer }> = [];
      const numberings = federation.map(() => new current.LeanIdNumbering());
      const dictionaries = federation.map(() => [] as string[]);
      const transport = {
        expand: async (domain: string, request: ExpandRequest): Promise<ExpandResponse> => {
          const d = Number(domain.slice(1));
          const payload = Buffer.from(JSON.stringify(request), 'utf8');
          list.push({ d, payload });
          const frame = serve(shardSide, d, payload, numberings[d], 1);
          return current.decodeLeanAnswer(frame.subarray(current.FRAME_HEADER_BYTES), dictionaries[d], domain);
        },
      };
      for (const seed of seeds) await current.federatedTraversal({ seeds: [seed], direction, depth, maxNodes: 100_000 }, federation, transport, { shardTimeoutMs: 60_000, budgetMs: 600_000 });
      recorded.set(`${direction} d${depth}`, list);
      log(`recorded ${direction} d${depth}: ${list.length} requests for ${N} queries (${fmt(list.length / N)} a query)`);
    }
  }
  const run = (b: Build, list: Array<{ d: number; payload: Buffer }>, frames: Buffer[] | null) => {
    const numberings = federation.map(() => new b.fed.LeanIdNumbering());
    const started = process.cpuUsage();
    for (let i = 0; i < list.length; i++) {
      const out = serve(b, list[i].d, list[i].payload, numberings[list[i].d], i);
      if (frames) frames[i] = out;
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000;
  };
  // warm-up and the byte-equality check: every build's frames for every request
  for (const [row, list] of recorded) {
    const firsts: string[] = [];
    const framesOf = builds.map((b) => {
      const frames: Buffer[] = new Array(list.length);
      // the first run meets every id the first time in this process (as a shard does on its first queries)
      firsts.push(`${b.name} ${fmt(run(b, list, frames) / N)}`);
      run(b, list, null);
      return frames;
    });
    log(`${row} first run (ids met the first time): ${firsts.join(' | ')} ms shard CPU/query`);
    for (let i = 0; i < list.length; i++)
      for (let k = 1; k < builds.length; k++)
        if (!framesOf[0][i].equals(framesOf[k][i])) throw new Error(`${row}: request ${i} (${list[i].payload.toString().slice(0, 200)}): ${builds[0].name} and ${builds[k].name} frames differ`);
    log(`${row}: ${list.length} frames byte-equal across ${builds.map((b) => b.name).join(', ')}`);
  }
  // a name of its own, so a profile can tell the timed runs from the warm-up
  const timedRun = (b: Build, list: Array<{ d: number; payload: Buffer }>) => run(b, list, null);
  for (const [row, list] of recorded) {
    const cpu: Record<string, number[]> = {};
    for (let p = 0; p < pairs; p++) {
      const order = p % 2 ? [...builds].reverse() : builds;
      const line: string[] = [];
      for (const b of order) {
        const ms = timedRun(b, list);
        (cpu[b.name] ??= []).push(ms / N);
        line.push(`${b.name} ${fmt(ms / N)}`);
      }
      log(`  ${row} pair ${p + 1}: ${line.join(' | ')} ms shard CPU/query; load ${load1()}`);
    }
    const summary = builds.map((b) => {
      const v = [...cpu[b.name]].sort((x, y) => x - y);
      return `${b.name} median ${fmt(v[v.length >> 1])} min ${fmt(v[0])}`;
    });
    log(`${row}: ${summary.join(', ')} ms shard CPU/query (all 8 shards, ${fmt(list.length / N)} requests a query); load ${load1()}`);
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
