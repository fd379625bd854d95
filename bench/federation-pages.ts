/**
 * The federation bench's HTTP part: the real gateway process (apps/gateway) against the bench's shard processes,
 * timing the first page of GET /api/v1/impact against the whole answer, and checking every page is exact.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { mergedGraphBfs, type buildMergedGraph } from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';
import { freePort } from '../apps/hub/src/hub-ports';
import { fmt, load1, log, mean, ms, percentile } from './federation-measure';
import { rng } from './federation-mesh';

export const PAGE_DEPTH = 20;
export const FIRST_PAGE = 1000;
export const PAGE_QUERIES = Number(process.env.BENCH_PAGE_QUERIES ?? 6);
/**
 * Untimed queries a direction the gateway process answers before the timed ones (BENCH_PAGE_WARMUP): depth 10 from
 * other seeds, a first page of 100 and a whole answer each, through the same HTTP API. It is started fresh for this
 * part, and without them the first timed queries paid its JIT compilation: with 6 queries a p50 moves with it (first
 * page downstream 12.2% and 17.1% of the full answer in two runs on 2026-12-07, the same code and shards).
 */
export const PAGE_WARMUP = Number(process.env.BENCH_PAGE_WARMUP ?? 200);

/** Starts the gateway process against the bench's shards and times first pages against whole answers over HTTP. */
export const measureGatewayPages = async (
  shards: Array<{ domain: string; port: number }>,
  seedsByDirection: Map<string, NodeId[]>,
  merged: ReturnType<typeof buildMergedGraph>,
): Promise<string[]> => {
  const port = await freePort();
  const main = path.resolve(__dirname, '..', 'apps', 'gateway', 'src', 'main.js');
  // BENCH_CPU_PROF=<dir>: the gateway writes a V8 CPU profile there too (as the shard processes do)
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const gateway = spawn(process.execPath, [...profile, main], {
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
    const warmRandom = rng(11);
    for (const direction of ['downstream', 'upstream'] as const) {
      const pool = [...(direction === 'downstream' ? merged.down : merged.up).keys()].filter((id) => id.startsWith('dataset:'));
      for (let q = 0; q < PAGE_WARMUP; q++) {
        const query = { nodeId: pool[Math.floor(warmRandom() * pool.length)], direction, depth: '10' };
        await get({ ...query, limit: '100' });
        let cursor: string | null = null;
        do {
          const body: any = await get({ ...query, limit: '10000', ...(cursor ? { cursor } : {}) });
          cursor = body.nextCursor;
        } while (cursor);
      }
    }
    if (PAGE_WARMUP > 0) log(`gateway warm-up: ${PAGE_WARMUP} depth-10 queries a direction (first page of 100 and whole answer, other seeds, untimed)`);
    const rows: string[] = [];
    for (const direction of ['downstream', 'upstream'] as const) {
      const first: number[] = [];
      const full: number[] = [];
      const sizes: number[] = [];
      let exact = 0;
      let truncatedExact = 0;
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
        let lastTruncated = false;
        do {
          const body: any = await get({ ...query, limit: '10000', ...(cursor ? { cursor } : {}) });
          for (const n of body.nodes) all.push(`${n.id}@${n.distance}`);
          cursor = body.nextCursor;
          lastTruncated = body.truncated === true;
        } while (cursor);
        full.push(ms(process.hrtime.bigint() - t));
        sizes.push(all.length);
        const got = page.nodes.map((n: any) => `${n.id}@${n.distance}`);
        // a truncated answer (the node cap cut the walk) is an exact prefix of the whole answer in (distance, id) order,
        // as long as the legs let it be final (README "Node cap"): two walks of it with other legs may end at other
        // distances, so the shorter must be a prefix of the longer
        const shorter = Math.min(paged.length, all.length);
        const samePrefix = (a: string[], b: string[], n: number) => a.slice(0, n).every((x, i) => x === b[i]);
        const cut = page.truncated === true || lastTruncated;
        if (got.length === Math.min(FIRST_PAGE, all.length) && got.every((x: string, i: number) => x === all[i]) && (cut ? samePrefix(paged, all, shorter) : paged.length === all.length && samePrefix(paged, all, all.length))) {
          exact++;
          if (cut) truncatedExact++;
        }
        else {
          const firstDiff = got.findIndex((x: string, i: number) => x !== all[i]);
          const pagedDiff = paged.findIndex((x, i) => x !== all[i]);
          log(`MISMATCH pages ${direction} ${seed}: first page ${got.length} nodes (complete ${page.complete}, first difference at ${firstDiff}: ${got[firstDiff]} vs ${all[firstDiff]}), paged ${paged.length} vs full ${all.length} (first difference at ${pagedDiff})`);
        }
      }
      const ratio = percentile(first, 50) / percentile(full, 50);
      rows.push(
        `| ${direction} | ${PAGE_DEPTH} | ${first.length} | ${fmt(mean(sizes))} | ${fmt(percentile(first, 50))} / ${fmt(percentile(first, 99))} | ${fmt(percentile(full, 50))} / ${fmt(percentile(full, 99))} | ` +
          `**${(ratio * 100).toFixed(1)}%** | ${ratio <= 0.15 ? 'met' : 'NOT met'} | ${exact} of ${first.length}${truncatedExact ? ` (${truncatedExact} truncated: exact prefixes)` : ''} | ${loadBefore}–${load1()} |`,
      );
      log(rows[rows.length - 1]);
    }
    return rows;
  } finally {
    gateway.kill('SIGTERM');
  }
};
