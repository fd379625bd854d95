/**
 * npm run bench:federation
 *
 * A generated data mesh of 8 domains and ~1M lineage edges. Each domain's part is served by its own
 * shard process: the shard's index (libs/graph LineageIndex) behind the shard's RPC patterns over
 * @nestjs/microservices TCP (lineage.expand / lineage.filter / shard.version), answering expand as apps/shard
 * does (LineageQueryService.expand, in the columnar form the gateway asks for) and publishing full + directional
 * Bloom filters as apps/shard's MembershipFilterService does. This process plays the gateway: libs/federation's
 * federatedTraversal with a TCP ClientProxy per shard and the shards' Bloom filters, no cache.
 *
 * Baselines in the same run, on the same graph, judged against:
 *   (a) the project's own index (libs/graph LineageIndex) loaded with the merged graph in this one process,
 *       building the same answer (traverse(): sorted node objects and edges);
 *   (b) a plain typed-array BFS over the merged graph (bench/typed-answer-bfs.ts) building the same answer.
 * Extras, labelled as such: the Map-based walk (libs/federation mergedGraphBfs, the reference answer every
 * federated answer is checked against) and a deduplicating WITH RECURSIVE query over one PostgreSQL edge table.
 * Where users stand today: a recursive SQL written the way Marquez's lineage query works (both directions, the
 * job table's input/output arrays recomputed per call, jobs joined on array overlap), at depth 2, 5, 10, 20.
 * Round trips are checked against the number of domain crossings the answer needs (+1). Every row names the
 * load average during its run. Results go to bench/RESULTS.md (## Federation).
 */
import 'reflect-metadata';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, MessagePattern, Payload, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { Client } from 'pg';
import { replaceResultsSection } from './results-section';
import { buildTypedGraph, typedAnswer } from './typed-answer-bfs';
import { LineageIndex } from '@lineage-hub/graph';
import {
  buildDirectionalFilters,
  buildMembershipFilter,
  DEFAULT_FILTER_ERROR_RATE,
  expandAnswerAs,
  buildMergedGraph,
  federatedTraversal,
  loadMembershipFilter,
  mergedGraphBfs,
  packCompact,
  ShardRpcPatterns,
  type ExpandRequest,
  type ExpandResponse,
  type FederationShard,
  type FilterResponse,
} from '@lineage-hub/federation';
import type { LineageEdge, NodeId } from '@lineage-hub/model';

// ---------------------------------------------------------------- the mesh

const DOMAINS = 8;
const JOBS_PER_DOMAIN = Number(process.env.BENCH_JOBS_PER_DOMAIN ?? 42_500);
const SOURCES_PER_DOMAIN = 2_000;
/** A job reads datasets written by the previous WINDOW jobs of its domain (pipelines build on recent models). */
const WINDOW = 3_000;
/** Share of reads that consume another domain's dataset (the cross-domain consumers). */
const CROSS_DOMAIN = 0.04;

const rng = (seed: number) => {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
};

const dataset = (d: number, k: number) => `dataset:wh${d}:analytics.t${k}` as NodeId;
const source = (d: number, k: number) => `dataset:wh${d}:raw.src${k}` as NodeId;
const job = (d: number, j: number) => `job:etl-d${d}:model_${j}` as NodeId;

const edge = (from: NodeId, to: NodeId, kind: 'reads' | 'writes'): LineageEdge => ({ from, to, kind, provenance: 'declared', validFrom: 0, validTo: null });

/** Domain d's jobs and their edges; deterministic per domain, so a shard process makes its own part. */
const domainGroups = (d: number): Array<{ owner: NodeId; edges: LineageEdge[] }> => {
  const random = rng(1000 + d);
  const groups: Array<{ owner: NodeId; edges: LineageEdge[] }> = [];
  for (let j = 0; j < JOBS_PER_DOMAIN; j++) {
    const owner = job(d, j);
    const edges: LineageEdge[] = [];
    const r = random();
    const reads = r < 0.3 ? 1 : r < 0.75 ? 2 : 3;
    const seen = new Set<string>();
    for (let i = 0; i < reads; i++) {
      let input: NodeId;
      const pick = random();
      const k = Math.floor(Math.max(0, j - WINDOW) + random() * Math.min(j, WINDOW));
      if (pick < CROSS_DOMAIN && j > 0) {
        const other = (d + 1 + Math.floor(random() * (DOMAINS - 1))) % DOMAINS;
        input = dataset(other, k);
      } else if (pick < CROSS_DOMAIN + 0.1 || j === 0) {
        input = source(d, Math.floor(random() * SOURCES_PER_DOMAIN));
      } else {
        input = dataset(d, k);
      }
      if (seen.has(input)) continue;
      seen.add(input);
      edges.push(edge(input, owner, 'reads'));
    }
    edges.push(edge(owner, dataset(d, j), 'writes'));
    groups.push({ owner, edges });
  }
  return groups;
};

