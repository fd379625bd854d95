/**
 * A/B helper (not a result): the federation bench's shards and gateway process, depth-20 (and 10) queries only, CPU
 * per query (gateway + shards) and wall p50, answers checked against the reference walk.
 * node dist/bench/federation-ab.js [queries]
 * One build (no AB_OLD*): AB_ROUNDS passes over the same seeds; AB_FRESH=1: every pass its own seeds (how CPU per query
 * falls as the processes warm up); AB_PREWARM=k: k untimed depth-10 queries a direction from other seeds first.
 * AB_OLD=<another build's dist/bench>: two gateway processes (that build's and this one's) on the same shards, blocks
 * of the same queries (fresh seeds every pair) alternating old/new (AB_ROUNDS pairs, the order flipped every pair) after AB_WARM warm-up
 * queries each (default 60, depth 10, other seeds): wall p50, CPU per query (gateway + shards), rounds, messages.
 * AB_SIZE=lo-hi: only seeds whose answer at the deepest depth holds lo..hi nodes.
 * AB_OLD_SHARDS=<another build's dist/bench>: the same, but two sets of shard processes (that build's and this one's),
 * each behind its own gateway process of this build: the shards' CPU per query, old and new, under the same gateway code.
 */
import 'reflect-metadata';
import path from 'node:path';
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
  const shards = await startShards([...prof(process.env.AB_SHARD_PROF), ...(process.env.AB_SHARD_ARGS ?? '').split(' ').filter(Boolean)]);
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
  if (process.env.AB_OLD_SHARDS) {
    const oldShards = await startShards([], path.join(process.env.AB_OLD_SHARDS, 'federation-shard.js'));
    const old = await startGateway();
    await old.ask({ type: 'init', shards: oldShards.map(({ domain, port }) => ({ domain, port })), answerFormat: 'packed' });
    await pairs({ old: old.ask, new: ask }, N, depths, rounds, held, written, merged);
    old.close();
    gateway.close();
    for (const s of [...shards, ...oldShards]) s.child.kill('SIGTERM');
    return;
  }
  if (process.env.AB_OLD) {
    const old = await startGateway([], path.join(process.env.AB_OLD, 'federation-gateway.js'));
    await old.ask({ type: 'init', shards: shards.map(({ domain, port }) => ({ domain, port })), answerFormat: 'packed' });
    await pairs({ old: old.ask, new: ask }, N, depths, rounds, held, written, merged);
    old.close();
    gateway.close();
    for (const s of shards) s.child.kill('SIGTERM');
    return;
  }
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
  if (process.env.AB_FIRST) {
    // the first page of a paged traversal (FederatedTraversal.ready) against the whole answer, in the gateway process,
    // the page checked against the reference walk's first nodes in (distance, id) order; seeds as the bench's pages
    const pageSize = Number(process.env.AB_FIRST);
    const r = rng(42);
    for (const direction of ['downstream', 'upstream'] as const) {
      const pool = direction === 'downstream' ? held : written;
      const all = Array.from({ length: 200 }, () => pool[Math.floor(r() * pool.length)] as NodeId);
      for (const depth of depths) {
        const seeds = all.filter((seed) => mergedGraphBfs(merged, seed, direction, depth).size > 2 * pageSize).slice(0, N);
        for (let round = 0; round < rounds; round++) {
          const first: number[] = [];
          const whole: number[] = [];
          const stats: string[] = [];
          const pageRounds: number[] = [];
          const pageMessages: number[] = [];
          let bad = 0;
          const before = load1();
          for (const seed of seeds) {
            const page = (await ask({ type: 'query', query: { seed, direction, depth, maxNodes: 100_000, firstPage: pageSize } })) as GatewayAnswer;
            const got = (await ask({ type: 'query', query: { seed, direction, depth, maxNodes: 100_000 } })) as GatewayAnswer;
            first.push(page.ms);
            whole.push(got.ms);
            stats.push(`${page.roundTrips}r/${page.messages}m/${fmt(page.ms)} of ${got.roundTrips}r/${got.messages}m/${fmt(got.ms)}ms`);
            pageRounds.push(page.roundTrips);
            pageMessages.push(page.messages);
            const expected = [...mergedGraphBfs(merged, seed, direction, depth)].map(([id, v]) => [id as string, v.distance] as const).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
            const n = Math.min(pageSize, expected.length);
            if (!got.truncated && (page.nodes.length !== n || page.nodes.some(([id, d], i) => expected[i][0] !== id || expected[i][1] !== d))) bad++;
          }
          if (process.env.AB_ANSWERS) log(`  ${stats.join('; ')}`);
          log(`first page ${direction} d${depth} n=${seeds.length}: first p50 ${fmt(percentile(first, 50))} mean ${fmt(mean(first))}, whole p50 ${fmt(percentile(whole, 50))} mean ${fmt(mean(whole))}, ratio of p50 ${((100 * percentile(first, 50)) / percentile(whole, 50)).toFixed(1)}%, rounds/messages to the page ${fmt(mean(pageRounds))}/${fmt(mean(pageMessages))}, of means ${((100 * mean(first)) / mean(whole)).toFixed(1)}%; bad pages ${bad}; load ${before}-${load1()}`);
        }
      }
    }
    gateway.close();
    for (const s of shards) s.child.kill('SIGTERM');
    return;
  }
  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = direction === 'downstream' ? held : written;
    const seeds = Array.from({ length: 200 }, () => pool[Math.floor(random() * pool.length)] as NodeId);
    // AB_PREWARM: that many untimed depth-10 queries from other seeds first; AB_FRESH: every round its own seeds
    const prewarm = Number(process.env.AB_PREWARM ?? 0);
    const other = rng(7);
    for (let q = 0; q < prewarm; q++) await ask({ type: 'query', query: { seed: pool[Math.floor(other() * pool.length)] as NodeId, direction, depth: 10, maxNodes: 100_000 } });
    for (const depth of depths) {
      for (let r = 0; r < rounds; r++) {
        if (process.env.AB_FRESH && r > 0) for (let q = 0; q < N; q++) seeds[q] = pool[Math.floor(other() * pool.length)] as NodeId;
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

type AskFn = (message: unknown) => Promise<any>;

/** AB_OLD: the same queries on two gateway builds, in alternating blocks (see the header). */
const pairs = async (sides: Record<'old' | 'new', AskFn>, N: number, depths: number[], rounds: number, held: string[], written: string[], merged: ReturnType<typeof buildMergedGraph>) => {
  const random = rng(42);
  const warm = Number(process.env.AB_WARM ?? 60);
  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = direction === 'downstream' ? held : written;
    // every pair's block its own seeds (a gateway meets them fresh, as in the bench), the same for both builds
    let seeds = Array.from({ length: warm + depths.length * rounds * N }, () => pool[Math.floor(random() * pool.length)] as NodeId);
    if (process.env.AB_SIZE) {
      // only seeds whose answer at the deepest depth has lo..hi nodes (e.g. the rows' median-sized answers, no capped ones)
      const [lo, hi] = process.env.AB_SIZE.split('-').map(Number);
      const deepest = Math.max(...depths);
      const fits: NodeId[] = [];
      while (fits.length < depths.length * rounds * N) {
        const seed = pool[Math.floor(random() * pool.length)] as NodeId;
        const size = mergedGraphBfs(merged, seed, direction, deepest).size;
        if (size >= lo && size <= hi) fits.push(seed);
      }
      seeds = [...seeds.slice(0, warm), ...fits];
    }
    for (const name of ['old', 'new'] as const) for (let q = 0; q < warm; q++) await sides[name]({ type: 'query', query: { seed: seeds[q], direction, depth: 10, maxNodes: 100_000 } });
    let next = warm;
    for (const depth of depths) {
      const total = { old: { wall: [] as number[], cpu: 0, shard: 0, rounds: 0, messages: 0, bad: 0 }, new: { wall: [] as number[], cpu: 0, shard: 0, rounds: 0, messages: 0, bad: 0 } };
      const ratios: Record<'wall' | 'gateway' | 'all', number[]> = { wall: [], gateway: [], all: [] };
      for (let r = 0; r < rounds; r++) {
        const block = seeds.slice(next, (next += N));
        const pair: Record<string, { wall: number; gateway: number; all: number }> = {};
        const expected = block.map((seed) => new Map([...mergedGraphBfs(merged, seed, direction, depth)].map(([id, v]) => [id as string, v.distance])));
        const line: string[] = [];
        const before = load1();
        for (const name of r % 2 ? (['new', 'old'] as const) : (['old', 'new'] as const)) {
          const ask = sides[name];
          const t = total[name];
          const wall: number[] = [];
          await ask({ type: 'counters' });
          for (let q = 0; q < N; q++) {
            const got = (await ask({ type: 'query', query: { seed: block[q], direction, depth, maxNodes: 100_000 } })) as GatewayAnswer;
            wall.push(got.ms);
            t.rounds += got.roundTrips;
            t.messages += got.messages;
            if (!got.truncated && !sameAnswer(new Map(got.nodes), expected[q])) t.bad++;
          }
          const k = (await ask({ type: 'counters' })) as GatewayCounters;
          t.wall.push(...wall);
          t.cpu += k.gatewayCpuMs;
          t.shard += k.shardCpuMs;
          line.push(`${name} p50 ${fmt(percentile(wall, 50))} cpu ${fmt(k.gatewayCpuMs / N)}+${fmt(k.shardCpuMs / N)}`);
          pair[name] = { wall: mean(wall), gateway: k.gatewayCpuMs, all: k.gatewayCpuMs + k.shardCpuMs };
        }
        for (const m of ['wall', 'gateway', 'all'] as const) ratios[m].push(pair.new[m] / pair.old[m]);
        log(`  ${direction} d${depth} pair ${r + 1}: ${line.join(' | ')}; load ${before}-${load1()}`);
      }
      for (const name of ['old', 'new'] as const) {
        const t = total[name];
        const n = N * rounds;
        log(`${name} ${direction} d${depth} n=${n}: wall p50 ${fmt(percentile(t.wall, 50))} mean ${fmt(mean(t.wall))}; CPU/query gateway ${fmt(t.cpu / n)} + shards ${fmt(t.shard / n)} = ${fmt((t.cpu + t.shard) / n)}; rounds ${fmt(t.rounds / n)} messages ${fmt(t.messages / n)}; mismatches ${t.bad}`);
      }
      log(`new/old ${direction} d${depth}, median of ${rounds} pairs: mean wall ${fmt(percentile(ratios.wall, 50))}, gateway CPU ${fmt(percentile(ratios.gateway, 50))}, gateway + shards CPU ${fmt(percentile(ratios.all, 50))}`);
    }
  }
};

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
