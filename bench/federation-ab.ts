/**
 * A/B helper (not a result): the federation bench's shards and gateway process, depth-20 (and 10) queries only, CPU
 * per query (gateway + shards) and wall p50, answers checked against the reference walk.
 * node dist/bench/federation-ab.js [queries]
 */
import 'reflect-metadata';
import { buildMergedGraph, mergedGraphBfs } from '@lineage-hub/federation';
import type { LineageEdge, NodeId } from '@lineage-hub/model';
import { DOMAINS, domainGroups, rng } from './federation-mesh';
import { startGateway, startShards } from './federation-processes';
import { fmt, load1, log, mean, percentile, sameAnswer } from './federation-measure';
import type { GatewayAnswer, GatewayCounters } from './federation-gateway';
import { measureGatewayPages } from './federation-pages';

const main = async () => {
  const N = Number(process.argv[2] ?? 12);
  const depths = (process.env.AB_DEPTHS ?? '20').split(',').map(Number);
  const prof = (dir: string | undefined) => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);
  const shards = await startShards(prof(process.env.AB_SHARD_PROF));
  const allEdges: LineageEdge[] = [];
  for (let d = 0; d < DOMAINS; d++) for (const g of domainGroups(d)) allEdges.push(...g.edges);
  const merged = buildMergedGraph(allEdges);
  const gateway = await startGateway([...(process.env.AB_GATEWAY_ARGS ?? '').split(' ').filter(Boolean), ...prof(process.env.AB_PROF)]);
  const ask = gateway.ask as (message: unknown) => Promise<any>;
  await ask({ type: 'init', shards: shards.map(({ domain, port }) => ({ domain, port })), answerFormat: 'packed' });
  const random = rng(42);
  const held = [...merged.down.keys()].filter((id) => id.startsWith('dataset:'));
  const written = [...merged.up.keys()].filter((id) => id.startsWith('dataset:'));
  const rounds = Number(process.env.AB_ROUNDS ?? 1);
  if (process.env.AB_PAGES) {
    // the first page through the real gateway (BENCH_PAGE_QUERIES seeds a direction), the bench's own seeds
    const r = rng(42);
    const byDirection = new Map<string, NodeId[]>();
    for (const direction of ['downstream', 'upstream'] as const) {
      const pool = direction === 'downstream' ? held : written;
      byDirection.set(direction, Array.from({ length: 200 }, () => pool[Math.floor(r() * pool.length)] as NodeId));
    }
    if (process.env.AB_PROF) process.env.BENCH_CPU_PROF = `${process.env.AB_PROF}-http`;
    for (let i = 0; i < rounds; i++) for (const row of await measureGatewayPages(shards, byDirection, merged)) log(`pages: ${row}`);
    gateway.close();
    for (const s of shards) s.child.kill('SIGTERM');
    return;
  }
  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = direction === 'downstream' ? held : written;
    const seeds = Array.from({ length: 200 }, () => pool[Math.floor(random() * pool.length)] as NodeId);
    for (const depth of depths) {
      for (let r = 0; r < rounds; r++) {
        const wall: number[] = [];
        const stats: string[] = [];
        let bad = 0;
        const before = load1();
        await ask({ type: 'counters' });
        for (let q = 0; q < N; q++) {
          const got = (await ask({ type: 'query', query: { seed: seeds[q], direction, depth, maxNodes: 100_000 } })) as GatewayAnswer;
          wall.push(got.ms);
          if (process.env.AB_TRACE) log(`  trace ${seeds[q]} ${got.ms} ms:\n    ${got.trace.join('\n    ').slice(0, 3000)}`);
          stats.push(`${got.nodes.length}n/${got.roundTrips}r/${got.messages}m/${fmt(got.ms)}ms`);
          if (!got.truncated && !sameAnswer(new Map(got.nodes), new Map([...mergedGraphBfs(merged, seeds[q], direction, depth)].map(([id, v]) => [id as string, v.distance])))) bad++;
        }
        const k = (await ask({ type: 'counters' })) as GatewayCounters;
        if (process.env.AB_ANSWERS || process.env.BENCH_DEBUG) log(`  answers: ${stats.join(' ')}`);
        if (process.env.BENCH_DEBUG) log(`  debug: nodes sent by shards ${k.nodesSent}, answer bytes ${(k.answerBytes / 1e6).toFixed(1)} MB, shard calls ${fmt(k.shardCallMs)} ms, rounds' slowest ${fmt(k.roundSlowestMs)} ms / fastest ${fmt(k.roundFastestMs)} ms`);
        log(`${direction} d${depth} n=${N}: wall p50 ${fmt(percentile(wall, 50))} mean ${fmt(mean(wall))}; CPU/query gateway ${fmt(k.gatewayCpuMs / N)} + shards ${fmt(k.shardCpuMs / N)} = ${fmt((k.gatewayCpuMs + k.shardCpuMs) / N)}; mismatches ${bad}; load ${before}-${load1()}`);
      }
    }
  }
  gateway.close();
  for (const s of shards) s.child.kill('SIGTERM');
};

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
