/**
 * npm run bench:federation
 *
 * A generated data mesh of 8 domains and ~1M lineage edges (bench/federation-mesh.ts). Each domain's part is
 * served by its own shard process (bench/federation-shard.ts: the shard's index behind the shard's RPC patterns
 * over @nestjs/microservices TCP, answering expand as apps/shard does). A gateway process
 * (bench/federation-gateway.ts) runs libs/federation's federatedTraversal with a TCP ClientProxy per shard and the
 * shards' Bloom filters, no cache, and times each federated query; this process orchestrates and holds the
 * baselines and the reference walk.
 *
 * Baselines in the same run, on the same graph, judged against:
 *   (a) the project's own index (libs/graph LineageIndex) loaded with the merged graph in this one process,
 *       building the same answer (traverse(): sorted node objects and edges);
 *   (b) a plain typed-array BFS over the merged graph (bench/typed-answer-bfs.ts) building the same answer.
 * Extras, labelled as such: the Map-based walk (libs/federation mergedGraphBfs, the reference answer every
 * federated answer is checked against) and a deduplicating WITH RECURSIVE query over one PostgreSQL edge table.
 * Where users stand today: a recursive SQL written the way Marquez's lineage query works
 * (bench/marquez-lineage-sql.ts) at depth 2, 5, 10, 20, beside our federated answer at the same depths.
 * The first page through the real gateway's HTTP API: bench/federation-pages.ts.
 * Each row measures each side in its own pass over the same seeds (baselines, then federated queries, then checks and
 * SQL), this process idle before each pass (see the row loop). Round trips are checked against the number of domain
 * crossings the answer needs (+1). Every row names the
 * load average during its run. Results go to bench/RESULTS.md (## Federation).
 */
import 'reflect-metadata';
import os from 'node:os';
import { Client } from 'pg';
import { replaceResultsSection } from './results-section';
import { buildTypedGraph, typedAnswer } from './typed-answer-bfs';
import { LineageIndex } from '@lineage-hub/graph';
import { DEFAULT_FILTER_ERROR_RATE, buildMergedGraph, mergedGraphBfs } from '@lineage-hub/federation';
import type { LineageEdge, NodeId } from '@lineage-hub/model';
import { CROSS_DOMAIN, DOMAINS, JOBS_PER_DOMAIN, domainGroups, rng } from './federation-mesh';
import { crossingsNeeded, fmt, load1, log, mean, ms, percentile, quiesce, sameAnswer } from './federation-measure';
import { FIRST_PAGE, PAGE_DEPTH, PAGE_WARMUP, measureGatewayPages } from './federation-pages';
import { startGateway, startShards } from './federation-processes';
import { MARQUEZ_DEPTHS, MARQUEZ_TIMEOUT_MS, loadMarquezSchema, runMarquezQuery } from './marquez-lineage-sql';
import type { GatewayAnswer, GatewayCounters } from './federation-gateway';

const recursiveSql = (direction: 'downstream' | 'upstream') =>
  direction === 'downstream'
    ? `WITH RECURSIVE walk(node, dist) AS (
         SELECT $1::text, 0
         UNION
         SELECT e.dst, w.dist + CASE WHEN e.kind = 1 THEN 1 ELSE 0 END
         FROM walk w JOIN lineage_edges e ON e.src = w.node
         WHERE w.dist + CASE WHEN e.kind = 1 THEN 1 ELSE 0 END <= $2)
       SELECT node, min(dist) AS dist FROM walk GROUP BY node`
    : `WITH RECURSIVE walk(node, dist) AS (
         SELECT $1::text, 0
         UNION
         SELECT e.src, w.dist + CASE WHEN e.kind = 2 THEN 1 ELSE 0 END
         FROM walk w JOIN lineage_edges e ON e.dst = w.node
         WHERE w.dist + CASE WHEN e.kind = 2 THEN 1 ELSE 0 END <= $2)
       SELECT node, min(dist) AS dist FROM walk GROUP BY node`;

