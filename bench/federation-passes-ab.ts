/**
 * A/B helper (not a result): does the federation bench's order of work change its figures? The bench's processes
 * (8 shards, the gateway) and, in this process, the baselines' graphs as the bench builds them. Blocks of fresh
 * seeds (downstream and upstream, depth PASSES_DEPTH, default 10) alternate two orders, the order flipped every pair:
 *   interleaved: per seed, as federation.bench.ts did: Map walk, own index, typed BFS and their checks, then that
 *                seed's federated query, its check and its crossings count;
 *   separate:    every seed's baselines (and their checks) first, then wait until this process is idle (its CPU,
 *                GC threads included, under 5% over 50 ms), then every seed's federated query back to back, the
 *                checks after the pass.
 * Per block: federated p50, own index p50, their ratio, gateway + shards CPU per query, this process's CPU during
 * the federated queries (PASSES_SAME_SEEDS=1: both blocks of a pair over the same seeds, the gateway meeting them the
 * second time in the second block; the order flips every pair). PASSES_WARM warm-up queries a direction first (default 1000, as the bench);
 * PASSES_BLOCKS=k prints the CPU per query of k more blocks of 100 warm-up queries (is the warm-up at steady state?;
 * PASSES_BLOCKS_FED_ONLY=1: those blocks' federated queries only, back to back; PASSES_WARM_SEED: another warm-up seed stream).
 * node --max-old-space-size=8192 dist/bench/federation-passes-ab.js [queries a block] [pairs]
 */
import 'reflect-metadata';
import { LineageIndex } from '@lineage-hub/graph';
import { buildMergedGraph, mergedGraphBfs } from '@lineage-hub/federation';
import type { LineageEdge, NodeId } from '@lineage-hub/model';
import { DOMAINS, domainGroups, rng } from './federation-mesh';
import { startGateway, startShards } from './federation-processes';
import { crossingsNeeded, fmt, load1, log, mean, ms, percentile, quiesce, sameAnswer } from './federation-measure';
import { buildTypedGraph, typedAnswer } from './typed-answer-bfs';
import type { GatewayAnswer, GatewayCounters } from './federation-gateway';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};