// ---------------------------------------------------------------- a shard process

@Controller()
class BenchShardController {
  static index: LineageIndex;
  static domain: string;
  static filter: FilterResponse;

  /** As apps/shard's expand (LineageQueryService.expand, answer form per request.format; packed straight from traverseCompact): known seeds walked, unknown ones reported. */
  @MessagePattern(ShardRpcPatterns.expand)
  expand(@Payload() request: ExpandRequest): { ok: true; value: ExpandResponse } {
    const index = BenchShardController.index;
    const started = process.hrtime.bigint();
    const seeds = request.seeds.filter((s) => index.has(s.id));
    const unknownSeeds = request.seeds.filter((s) => !index.has(s.id)).map((s) => s.id);
    const options = { direction: request.direction, depth: request.depth, maxNodes: request.maxNodes, asOf: request.asOf, transformations: request.transformations };
    let response: ExpandResponse;
    if (request.format === 'packed' && seeds.length > 0) {
      const compact = index.traverseCompact(seeds, options);
      response = { nodes: [], edges: [], frontier: [], truncated: compact.truncated, domain: BenchShardController.domain, version: index.version, unknownSeeds, packed: packCompact(compact) };
    } else {
      const result = seeds.length === 0 ? { nodes: [], edges: [], frontier: [], truncated: false } : index.traverse(seeds, options);
      response = expandAnswerAs(request.format, { ...result, domain: BenchShardController.domain, version: index.version, unknownSeeds });
    }
    if (process.env.BENCH_DEBUG) (response as any).serverMs = Number(process.hrtime.bigint() - started) / 1e6;
    return { ok: true, value: response };
  }

  // answers in the shard contract's form ({ok: true, value}), as apps/shard's RPC edge gives them

  @MessagePattern(ShardRpcPatterns.filter)
  filter(): { ok: true; value: FilterResponse } {
    return { ok: true, value: BenchShardController.filter };
  }

  @MessagePattern(ShardRpcPatterns.version)
  version() {
    return { ok: true, value: { domain: BenchShardController.domain, version: BenchShardController.index.version } };
  }
}

@Module({ controllers: [BenchShardController] })
class BenchShardModule {}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const runShard = async (d: number) => {
  process.on('disconnect', () => process.exit(0)); // the bench (gateway side) is gone
  process.on('SIGTERM', () => process.exit(0)); // a normal exit, so a --cpu-prof profile is written
  const groups = domainGroups(d);
  const index = new LineageIndex();
  index.load({ groups: groups.map((g) => ({ ...g, columnEdges: [] })), aliases: [], lifecycle: [], version: 1 });
  BenchShardController.index = index;
  BenchShardController.domain = `d${d}`;
  BenchShardController.filter = {
    domain: `d${d}`,
    version: 1,
    filter: buildMembershipFilter(index.nodeIds()),
    ...buildDirectionalFilters(groups.flatMap((g) => g.edges)),
  };
  const port = await freePort();
  const app = await NestFactory.createMicroservice(BenchShardModule, { transport: Transport.TCP, options: { host: '127.0.0.1', port }, logger: false });
  await app.listen();
  process.send!({ ready: true, domain: `d${d}`, port, nodes: index.stats().nodes, edges: index.stats().edges });
};