/** BENCH_CPU_PROF=<dir>: the shard processes write V8 CPU profiles there (run this process with node --cpu-prof too). */
const PROFILE_ARGS = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

/** BENCH_ANSWER_FORMAT=packed|columnar|plain: the expand answer form the gateway side asks for (default packed). */
const ANSWER_FORMAT = (process.env.BENCH_ANSWER_FORMAT ?? 'packed') as 'packed' | 'columnar' | 'plain';

/** The reference walk's answer as id -> distance. */
const distances = (walk: ReturnType<typeof mergedGraphBfs>) => new Map([...walk].map(([id, v]) => [id as string, v.distance]));

const main = async () => {
  const started = Date.now();
  log(`federation bench: ${DOMAINS} shard processes, ${JOBS_PER_DOMAIN} jobs per domain, ${os.cpus().length} cores, node ${process.version}`);

  // shards first, so they build their indexes while this process builds the merged graph
  const ready = startShards(PROFILE_ARGS);
  const allEdges: LineageEdge[] = [];
  for (let d = 0; d < DOMAINS; d++) for (const g of domainGroups(d)) allEdges.push(...g.edges);
  const merged = buildMergedGraph(allEdges);
  const crossReads = allEdges.filter((e) => e.kind === 'reads' && e.from.startsWith('dataset:wh') && !e.to.startsWith(`job:etl-d${e.from.slice('dataset:wh'.length, e.from.indexOf(':', 'dataset:wh'.length))}:`)).length;
  log(`mesh: ${allEdges.length} edges (${crossReads} cross-domain reads)`);
  const shards = await ready;
  log(`shards up after ${((Date.now() - started) / 1000).toFixed(1)} s: ${shards.map((s) => `${s.domain}=${s.nodes} nodes/${s.edges} edges`).join(', ')}`);

  // the gateway side, in its own process: one TCP client per shard, and each shard's filter
  const gateway = await startGateway(PROFILE_ARGS);
  const { filterBytes, rtt } = (await gateway.ask({ type: 'init', shards: shards.map(({ domain, port }) => ({ domain, port })), answerFormat: ANSWER_FORMAT })) as { filterBytes: number; rtt: number[] };
  log(`transport floor: shard.version round trip p50 ${fmt(percentile(rtt, 50))} ms, p99 ${fmt(percentile(rtt, 99))} ms`);

  // PostgreSQL holding the merged graph
  const dbName = `lineage_bench_federation_${process.pid}`;
  const admin = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const pg = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: dbName });
  await pg.connect();
  const loadStart = Date.now();
  await pg.query('CREATE UNLOGGED TABLE lineage_edges (src text NOT NULL, dst text NOT NULL, kind smallint NOT NULL)');
  for (let i = 0; i < allEdges.length; i += 20_000) {
    const chunk = allEdges.slice(i, i + 20_000);
    await pg.query('INSERT INTO lineage_edges SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[])', [
      chunk.map((e) => e.from),
      chunk.map((e) => e.to),
      chunk.map((e) => (e.kind === 'reads' ? 1 : 2)),
    ]);
  }
  await pg.query('CREATE INDEX ON lineage_edges (src, dst, kind)');
  await pg.query('CREATE INDEX ON lineage_edges (dst, src, kind)');
  await pg.query('ANALYZE lineage_edges');
  log(`postgres: ${allEdges.length} edges loaded and indexed in ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);

  await loadMarquezSchema(pg);
  log(`postgres: Marquez-shaped tables ready after ${((Date.now() - loadStart) / 1000).toFixed(1)} s`);

  // the baselines' graphs in this process: the project's own index over the merged graph, and typed arrays
  let buildStart = Date.now();
  const mergedIndex = new LineageIndex();
  const allGroups = Array.from({ length: DOMAINS }, (_, d) => domainGroups(d)).flat();
  mergedIndex.load({ groups: allGroups.map((g) => ({ ...g, columnEdges: [] })), aliases: [], lifecycle: [], version: 1 });
  const indexBuildS = (Date.now() - buildStart) / 1000;
  buildStart = Date.now();
  const typed = buildTypedGraph(allEdges);
  const typedBuildS = (Date.now() - buildStart) / 1000;
  log(`baselines: merged LineageIndex built in ${indexBuildS.toFixed(1)} s (${mergedIndex.stats().nodes} nodes), typed-array graph in ${typedBuildS.toFixed(1)} s`);

  const datasetsHeld = [...merged.down.keys()].filter((id) => id.startsWith('dataset:'));
  const datasetsWritten = [...merged.up.keys()].filter((id) => id.startsWith('dataset:'));
  const random = rng(42);

  // Warm-up, untimed: every side answers WARMUP queries a direction at depth 10 from other seeds before any row is
  // timed, so no row measures JIT compilation (a deployed gateway and its shards are long-running processes). Without
  // it the first row (downstream, depth 10) paid the warm-up of nine processes (each shard sees an eighth of the
  // queries) and the own index's of one: in an A/B of 200 fresh seeds after 200 others, gateway + shard CPU per
  // query fell from 15.5 to 8.9 ms. The timed seeds are the same as without it (their own random stream).
  // 1,000 a direction, not 100: nine processes on 2 cores keep getting faster for about a thousand queries (each shard
  // sees about one message per query, so 100 queries gave each shard ~100 messages to compile from). Measured
  // 2026-12-07 (bench/federation-ab.ts, AB_FRESH=1: rounds of 200 fresh seeds from a cold start, depth 10 downstream):
  // gateway + shard CPU per query 9.44, 5.29, 4.61, 6.90, 3.78, 3.32, 3.48, 3.42 ms in rounds 1-8, then 2.8-4.4.
  // Repeating a round's seeds (their ids already in the lean connections' dictionaries) gave the same as fresh ones
  // (3.08 and 2.57 ms p50 against 2.95 and 2.48): what warms is the processes' code, not the caches of ids seen.
  // In two runs that day, warm-up 100 -> 1000: depth 10 downstream 9.64x -> 7.43x, depth 20 downstream 4.89x -> 4.38x.
  const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
  const warmRandom = rng(7);
  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = direction === 'downstream' ? datasetsHeld : datasetsWritten;
    for (let q = 0; q < WARMUP; q++) {
      const seed = pool[Math.floor(warmRandom() * pool.length)] as NodeId;
      mergedGraphBfs(merged, seed, direction, 10);
      mergedIndex.traverse([{ id: seed, distance: 0 }], { direction, depth: 10, maxNodes: 100_000 });
      typedAnswer(typed, seed, direction, 10);
      await gateway.query({ seed, direction, depth: 10, maxNodes: 100_000 });
    }
  }
  if (WARMUP > 0) log(`warm-up: ${WARMUP} depth-10 queries a direction on every side (other seeds, untimed)`);
  const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
  const SQL_QUERIES_10 = Number(process.env.BENCH_SQL_QUERIES ?? 20);
  // depth 20: the first 6 seeds (mean answer ~7-10k nodes, up to the 100,000-node cap). Their p50 moves with one
  // GC pause in either process (the own index's p50 over these seeds: 30.7, 16.6, 15.5 ms in three runs); more seeds
  // (BENCH_DEEP_QUERIES=30) change the population, not only the noise: the median random seed's depth-20 answer is
  // small (own index p50 0.89 ms over 30 seeds), so that p50 times the federated walk's fixed per-round costs against
  // a sub-millisecond in-process walk (40x downstream in a 30-seed run, 2026-12-07), not the large answers it is about.
  const DEEP_QUERIES = Number(process.env.BENCH_DEEP_QUERIES ?? 6);
  const SQL_QUERIES_20 = Math.min(DEEP_QUERIES, Number(process.env.BENCH_DEEP_SQL_QUERIES ?? 6));
  const MARQUEZ_QUERIES = Number(process.env.BENCH_MARQUEZ_QUERIES ?? 2);

  let mismatches = 0;
  let roundViolations = 0;
  let truncatedAnswers = 0;
  let compared = 0;
  const rows: string[] = [];
  const summary: Array<{ direction: string; depth: number; fedP50: number; indexP50: number; typedP50: number; cpuPerQuery: number; indexMean: number; fedMean: number; load: string }> = [];
  const seedsByDirection = new Map<string, NodeId[]>();

  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = direction === 'downstream' ? datasetsHeld : datasetsWritten;
    const seeds = Array.from({ length: QUERIES }, () => pool[Math.floor(random() * pool.length)] as NodeId);
    seedsByDirection.set(direction, seeds);
    for (const depth of [10, 20]) {
      const n = depth === 10 ? QUERIES : DEEP_QUERIES;
      const sqlN = depth === 10 ? SQL_QUERIES_10 : SQL_QUERIES_20;
      const fed: number[] = [];
      const indexMs: number[] = [];
      const typedMs: number[] = [];
      const mapMs: number[] = [];
      const sql: number[] = [];
      const rounds: number[] = [];
      const messages: number[] = [];
      const crossings: number[] = [];
      const sizes: number[] = [];
      // Each side in its own pass over the row's seeds, the process idle before each (quiesce): first the baselines
      // (Map walk, own index, typed BFS, their checks), then the federated queries back to back, then the federated
      // answers' checks, crossings and the SQL. Interleaved per seed (as this bench did until 2026-12-07), the
      // baselines' garbage (the Map walk allocates heavily) was marked and swept by this process's GC threads on the
      // same 2 cores while the next federated query ran, and the walks evicted the gateway's and shards' caches:
      // in an interleaved A/B of the two orders (bench/federation-passes-ab.ts, 4 pairs x 100 seeds a direction,
      // load 11-12) the federated p50 at depth 10 was 6.50 -> 4.51 ms downstream and 6.52 -> 3.94 upstream, their
      // CPU per query 9.98 -> 6.95 and 6.08 -> 4.97 ms, this process's CPU during them 1.45 -> 0.76 ms per query.
      // The order slowed the baselines too: at depth 20 (PASSES_SAME_SEEDS, 6 pairs x 6 seeds, load 5.4-9.2) the
      // federated mean went 190 -> 148 ms downstream and 111 -> 91 upstream (CPU per query 149 -> 97, 100 -> 89),
      // and the own index's p50 7.54 -> 1.65 and 20.8 -> 9.92 ms (bimodal answers: a p50 over few seeds sits
      // between tiny and ~50 ms walks), so separate passes can raise a depth-20 ratio: the baseline was inflated.
      const loadBefore = load1();
      const expectedMaps: Array<Map<string, number>> = [];
      await quiesce();
      for (let q = 0; q < n; q++) {
        const seed = seeds[q];
        let t = process.hrtime.bigint();
        const expected = mergedGraphBfs(merged, seed, direction, depth);
        mapMs.push(ms(process.hrtime.bigint() - t));
        const expectedMap = distances(expected);
        expectedMaps.push(expectedMap);
        t = process.hrtime.bigint();
        const own = mergedIndex.traverse([{ id: seed, distance: 0 }], { direction, depth, maxNodes: 100_000 });
        indexMs.push(ms(process.hrtime.bigint() - t));
        t = process.hrtime.bigint();
        const lean = typedAnswer(typed, seed, direction, depth);
        typedMs.push(ms(process.hrtime.bigint() - t));
        if (!own.truncated) {
          const ownMap = new Map(own.nodes.map((x) => [x.id as string, x.distance]));
          const leanMap = new Map(lean.nodes.map((x) => [x.id as string, x.distance]));
          if (!sameAnswer(ownMap, expectedMap) || !sameAnswer(leanMap, expectedMap) || own.edges.length !== lean.edges.length) {
            mismatches++;
            log(`MISMATCH baselines ${direction} depth ${depth} ${seed}: index ${ownMap.size} nodes/${own.edges.length} edges, typed ${leanMap.size}/${lean.edges.length}, map walk ${expectedMap.size}`);
          }
        }
      }
      await quiesce();
      await gateway.ask({ type: 'counters' }); // from here: this row's CPU (its federated queries)
      const answers: GatewayAnswer[] = [];
      for (let q = 0; q < n; q++) answers.push(await gateway.query({ seed: seeds[q], direction, depth, maxNodes: 100_000 }));
      const k = (await gateway.ask({ type: 'counters' })) as GatewayCounters;
      for (let q = 0; q < n; q++) {
        const seed = seeds[q];
        const got = answers[q];
        const expectedMap = expectedMaps[q];
        fed.push(got.ms);
        rounds.push(got.roundTrips);
        messages.push(got.messages);
        sizes.push(got.nodes.length);
        if (got.truncated && got.complete) {
          // the node cap (the shard's maxNodes limit, 100k) stopped the walk and the answer says so: not comparable
          truncatedAnswers++;
        } else if (!got.complete || !sameAnswer(new Map(got.nodes), expectedMap)) {
          mismatches++;
          const gotMap = new Map(got.nodes);
          const missing = [...expectedMap].filter(([id, dist]) => gotMap.get(id) !== dist).slice(0, 3);
          const extra = [...gotMap].filter(([id]) => !expectedMap.has(id)).slice(0, 3);
          log(`MISMATCH federated ${direction} depth ${depth} ${seed}: complete ${got.complete} missing ${got.missingDomains} truncated ${got.truncated}, ${gotMap.size} vs ${expectedMap.size} nodes; differ ${JSON.stringify(missing.map(([id, d]) => [id, d, gotMap.get(id)]))} extra ${JSON.stringify(extra)}`);
        }
        if (!got.truncated) compared++;
        const c = crossingsNeeded(merged, seed, direction, depth);
        crossings.push(c);
        if (got.roundTrips > c + 1) {
          roundViolations++;
          if (process.env.BENCH_DEBUG) log(`violation: ${direction} ${depth} ${seed}: rounds ${got.roundTrips}, crossings ${c}, messages ${got.messages}, nodes ${got.nodes.length}\n  ${got.trace.join('\n  ')}`);
        }
        if (q < sqlN) {
          const t = process.hrtime.bigint();
          const res = await pg.query(recursiveSql(direction), [seed, depth]);
          sql.push(ms(process.hrtime.bigint() - t));
          const sqlMap = new Map<string, number>(res.rows.map((r: any) => [r.node, Number(r.dist)]));
          if (!sameAnswer(sqlMap, expectedMap)) {
            mismatches++;
            log(`MISMATCH sql ${direction} depth ${depth} ${seed}: ${sqlMap.size} vs ${expectedMap.size} nodes`);
          }
        }
      }
      const load = `${loadBefore}–${load1()}`;
      const row = {
        direction,
        depth,
        fedP50: percentile(fed, 50),
        indexP50: percentile(indexMs, 50),
        typedP50: percentile(typedMs, 50),
        cpuPerQuery: (k.gatewayCpuMs + k.shardCpuMs) / n,
        indexMean: mean(indexMs),
        fedMean: mean(fed),
        load,
      };
      if (process.env.BENCH_DEBUG) {
        log(`debug: federated total ${fmt(fed.reduce((a, b) => a + b, 0))} ms, shard calls ${fmt(k.shardCallMs)} ms (sum), shard traverse+encode ${fmt(k.shardServerMs)} ms (sum), nodes sent by shards ${k.nodesSent} for ${sizes.reduce((a, b) => a + b, 0)} answer nodes, ${(k.answerBytes / 1024 / 1024).toFixed(1)} MB of answers; rounds waited ${fmt(k.roundSlowestMs)} ms for their slowest call, ${fmt(k.roundFastestMs)} ms for their fastest`);
      }
      const cell = (values: number[]) => `${fmt(percentile(values, 50))} / ${fmt(percentile(values, 99))}`;
      const line =
        `| ${direction} | ${depth} | ${n} (SQL ${sql.length}) | ${fmt(mean(sizes))} | ${cell(fed)} | ${cell(indexMs)} | ${cell(typedMs)} | ` +
        `**${fmt(row.fedP50 / row.indexP50)}×** | ${fmt(row.fedP50 / row.typedP50)}× | ${cell(mapMs)} | ${cell(sql)} | ` +
        `${mean(rounds).toFixed(2)} (max ${Math.max(...rounds)}) | ${mean(crossings).toFixed(2)} | ${mean(messages).toFixed(2)} | ` +
        `${fmt(mean(fed))} | ${fmt(k.gatewayCpuMs / n)} + ${fmt(k.shardCpuMs / n)} | ${load} |`;
      rows.push(line);
      summary.push(row);
      log(line);
    }
  }

  // Marquez-style lineage SQL at depth 2, 5, 10, 20 from the same seeds, each depth with its own statement timeout
  // (a timed-out query is a measured lower bound), beside our federated answer from those seeds at that depth
  const marquezRows: string[] = [];
  const marquezSeeds = seedsByDirection.get('downstream')!.slice(0, MARQUEZ_QUERIES);
  for (const depth of MARQUEZ_DEPTHS) {
    const loadBefore = load1();
    const times: string[] = [];
    const answerSizes: number[] = [];
    const ours = { downstream: [] as number[], upstream: [] as number[] };
    for (const seed of marquezSeeds) {
      const got = await runMarquezQuery(pg, seed, depth);
      times.push(got ? fmt(got.ms) : `> ${MARQUEZ_TIMEOUT_MS / 1000} s (statement timeout)`);
      if (got) answerSizes.push(got.size);
      for (const direction of ['downstream', 'upstream'] as const) {
        const answer = await gateway.query({ seed, direction, depth, maxNodes: 100_000 });
        ours[direction].push(answer.ms);
        if (!answer.truncated && (!answer.complete || !sameAnswer(new Map(answer.nodes), distances(mergedGraphBfs(merged, seed, direction, depth))))) {
          mismatches++;
          log(`MISMATCH federated (Marquez seeds) ${direction} depth ${depth} ${seed}`);
        }
      }
    }
    const line =
      `| ${depth} | ${marquezSeeds.length} | ${times.join(', ')} | ${answerSizes.length ? fmt(mean(answerSizes)) : '–'} | ` +
      `${ours.downstream.map(fmt).join(', ')} / ${ours.upstream.map(fmt).join(', ')} | ${loadBefore}–${load1()} |`;
    marquezRows.push(line);
    log(`marquez-style sql: ${line}`);
  }

  const pageRows = await measureGatewayPages(shards, seedsByDirection, merged);

  gateway.close();
  for (const s of shards) s.child.kill('SIGTERM');
  await pg.end();
  await admin.query(`DROP DATABASE ${dbName}`);
  await admin.end();

  const verdict = (r: (typeof summary)[number], target: number) =>
    `- depth ${r.depth} ${r.direction}: federated p50 ${fmt(r.fedP50)} ms is ${fmt(r.fedP50 / r.indexP50)}× the own index over the merged graph (${fmt(r.indexP50)} ms) and ${fmt(r.fedP50 / r.typedP50)}× the typed-array BFS: target (≤ ${target}×) ${r.fedP50 / r.indexP50 <= target ? 'met' : 'NOT met'} (load ${r.load}). ` +
    `The federated query's CPU (gateway + shards, mean) ${fmt(r.cpuPerQuery)} ms ÷ ${os.cpus().length} cores alone is ${fmt(r.cpuPerQuery / os.cpus().length / r.indexP50)}× the own index's p50 (means: federated ${fmt(r.fedMean)} ms, own index ${fmt(r.indexMean)} ms).`;
  const body = [
    `\`npm run bench:federation\` (bench/federation.bench.ts), ${new Date().toISOString().slice(0, 16)}Z. Machine: ${os.cpus().length} cores shared with other work, Node ${process.version}, PostgreSQL on localhost. Each row names the 1-min load average at its start and end.`,
    '',
    `Mesh: ${DOMAINS} domains, ${allEdges.length} lineage edges (dataset→job reads, job→dataset writes), ${JOBS_PER_DOMAIN} jobs per domain, ${(CROSS_DOMAIN * 100).toFixed(0)}% of reads consume another domain's dataset.`,
    `Each domain is one shard process (libs/graph LineageIndex behind the shard RPC patterns over @nestjs/microservices TCP, and lineage.expand over the lean transport beside them as apps/shard serves it: binary frames on a plain socket, ids numbered per connection${process.env.BENCH_LEAN === '0' ? '; this run: BENCH_LEAN=0, expand over the Nest pattern' : ''}); a separate gateway process (bench/federation-gateway.ts: libs/federation ShardClient + federatedTraversal, Bloom filters, no cache; it holds only what a gateway holds, not the baselines' graphs) answers the federated queries and times each around federatedTraversal.`,
    `Judged against, same run, same graph: **own index** = libs/graph LineageIndex loaded with the merged graph in this one process, traverse() building the answer (sorted node objects, edges); ` +
      `**typed-array BFS** = a plain BFS over CSR Int32Arrays building the same answer (bench/typed-answer-bfs.ts). Both checked to equal the reference walk.`,
    `Extras, context only: "Map walk" = libs/federation mergedGraphBfs (a Map<string, string[]> with an object per node; the reference every federated answer is checked against; the old bench's baseline); "recursive SQL" = WITH RECURSIVE … UNION over (node, distance) on one PostgreSQL edge table indexed both ways.`,
    `Before the rows, ${WARMUP} untimed warm-up queries a direction at depth 10 from other seeds on every side (gateway, shards, own index, typed BFS, Map walk; BENCH_WARMUP): the rows time running processes, not their JIT compilation.`,
    `Each row measures each side in its own pass over the row's seeds, this process idle before each: the baselines first, then the federated queries back to back, then the checks, crossings and SQL (interleaved per seed, the baselines' garbage was swept by this process's GC threads on the same cores while a federated query ran).`,
    `Latencies in ms (p50 / p99). Transport floor (from the gateway process, one at a time): one shard.version round trip p50 ${fmt(percentile(rtt, 50))} ms, p99 ${fmt(percentile(rtt, 99))} ms.`,
    `Crossings = the fewest domain crossings the answer needs (max over its nodes); round trips must stay ≤ crossings + 1. Messages = shard requests per query. ` +
      `CPU per query (ms, mean): the gateway process's CPU time inside federatedTraversal, and the ${DOMAINS} shard processes' CPU time over the row's federated queries, summed (process.cpuUsage); ` +
      `with ${os.cpus().length} cores shared by all of them (and other work), the mean wall time cannot drop below their sum ÷ ${os.cpus().length}.`,
    '',
    '| direction | depth | queries | nodes/answer | federated | own index (merged, 1 process) | typed-array BFS | fed ÷ own index | fed ÷ typed BFS | Map walk (extra) | recursive SQL (extra) | round trips | crossings | messages | federated, mean wall | CPU per query: gateway + shards | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Checks: ${mismatches === 0 ? `all ${compared} complete federated answers, both baselines and every recursive SQL answer equalled the reference walk` : `${mismatches} answers differed from the reference walk`}` +
      `${truncatedAnswers ? ` (${truncatedAnswers} depth-20 answers hit the 100,000-node cap and said truncated: true; not compared)` : ''}; ` +
      `${roundViolations === 0 ? 'round trips ≤ crossings + 1 on every query' : `${roundViolations} ${roundViolations === 1 ? 'query' : 'queries'} needed more than crossings + 1 round trips (a last round that only confirms, see libs/federation README)`}. ` +
      `Filters: ${(filterBytes / 1024 / 1024).toFixed(1)} MB of Bloom filters (${DEFAULT_FILTER_ERROR_RATE * 100}% target error, full + directional) for ${shards.reduce((k, s) => k + s.nodes, 0)} node ids.`,
    `Targets (issue 17): depth-10 federated p50 ≤ 10× the own index over the merged graph; depth 20 ≤ 5×.`,
    ...summary.filter((r) => r.depth === 10).map((r) => verdict(r, 10)),
    ...summary.filter((r) => r.depth === 20).map((r) => verdict(r, 5)),
    '',
    `### First page through the gateway's HTTP API`,
    '',
    `The real gateway process (apps/gateway, \`SHARDS=\` the ${DOMAINS} shard processes above, MAX_NODES=100000, cache off) serving GET /api/v1/impact at depth ${PAGE_DEPTH}. ` +
      `"first page" = one request with limit=${FIRST_PAGE} (answered as soon as those nodes' distances are final); "full answer" = a fresh query fetched whole: limit=10000 and every nextCursor until none. ` +
      `Each first page is checked to be exactly the first ${FIRST_PAGE} nodes of the full answer, and the pages that continue it through its cursor (fetched untimed before the full answer, so no walk runs in the background while another is timed) to be exactly the rest. ` +
      `The gateway process starts fresh for this part; before the timed queries it answers ${PAGE_WARMUP} untimed depth-10 queries a direction from other seeds (a first page of 100 and the whole answer each; BENCH_PAGE_WARMUP).`,
    '',
    '| direction | depth | queries | nodes/answer | first page (ms p50 / p99) | full answer (ms p50 / p99) | first ÷ full (p50) | target ≤ 15% | pages exact | load |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...pageRows,
    '',
    `### Where users stand today: Marquez-style lineage SQL`,
    '',
    `Our own SQL written the way Marquez's lineage query works (bench/marquez-lineage-sql.ts MARQUEZ_SQL), on the same graph in a Marquez-shaped schema (jobs → current job version → input/output dataset mapping, uuids): ` +
      `per call it recomputes every job's input/output arrays, starts from one job of the seed dataset (its writer, else a reader), and walks both directions at once, joining jobs whose input∪output arrays overlap, up to depth job hops. ` +
      `Its answer (jobs and their datasets, both directions) is not our directional impact, so it is timed, not compared. Seeds: the first ${MARQUEZ_QUERIES} downstream seeds above; each depth runs with its own statement timeout of ${MARQUEZ_TIMEOUT_MS / 1000} s (BENCH_MARQUEZ_TIMEOUT_MS), ` +
      `and a query stopped by it is shown as "> ${MARQUEZ_TIMEOUT_MS / 1000} s (statement timeout)": a measured lower bound. ` +
      `Beside it, our federated answer from the same seeds at the same depth (gateway process, ${DOMAINS} shard processes), downstream and upstream, checked against the reference walk.`,
    '',
    '| depth | seeds | Marquez-style SQL, ms per query | jobs + datasets/answer | our federated, same seeds and depth, ms per query (downstream / upstream) | load |',
    '|---|---|---|---|---|---|',
    ...marquezRows,
    '',
  ].join('\n');
  replaceResultsSection('Federation', body);
  log(`wrote bench/RESULTS.md (## Federation); ${mismatches} mismatches, ${truncatedAnswers} truncated, ${roundViolations} round-trip violations; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(mismatches === 0 ? 0 : 1);
};


main().catch((error) => {
  process.stderr.write(`federation bench failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