const main = async () => {
  const N = Number(process.argv[2] ?? 100);
  const PAIRS = Number(process.argv[3] ?? 4);
  const depth = Number(process.env.PASSES_DEPTH ?? 10);
  const shardsReady = startShards();
  const allEdges: LineageEdge[] = [];
  for (let d = 0; d < DOMAINS; d++) for (const g of domainGroups(d)) allEdges.push(...g.edges);
  const merged = buildMergedGraph(allEdges);
  const shards = await shardsReady;
  const gateway = await startGateway();
  await gateway.ask({ type: 'init', shards: shards.map(({ domain, port }) => ({ domain, port })), answerFormat: 'packed' });
  const mergedIndex = new LineageIndex();
  mergedIndex.load({ groups: Array.from({ length: DOMAINS }, (_, d) => domainGroups(d)).flat().map((g) => ({ ...g, columnEdges: [] })), aliases: [], lifecycle: [], version: 1 });
  const typed = buildTypedGraph(allEdges);
  const held = [...merged.down.keys()].filter((id) => id.startsWith('dataset:'));
  const written = [...merged.up.keys()].filter((id) => id.startsWith('dataset:'));
  const distances = (walk: ReturnType<typeof mergedGraphBfs>) => new Map([...walk].map(([id, v]) => [id as string, v.distance]));

  const warm = Number(process.env.PASSES_WARM ?? 1000);
  const warmRandom = rng(Number(process.env.PASSES_WARM_SEED ?? 7));
  const warmBlock = async (direction: 'downstream' | 'upstream', n: number, fedOnly = false) => {
    const pool = direction === 'downstream' ? held : written;
    for (let q = 0; q < n; q++) {
      const seed = pool[Math.floor(warmRandom() * pool.length)] as NodeId;
      if (!fedOnly) {
        mergedGraphBfs(merged, seed, direction, 10);
        mergedIndex.traverse([{ id: seed, distance: 0 }], { direction, depth: 10, maxNodes: 100_000 });
        typedAnswer(typed, seed, direction, 10);
      }
      await gateway.query({ seed, direction, depth: 10, maxNodes: 100_000 });
    }
  };
  for (const direction of ['downstream', 'upstream'] as const) await warmBlock(direction, warm);
  log(`warm-up: ${warm} a direction; load ${load1()}`);
  for (let b = 0; b < Number(process.env.PASSES_BLOCKS ?? 0); b++) {
    for (const direction of ['downstream', 'upstream'] as const) {
      await gateway.ask({ type: 'counters' });
      await warmBlock(direction, 100, Boolean(process.env.PASSES_BLOCKS_FED_ONLY));
      const k = (await gateway.ask({ type: 'counters' })) as GatewayCounters;
      log(`  warm-up block ${b + 1} ${direction} (100 more): CPU/query gateway ${fmt(k.gatewayCpuMs / 100)} + shards ${fmt(k.shardCpuMs / 100)} = ${fmt((k.gatewayCpuMs + k.shardCpuMs) / 100)}; load ${load1()}`);
    }
  }

  const random = rng(42);
  type Mode = 'interleaved' | 'separate';
  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = direction === 'downstream' ? held : written;
    const all: Record<Mode, { fed: number[]; own: number[]; ratios: number[]; cpu: number; benchCpu: number; bad: number }> = {
      interleaved: { fed: [], own: [], ratios: [], cpu: 0, benchCpu: 0, bad: 0 },
      separate: { fed: [], own: [], ratios: [], cpu: 0, benchCpu: 0, bad: 0 },
    };
    for (let p = 0; p < PAIRS; p++) {
      const line: string[] = [];
      const before = load1();
      const pairSeeds = Array.from({ length: N }, () => pool[Math.floor(random() * pool.length)] as NodeId);
      for (const mode of (p % 2 ? ['separate', 'interleaved'] : ['interleaved', 'separate']) as Mode[]) {
        const seeds = process.env.PASSES_SAME_SEEDS ? pairSeeds : Array.from({ length: N }, () => pool[Math.floor(random() * pool.length)] as NodeId);
        const fed: number[] = [];
        const own: number[] = [];
        let bad = 0;
        let benchCpu = 0;
        const baseline = (seed: NodeId) => {
          const expected = distances(mergedGraphBfs(merged, seed, direction, depth));
          const t = process.hrtime.bigint();
          const answer = mergedIndex.traverse([{ id: seed, distance: 0 }], { direction, depth, maxNodes: 100_000 });
          own.push(ms(process.hrtime.bigint() - t));
          const lean = typedAnswer(typed, seed, direction, depth);
          if (!answer.truncated && (!sameAnswer(new Map(answer.nodes.map((x) => [x.id as string, x.distance])), expected) || lean.nodes.length !== answer.nodes.length)) bad++;
          return expected;
        };
        const check = (seed: NodeId, got: GatewayAnswer, expected: Map<string, number>) => {
          if (!got.truncated && (!got.complete || !sameAnswer(new Map(got.nodes), expected))) bad++;
          crossingsNeeded(merged, seed, direction, depth);
        };
        await gateway.ask({ type: 'counters' });
        if (mode === 'interleaved') {
          for (const seed of seeds) {
            const expected = baseline(seed);
            const c = cpuMs();
            const got = await gateway.query({ seed, direction, depth, maxNodes: 100_000 });
            benchCpu += cpuMs() - c;
            fed.push(got.ms);
            check(seed, got, expected);
          }
        } else {
          const expected = seeds.map(baseline);
          await quiesce();
          await gateway.ask({ type: 'counters' }); // the idle wait's (nothing) out of the row's CPU
          const c = cpuMs();
          const answers: GatewayAnswer[] = [];
          for (const seed of seeds) answers.push(await gateway.query({ seed, direction, depth, maxNodes: 100_000 }));
          benchCpu += cpuMs() - c;
          answers.forEach((got, i) => (fed.push(got.ms), check(seeds[i], got, expected[i])));
        }
        const k = (await gateway.ask({ type: 'counters' })) as GatewayCounters;
        const t = all[mode];
        t.fed.push(...fed);
        t.own.push(...own);
        t.ratios.push(percentile(fed, 50) / percentile(own, 50));
        t.cpu += k.gatewayCpuMs + k.shardCpuMs;
        t.benchCpu += benchCpu;
        t.bad += bad;
        line.push(`${mode}: fed p50 ${fmt(percentile(fed, 50))} own ${fmt(percentile(own, 50))} = ${fmt(percentile(fed, 50) / percentile(own, 50))}x, cpu ${fmt(k.gatewayCpuMs / N)}+${fmt(k.shardCpuMs / N)}, bench cpu during fed ${fmt(benchCpu / N)}`);
      }
      log(`  ${direction} d${depth} pair ${p + 1}: ${line.join(' | ')}; load ${before}-${load1()}`);
    }
    for (const mode of ['interleaved', 'separate'] as const) {
      const t = all[mode];
      const n = t.fed.length;
      log(`${mode} ${direction} d${depth} n=${n}: fed p50 ${fmt(percentile(t.fed, 50))} mean ${fmt(mean(t.fed))}, own p50 ${fmt(percentile(t.own, 50))} => ${fmt(percentile(t.fed, 50) / percentile(t.own, 50))}x (median of block ratios ${fmt(percentile(t.ratios, 50))}); CPU/query gateway+shards ${fmt(t.cpu / n)}, bench process during fed ${fmt(t.benchCpu / n)}; mismatches ${t.bad}`);
    }
  }
  gateway.close();
  for (const s of shards) s.child.kill('SIGTERM');
};

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