// ---------------------------------------------------------------- measuring

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const ms = (hr: bigint) => Number(hr) / 1e6;
const fmt = (n: number) => (Number.isNaN(n) ? '–' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * The fewest domain crossings the answer needs: over (node, domain of the last job crossed) states, the
 * lexicographically best (distance, crossings) per node; max over the answer of its crossings. A crossing is
 * a job of another domain than the previous job on the path; the seed goes to every holder at once.
 */
const crossingsNeeded = (graph: ReturnType<typeof buildMergedGraph>, seed: NodeId, direction: 'downstream' | 'upstream', depth: number) => {
  const adjacency = direction === 'downstream' ? graph.down : graph.up;
  const domainOf = (jobId: string) => jobId.slice('job:etl-'.length, jobId.indexOf(':', 'job:etl-'.length));
  type State = { node: string; last: string; d: number; c: number };
  const best = new Map<string, { d: number; c: number }>();
  const better = (a: { d: number; c: number }, b?: { d: number; c: number }) => !b || a.d < b.d || (a.d === b.d && a.c < b.c);
  let layer: State[] = [{ node: seed, last: '', d: 0, c: 0 }];
  const stateBest = new Map<string, number>([[`${seed}|`, 0]]);
  best.set(seed, { d: 0, c: 0 });
  for (let d = 0; d <= depth && layer.length; d++) {
    // expand datasets of this layer into jobs (next layer), through jobs to their outputs (same distance)
    const next: State[] = [];
    for (const s of layer) {
      for (const j of adjacency.get(s.node) ?? []) {
        const jd = d + 1;
        if (jd > depth) continue;
        const dom = domainOf(j);
        const c = s.c + (s.last && s.last !== dom ? 1 : 0);
        const key = `${j}|${dom}`;
        const known = stateBest.get(key);
        if (known !== undefined && known <= c) continue;
        stateBest.set(key, c);
        if (better({ d: jd, c }, best.get(j))) best.set(j, { d: jd, c });
        for (const out of adjacency.get(j) ?? []) {
          const okey = `${out}|${dom}`;
          const oknown = stateBest.get(okey);
          if (oknown !== undefined && oknown <= c) continue;
          stateBest.set(okey, c);
          if (better({ d: jd, c }, best.get(out))) best.set(out, { d: jd, c });
          next.push({ node: out, last: dom, d: jd, c });
        }
      }
    }
    layer = next;
  }
  let max = 0;
  for (const v of best.values()) max = Math.max(max, v.c);
  return max;
};

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

/**
 * Where users stand today: a lineage query in the way Marquez's works (our own SQL from its described approach,
 * over a Marquez-shaped schema: jobs, their current version, the version's input/output datasets). Per call it
 * recomputes every job's input and output arrays, starts from one job of the dataset (its writer, else a reader,
 * as Marquez picks one), and walks both directions at once by joining jobs whose arrays overlap, up to `depth`
 * job hops. The answer is a set of jobs with their datasets, not our directional impact, so it is timed, not compared.
 */
const MARQUEZ_SQL = `WITH RECURSIVE
    job_io AS (
      SELECT j.uuid AS job_uuid,
             coalesce(array_agg(DISTINCT io.dataset_uuid) FILTER (WHERE io.io_type = 'INPUT'), '{}') AS inputs,
             coalesce(array_agg(DISTINCT io.dataset_uuid) FILTER (WHERE io.io_type = 'OUTPUT'), '{}') AS outputs
      FROM mz_jobs j
      LEFT JOIN mz_job_versions v ON v.uuid = j.current_version_uuid
      LEFT JOIN mz_job_versions_io_mapping io ON io.job_version_uuid = v.uuid
      GROUP BY j.uuid),
    start AS (
      SELECT v.job_uuid FROM mz_datasets d
      JOIN mz_job_versions_io_mapping io ON io.dataset_uuid = d.uuid
      JOIN mz_job_versions v ON v.uuid = io.job_version_uuid
      WHERE d.name = $1
      ORDER BY io.io_type DESC LIMIT 1),
    lineage(job_uuid, inputs, outputs, depth) AS (
      SELECT job_uuid, inputs, outputs, 0 FROM job_io WHERE job_uuid IN (SELECT job_uuid FROM start)
      UNION
      SELECT io.job_uuid, io.inputs, io.outputs, l.depth + 1
      FROM job_io io, lineage l
      WHERE io.job_uuid <> l.job_uuid
        AND array_cat(io.inputs, io.outputs) && array_cat(l.inputs, l.outputs)
        AND l.depth < $2)
  SELECT DISTINCT ON (job_uuid) job_uuid, inputs, outputs FROM lineage`;
const MARQUEZ_TIMEOUT_MS = Number(process.env.BENCH_MARQUEZ_TIMEOUT_MS ?? 30_000);
const MARQUEZ_DEPTHS = [2, 5, 10, 20];

/** The Marquez-shaped tables, filled from the merged edge table (uuids derived from the ids). */
const loadMarquezSchema = async (pg: Client) => {
  await pg.query(`CREATE UNLOGGED TABLE mz_datasets (uuid uuid PRIMARY KEY, name text NOT NULL UNIQUE)`);
  await pg.query(`CREATE UNLOGGED TABLE mz_jobs (uuid uuid PRIMARY KEY, name text NOT NULL UNIQUE, current_version_uuid uuid NOT NULL)`);
  await pg.query(`CREATE UNLOGGED TABLE mz_job_versions (uuid uuid PRIMARY KEY, job_uuid uuid NOT NULL)`);
  await pg.query(`CREATE UNLOGGED TABLE mz_job_versions_io_mapping (job_version_uuid uuid NOT NULL, dataset_uuid uuid NOT NULL, io_type text NOT NULL, PRIMARY KEY (job_version_uuid, dataset_uuid, io_type))`);
  await pg.query(`INSERT INTO mz_datasets SELECT md5(n)::uuid, n FROM (SELECT src AS n FROM lineage_edges WHERE kind = 1 UNION SELECT dst FROM lineage_edges WHERE kind = 2) x`);
  await pg.query(`INSERT INTO mz_jobs SELECT md5(n)::uuid, n, md5('v:' || n)::uuid FROM (SELECT dst AS n FROM lineage_edges WHERE kind = 1 UNION SELECT src FROM lineage_edges WHERE kind = 2) x`);
  await pg.query(`INSERT INTO mz_job_versions SELECT current_version_uuid, uuid FROM mz_jobs`);
  await pg.query(`INSERT INTO mz_job_versions_io_mapping
    SELECT md5('v:' || dst)::uuid, md5(src)::uuid, 'INPUT' FROM lineage_edges WHERE kind = 1
    UNION SELECT md5('v:' || src)::uuid, md5(dst)::uuid, 'OUTPUT' FROM lineage_edges WHERE kind = 2`);
  await pg.query(`CREATE INDEX ON mz_job_versions_io_mapping (dataset_uuid)`);
  await pg.query(`ANALYZE`);
};

/** BENCH_CPU_PROF=<dir>: the shard processes write V8 CPU profiles there (run this process with node --cpu-prof too). */
const PROFILE_ARGS = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

/** BENCH_ANSWER_FORMAT=packed|columnar|plain: the expand answer form the gateway side asks for (default packed). */
const ANSWER_FORMAT = (process.env.BENCH_ANSWER_FORMAT ?? 'packed') as 'packed' | 'columnar' | 'plain';

const load1 = () => os.loadavg()[0].toFixed(1);

const PAGE_DEPTH = 20;
const FIRST_PAGE = 1000;
const PAGE_QUERIES = Number(process.env.BENCH_PAGE_QUERIES ?? 6);

/** Starts the gateway process against the bench's shards and times first pages against whole answers over HTTP. */
const measureGatewayPages = async (
  shards: Array<{ domain: string; port: number }>,
  seedsByDirection: Map<string, NodeId[]>,
  merged: ReturnType<typeof buildMergedGraph>,
): Promise<string[]> => {
  const port = await freePort();
  const main = path.resolve(__dirname, '..', 'apps', 'gateway', 'src', 'main.js');
  const gateway = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      SHARDS: shards.map((s) => `${s.domain}=127.0.0.1:${s.port}`).join(','),
      MAX_NODES: '100000',
      CACHE_MAX_ENTRIES: '0',
      SHARD_TIMEOUT_MS: '120000',
      QUERY_BUDGET_MS: '600000',
      FILTER_REFRESH_MS: '60000',
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}/api/v1/impact`;
  const get = async (query: Record<string, string>) => {
    const response = await fetch(`${base}?${new URLSearchParams(query)}`).catch((error) => {
      throw new Error(`GET impact ${JSON.stringify(query)}: ${error} (${error?.cause ?? 'no cause'}); gateway ${gateway.exitCode === null && gateway.signalCode === null ? 'running' : `exited ${gateway.exitCode ?? gateway.signalCode}`}`);
    });
    const body = (await response.json()) as any;
    if (response.status !== 200) throw new Error(`gateway answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };
  try {
    // ready when every shard's filter is loaded: a query from each domain's data answers completely
    const probe = seedsByDirection.get('downstream')![0];
    for (let tries = 0; ; tries++) {
      try {
        const body = await get({ nodeId: probe, depth: '1' });
        if (body.complete && body.stats.domainsQueried.length > 0) break;
      } catch (error) {
        if (tries > 600) throw error;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows: string[] = [];
    for (const direction of ['downstream', 'upstream'] as const) {
      const first: number[] = [];
      const full: number[] = [];
      const sizes: number[] = [];
      let exact = 0;
      const loadBefore = load1();
      // seeds whose answer is over twice the page (checked one at a time, only as many as needed)
      const seeds: NodeId[] = [];
      for (const seed of seedsByDirection.get(direction)!) {
        if (seeds.length >= PAGE_QUERIES) break;
        if (mergedGraphBfs(merged, seed, direction, PAGE_DEPTH).size > FIRST_PAGE * 2) seeds.push(seed);
      }
      for (const seed of seeds) {
        const query = { nodeId: seed, direction, depth: String(PAGE_DEPTH) };
        let t = process.hrtime.bigint();
        const page = await get({ ...query, limit: String(FIRST_PAGE) });
        first.push(ms(process.hrtime.bigint() - t));
        // the rest of that answer through its cursor (untimed): the walk ends before the next one starts, and the
        // pages continuing it are checked too
        const paged: string[] = page.nodes.map((n: any) => `${n.id}@${n.distance}`);
        for (let cursor: string | null = page.nextCursor; cursor; ) {
          const body: any = await get({ ...query, limit: '10000', cursor });
          for (const n of body.nodes) paged.push(`${n.id}@${n.distance}`);
          cursor = body.nextCursor;
        }
        t = process.hrtime.bigint();
        const all: string[] = [];
        let cursor: string | null = null;
        do {
          const body: any = await get({ ...query, limit: '10000', ...(cursor ? { cursor } : {}) });
          for (const n of body.nodes) all.push(`${n.id}@${n.distance}`);
          cursor = body.nextCursor;
        } while (cursor);
        full.push(ms(process.hrtime.bigint() - t));
        sizes.push(all.length);
        const got = page.nodes.map((n: any) => `${n.id}@${n.distance}`);
        if (got.length === Math.min(FIRST_PAGE, all.length) && got.every((x: string, i: number) => x === all[i]) && paged.length === all.length && paged.every((x, i) => x === all[i])) exact++;
        else {
          const firstDiff = got.findIndex((x: string, i: number) => x !== all[i]);
          const pagedDiff = paged.findIndex((x, i) => x !== all[i]);
          log(`MISMATCH pages ${direction} ${seed}: first page ${got.length} nodes (complete ${page.complete}, first difference at ${firstDiff}: ${got[firstDiff]} vs ${all[firstDiff]}), paged ${paged.length} vs full ${all.length} (first difference at ${pagedDiff})`);
        }
      }
      const ratio = percentile(first, 50) / percentile(full, 50);
      rows.push(
        `| ${direction} | ${PAGE_DEPTH} | ${first.length} | ${fmt(mean(sizes))} | ${fmt(percentile(first, 50))} / ${fmt(percentile(first, 99))} | ${fmt(percentile(full, 50))} / ${fmt(percentile(full, 99))} | ` +
          `**${(ratio * 100).toFixed(1)}%** | ${ratio <= 0.15 ? 'met' : 'NOT met'} | ${exact} of ${first.length} | ${loadBefore}–${load1()} |`,
      );
      log(rows[rows.length - 1]);
    }
    return rows;
  } finally {
    gateway.kill('SIGTERM');
  }
};

const sameAnswer = (a: Map<string, number>, b: Map<string, number>) => {
  if (a.size !== b.size) return false;
  for (const [id, d] of a) if (b.get(id) !== d) return false;
  return true;
};

const main = async () => {
  const started = Date.now();
  log(`federation bench: ${DOMAINS} shard processes, ${JOBS_PER_DOMAIN} jobs per domain, ${os.cpus().length} cores, node ${process.version}`);

  // shards first, so they build their indexes while this process builds the merged graph
  const shards: Array<{ child: ChildProcess; domain: string; port: number; nodes: number; edges: number }> = [];
  const ready = Array.from({ length: DOMAINS }, (_, d) =>
    new Promise<void>((resolve, reject) => {
      const child = fork(__filename, ['--shard', String(d)], { execArgv: ['--max-old-space-size=2048', ...PROFILE_ARGS], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.once('message', (m: any) => (shards.push({ child, ...m }), resolve()));
      child.once('exit', (code) => reject(new Error(`shard d${d} exited with ${code}`)));
    }),
  );
  const allEdges: LineageEdge[] = [];
  for (let d = 0; d < DOMAINS; d++) for (const g of domainGroups(d)) allEdges.push(...g.edges);
  const merged = buildMergedGraph(allEdges);
  const crossReads = allEdges.filter((e) => e.kind === 'reads' && e.from.startsWith('dataset:wh') && !e.to.startsWith(`job:etl-d${e.from.slice('dataset:wh'.length, e.from.indexOf(':', 'dataset:wh'.length))}:`)).length;
  log(`mesh: ${allEdges.length} edges (${crossReads} cross-domain reads)`);
  await Promise.all(ready);
  shards.sort((a, b) => a.domain.localeCompare(b.domain));
  log(`shards up after ${((Date.now() - started) / 1000).toFixed(1)} s: ${shards.map((s) => `${s.domain}=${s.nodes} nodes/${s.edges} edges`).join(', ')}`);

  // the gateway side: one TCP client per shard, and each shard's filter
  const clients = new Map<string, ClientProxy>();
  for (const s of shards) {
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port: s.port } });
    await client.connect();
    clients.set(s.domain, client);
  }
  const send = async <T>(domain: string, pattern: string, data: unknown, ms = 30_000): Promise<T> =>
    (await firstValueFrom(clients.get(domain)!.send<{ ok: true; value: T }>(pattern, data).pipe(timeout(ms)))).value;
  const federation: FederationShard[] = [];
  let filterBytes = 0;
  for (const s of shards) {
    const response = await send<FilterResponse>(s.domain, ShardRpcPatterns.filter, {});
    filterBytes += JSON.stringify(response).length;
    federation.push({
      domain: s.domain,
      filter: loadMembershipFilter(response.filter),
      downstream: response.downstream && loadMembershipFilter(response.downstream),
      upstream: response.upstream && loadMembershipFilter(response.upstream),
    });
  }
  const rtt: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    await send(shards[i % shards.length].domain, ShardRpcPatterns.version, {});
    rtt.push(ms(process.hrtime.bigint() - t));
  }
  log(`transport floor: shard.version round trip p50 ${fmt(percentile(rtt, 50))} ms, p99 ${fmt(percentile(rtt, 99))} ms`);
  let serverMsTotal = 0;
  let transportMsTotal = 0;
  let nodesSentTotal = 0;
  /** Debug: per round, the slowest and the fastest shard call (how long a round waits for its straggler). */
  let roundCalls: number[] = [];
  let roundSlowest = 0;
  let roundFastest = 0;
  const closeRound = () => {
    if (roundCalls.length > 0) {
      roundSlowest += Math.max(...roundCalls);
      roundFastest += Math.min(...roundCalls);
    }
    roundCalls = [];
  };
  let bytesTotal = 0;
  const transport = {
    expand: async (domain: string, request: ExpandRequest, t: number) => {
      const began = process.hrtime.bigint();
      const response = await send<ExpandResponse & { serverMs?: number }>(domain, ShardRpcPatterns.expand, request, t);
      transportMsTotal += ms(process.hrtime.bigint() - began);
      if (process.env.BENCH_DEBUG) roundCalls.push(ms(process.hrtime.bigint() - began));
      serverMsTotal += response.serverMs ?? 0;
      nodesSentTotal += response.packed?.nodeCount ?? response.columnar?.nodeCount ?? response.nodes.length;
      bytesTotal += process.env.BENCH_DEBUG ? JSON.stringify(response).length : 0;
      return response;
    },
  };
  const limits = { shardTimeoutMs: 30_000, budgetMs: 120_000 };

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

  const random = rng(42);
  const datasetsHeld = [...merged.down.keys()].filter((id) => id.startsWith('dataset:'));
  const datasetsWritten = [...merged.up.keys()].filter((id) => id.startsWith('dataset:'));
  const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
  const SQL_QUERIES_10 = Number(process.env.BENCH_SQL_QUERIES ?? 20);
  const DEEP_QUERIES = Number(process.env.BENCH_DEEP_QUERIES ?? 6);
  const MARQUEZ_QUERIES = Number(process.env.BENCH_MARQUEZ_QUERIES ?? 2);

  let mismatches = 0;
  let roundViolations = 0;
  let truncatedAnswers = 0;
  let compared = 0;
  const rows: string[] = [];
  const summary: Array<{ direction: string; depth: number; fedP50: number; indexP50: number; typedP50: number; load: string }> = [];
  const seedsByDirection = new Map<string, NodeId[]>();

  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = direction === 'downstream' ? datasetsHeld : datasetsWritten;
    const seeds = Array.from({ length: QUERIES }, () => pool[Math.floor(random() * pool.length)] as NodeId);
    seedsByDirection.set(direction, seeds);
    for (const depth of [10, 20]) {
      const n = depth === 10 ? QUERIES : DEEP_QUERIES;
      const sqlN = depth === 10 ? SQL_QUERIES_10 : DEEP_QUERIES;
      const fed: number[] = [];
      const indexMs: number[] = [];
      const typedMs: number[] = [];
      const mapMs: number[] = [];
      const sql: number[] = [];
      const rounds: number[] = [];
      const messages: number[] = [];
      const crossings: number[] = [];
      const sizes: number[] = [];
      const loadBefore = load1();
      for (let q = 0; q < n; q++) {
        const seed = seeds[q];
        let t = process.hrtime.bigint();
        const expected = mergedGraphBfs(merged, seed, direction, depth);
        mapMs.push(ms(process.hrtime.bigint() - t));
        const expectedMap = new Map([...expected].map(([id, v]) => [id, v.distance]));
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
        t = process.hrtime.bigint();
        const trace: string[] = [];
        const onRound = process.env.BENCH_DEBUG
          ? (r: number, b: ReadonlyMap<string, ExpandRequest['seeds']>) => {
              closeRound();
              trace.push(`round ${r}: ${[...b].map(([d, s]) => `${d}<-${s.map((x) => `${x.id}@${x.distance}`).join(',')}`).join(' ')}`);
            }
          : undefined;
        const got = await federatedTraversal({ seeds: [seed], direction, depth, maxNodes: 100_000 }, federation, transport, limits, { onRound, answerFormat: ANSWER_FORMAT });
        fed.push(ms(process.hrtime.bigint() - t));
        closeRound();
        rounds.push(got.stats.roundTrips);
        messages.push(got.stats.messages);
        sizes.push(got.nodes.length);
        if (got.truncated && got.complete) {
          // the node cap (the shard's maxNodes limit, 100k) stopped the walk and the answer says so: not comparable
          truncatedAnswers++;
        } else if (!got.complete || !sameAnswer(new Map(got.nodes.map((x) => [x.id as string, x.distance])), expectedMap)) {
          mismatches++;
          const gotMap = new Map(got.nodes.map((x) => [x.id as string, x.distance]));
          const missing = [...expectedMap].filter(([id, dist]) => gotMap.get(id) !== dist).slice(0, 3);
          const extra = [...gotMap].filter(([id]) => !expectedMap.has(id)).slice(0, 3);
          log(`MISMATCH federated ${direction} depth ${depth} ${seed}: complete ${got.complete} missing ${got.missingDomains} truncated ${got.truncated}, ${gotMap.size} vs ${expectedMap.size} nodes; differ ${JSON.stringify(missing.map(([id, d]) => [id, d, gotMap.get(id)]))} extra ${JSON.stringify(extra)}`);
        }
        if (!got.truncated) compared++;
        const c = crossingsNeeded(merged, seed, direction, depth);
        crossings.push(c);
        if (got.stats.roundTrips > c + 1) {
          roundViolations++;
          if (process.env.BENCH_DEBUG) log(`violation: ${direction} ${depth} ${seed}: rounds ${got.stats.roundTrips}, crossings ${c}, messages ${got.stats.messages}, nodes ${got.nodes.length}\n  ${trace.join('\n  ')}`);
        }
        if (q < sqlN) {
          t = process.hrtime.bigint();
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
        load,
      };
      if (process.env.BENCH_DEBUG) {
        log(`debug: federated total ${fmt(fed.reduce((a, b) => a + b, 0))} ms, shard calls ${fmt(transportMsTotal)} ms (sum), shard traverse+encode ${fmt(serverMsTotal)} ms (sum), nodes sent by shards ${nodesSentTotal} for ${sizes.reduce((a, b) => a + b, 0)} answer nodes, ${(bytesTotal / 1024 / 1024).toFixed(1)} MB of answers; rounds waited ${fmt(roundSlowest)} ms for their slowest call, ${fmt(roundFastest)} ms for their fastest`);
        roundSlowest = 0;
        roundFastest = 0;
        serverMsTotal = 0;
        transportMsTotal = 0;
        nodesSentTotal = 0;
        bytesTotal = 0;
      }
      const cell = (values: number[]) => `${fmt(percentile(values, 50))} / ${fmt(percentile(values, 99))}`;
      const line =
        `| ${direction} | ${depth} | ${n} (SQL ${sql.length}) | ${fmt(mean(sizes))} | ${cell(fed)} | ${cell(indexMs)} | ${cell(typedMs)} | ` +
        `**${fmt(row.fedP50 / row.indexP50)}×** | ${fmt(row.fedP50 / row.typedP50)}× | ${cell(mapMs)} | ${cell(sql)} | ` +
        `${mean(rounds).toFixed(2)} (max ${Math.max(...rounds)}) | ${mean(crossings).toFixed(2)} | ${mean(messages).toFixed(2)} | ${load} |`;
      rows.push(line);
      summary.push(row);
      log(line);
    }
  }

  // Marquez-style lineage SQL at depth 2, 5, 10, 20 from the same seeds; a depth is skipped once a shallower one timed out on every seed
  const marquezRows: string[] = [];
  let marquezDeeperSkipped = false;
  const marquezSeeds = seedsByDirection.get('downstream')!.slice(0, MARQUEZ_QUERIES);
  for (const depth of MARQUEZ_DEPTHS) {
    const loadBefore = load1();
    if (marquezDeeperSkipped) {
      marquezRows.push(`| ${depth} | – | not run: every seed timed out at a shallower depth (> ${MARQUEZ_TIMEOUT_MS / 1000} s) | – | – | ${loadBefore} |`);
      continue;
    }
    const times: number[] = [];
    const answerSizes: number[] = [];
    for (const seed of marquezSeeds) {
      const t = process.hrtime.bigint();
      try {
        await pg.query(`SET statement_timeout = ${MARQUEZ_TIMEOUT_MS}`);
        const res = await pg.query(MARQUEZ_SQL, [seed, depth]);
        times.push(ms(process.hrtime.bigint() - t));
        const datasets = new Set<string>();
        for (const r of res.rows) for (const u of [...(r.inputs ?? []), ...(r.outputs ?? [])]) datasets.add(String(u));
        answerSizes.push(res.rows.length + datasets.size);
      } catch (error) {
        if (!/statement timeout/i.test((error as Error).message)) throw error;
        times.push(Infinity);
      } finally {
        await pg.query('SET statement_timeout = 0');
      }
    }
    const timedOut = times.filter((x) => x === Infinity).length;
    if (timedOut === times.length) marquezDeeperSkipped = true;
    const p50 = percentile(times, 50);
    const fedRow = summary.find((r) => r.direction === 'downstream' && r.depth === depth);
    const line = `| ${depth} | ${times.length} | ${times.map((x) => (x === Infinity ? `> ${MARQUEZ_TIMEOUT_MS}` : fmt(x))).join(', ')} | ${answerSizes.length ? fmt(mean(answerSizes)) : '–'} | ${fedRow ? `${fmt(fedRow.fedP50)} (downstream, depth ${depth})` : '–'} | ${loadBefore}–${load1()} |`;
    marquezRows.push(line);
    log(`marquez-style sql depth ${depth}: ${line} (p50 ${p50 === Infinity ? 'timed out' : fmt(p50)})`);
  }

  const pageRows = await measureGatewayPages(shards, seedsByDirection, merged);

  for (const client of clients.values()) client.close();
  for (const s of shards) s.child.kill('SIGTERM');
  await pg.end();
  await admin.query(`DROP DATABASE ${dbName}`);
  await admin.end();

  const verdict = (r: (typeof summary)[number], target: number) =>
    `- depth ${r.depth} ${r.direction}: federated p50 ${fmt(r.fedP50)} ms is ${fmt(r.fedP50 / r.indexP50)}× the own index over the merged graph (${fmt(r.indexP50)} ms) and ${fmt(r.fedP50 / r.typedP50)}× the typed-array BFS: target (≤ ${target}×) ${r.fedP50 / r.indexP50 <= target ? 'met' : 'NOT met'} (load ${r.load}).`;
  const body = [
    `\`npm run bench:federation\` (bench/federation.bench.ts), ${new Date().toISOString().slice(0, 16)}Z. Machine: ${os.cpus().length} cores shared with other work, Node ${process.version}, PostgreSQL on localhost. Each row names the 1-min load average at its start and end.`,
    '',
    `Mesh: ${DOMAINS} domains, ${allEdges.length} lineage edges (dataset→job reads, job→dataset writes), ${JOBS_PER_DOMAIN} jobs per domain, ${(CROSS_DOMAIN * 100).toFixed(0)}% of reads consume another domain's dataset.`,
    `Each domain is one shard process (libs/graph LineageIndex behind the shard RPC patterns over @nestjs/microservices TCP); this process is the gateway (libs/federation federatedTraversal, Bloom filters, no cache).`,
    `Judged against, same run, same graph: **own index** = libs/graph LineageIndex loaded with the merged graph in this one process, traverse() building the answer (sorted node objects, edges); ` +
      `**typed-array BFS** = a plain BFS over CSR Int32Arrays building the same answer (bench/typed-answer-bfs.ts). Both checked to equal the reference walk.`,
    `Extras, context only: "Map walk" = libs/federation mergedGraphBfs (a Map<string, string[]> with an object per node; the reference every federated answer is checked against; the old bench's baseline); "recursive SQL" = WITH RECURSIVE … UNION over (node, distance) on one PostgreSQL edge table indexed both ways.`,
    `Latencies in ms (p50 / p99). Transport floor: one shard.version round trip p50 ${fmt(percentile(rtt, 50))} ms, p99 ${fmt(percentile(rtt, 99))} ms.`,
    `Crossings = the fewest domain crossings the answer needs (max over its nodes); round trips must stay ≤ crossings + 1. Messages = shard requests per query.`,
    '',
    '| direction | depth | queries | nodes/answer | federated | own index (merged, 1 process) | typed-array BFS | fed ÷ own index | fed ÷ typed BFS | Map walk (extra) | recursive SQL (extra) | round trips | crossings | messages | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
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
      `Each first page is checked to be exactly the first ${FIRST_PAGE} nodes of the full answer, and the pages that continue it through its cursor (fetched untimed before the full answer, so no walk runs in the background while another is timed) to be exactly the rest.`,
    '',
    '| direction | depth | queries | nodes/answer | first page (ms p50 / p99) | full answer (ms p50 / p99) | first ÷ full (p50) | target ≤ 15% | pages exact | load |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...pageRows,
    '',
    `### Where users stand today: Marquez-style lineage SQL`,
    '',
    `Our own SQL written the way Marquez's lineage query works (bench/federation.bench.ts MARQUEZ_SQL), on the same graph in a Marquez-shaped schema (jobs → current job version → input/output dataset mapping, uuids): ` +
      `per call it recomputes every job's input/output arrays, starts from one job of the seed dataset (its writer, else a reader), and walks both directions at once, joining jobs whose input∪output arrays overlap, up to depth job hops. ` +
      `Its answer (jobs and their datasets, both directions) is not our directional impact, so it is timed, not compared. Seeds: the first ${MARQUEZ_QUERIES} downstream seeds above; statement timeout ${MARQUEZ_TIMEOUT_MS / 1000} s.`,
    '',
    '| depth | queries | ms per query | jobs + datasets/answer | our federated p50, same depth | load |',
    '|---|---|---|---|---|---|',
    ...marquezRows,
    '',
  ].join('\n');
  replaceResultsSection('Federation', body);
  log(`wrote bench/RESULTS.md (## Federation); ${mismatches} mismatches, ${truncatedAnswers} truncated, ${roundViolations} round-trip violations; ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(mismatches === 0 ? 0 : 1);
};

if (process.argv[2] === '--shard') {
  runShard(Number(process.argv[3])).catch((error) => {
    process.stderr.write(`bench shard failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    process.stderr.write(`federation bench failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
