/**
 * A/B helper (not a result): the gateway's CPU per federated query without shards in the measure. Records the shard
 * answers of the bench's queries once (the federation bench's shard processes, the lean link as the gateway uses it),
 * stops the shards, then replays the same queries in this process through two builds' libs/federation (REPLAY_OLD:
 * the other build's dist root; this build's otherwise), in alternating blocks, each shard answer handed back from the
 * record (same request, same answer object). A query whose requests differ from the record fails (the builds must ask
 * the same). Prints CPU per query (process.cpuUsage) per block and overall, and checks both builds answer the same.
 * node dist/bench/federation-replay.js [queries a direction] (REPLAY_DEPTHS=10,20, REPLAY_PAIRS=8)
 */
import 'reflect-metadata';
import path from 'node:path';
import { loadMembershipFilter, ShardClient, ShardRpcPatterns, type ExpandRequest, type ExpandResponse, type FederationShard, type FilterResponse } from '@lineage-hub/federation';
import * as current from '@lineage-hub/federation';
import type { NodeId } from '@lineage-hub/model';
import { DOMAINS, domainGroups, rng } from './federation-mesh';
import { startShards } from './federation-processes';
import { fmt, load1, log, mean } from './federation-measure';

type Federation = typeof current;
type Query = { seeds: NodeId[]; direction: 'downstream' | 'upstream'; depth: number; maxNodes: number };

/** A request's record key: its seeds in id order (a round's seeds are queued in the order its answers arrived). */
const key = (domain: string, request: ExpandRequest) => `${domain}|${JSON.stringify({ ...request, seeds: [...request.seeds].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.distance - b.distance)) })}`;

const main = async () => {
  const N = Number(process.argv[2] ?? 40);
  const depths = (process.env.REPLAY_DEPTHS ?? '10').split(',').map(Number);
  const pairs = Number(process.env.REPLAY_PAIRS ?? 8);
  const shards = await startShards();
  const client = new ShardClient();
  const federation: FederationShard[] = [];
  for (const s of shards) {
    client.bind(s.domain, '127.0.0.1', s.port);
    const probe = (await client.call(s.domain, ShardRpcPatterns.version, {}, 30_000)) as { expandPort?: number };
    client.bindExpand(s.domain, probe.expandPort);
    const f = (await client.call(s.domain, ShardRpcPatterns.filter, {}, 30_000)) as FilterResponse;
    federation.push({ domain: s.domain, filter: loadMembershipFilter(f.filter), downstream: f.downstream && loadMembershipFilter(f.downstream), upstream: f.upstream && loadMembershipFilter(f.upstream) });
  }
  // the bench's seed pools (federation-ab.ts: datasets with edges that way)
  const down = new Set<string>();
  const up = new Set<string>();
  for (let d = 0; d < DOMAINS; d++) for (const g of domainGroups(d)) for (const e of g.edges) if (e.from.startsWith('dataset:')) down.add(e.from);
  for (let d = 0; d < DOMAINS; d++) for (const g of domainGroups(d)) for (const e of g.edges) if (e.to.startsWith('dataset:')) up.add(e.to);
  const random = rng(42);
  const queries: Query[] = [];
  for (const direction of ['downstream', 'upstream'] as const) {
    const pool = [...(direction === 'downstream' ? down : up)];
    const seeds = Array.from({ length: N }, () => pool[Math.floor(random() * pool.length)] as NodeId);
    for (const depth of depths) for (const seed of seeds) queries.push({ seeds: [seed], direction, depth, maxNodes: 100_000 });
  }
  const record = new Map<string, ExpandResponse>();
  const limits = { shardTimeoutMs: 60_000, budgetMs: 600_000 };
  const recorder = { expand: async (domain: string, request: ExpandRequest, within: number) => {
    const response = (await client.call(domain, ShardRpcPatterns.expand, request, within)) as ExpandResponse;
    record.set(key(domain, request), response);
    return response;
  } };
  for (const q of queries) await current.federatedTraversal(q, federation, recorder, limits);
  client.close();
  for (const s of shards) s.child.kill('SIGTERM');
  log(`recorded ${record.size} answers for ${queries.length} queries; load ${load1()}`);

  const replay = { expand: (domain: string, request: ExpandRequest) => {
    const response = record.get(key(domain, request));
    return response ? Promise.resolve(response) : Promise.reject(new Error(`no recorded answer for ${domain} ${JSON.stringify(request).slice(0, 200)}`));
  } };
  const builds: Array<{ name: string; fed: Federation }> = [{ name: 'new', fed: current }];
  if (process.env.REPLAY_OLD) builds.unshift({ name: 'old', fed: (await import(path.join(process.env.REPLAY_OLD, 'libs/federation/src/index.js'))) as Federation });
  const answers = new Map<string, string[]>();
  const cpu = new Map<string, number[]>();
  const run = async (fed: Federation, qs: Query[], name: string) => {
    const started = process.cpuUsage();
    for (let i = 0; i < qs.length; i++) {
      const got = await fed.federatedTraversal(qs[i], federation, replay, limits);
      if (got.missingDomains.length) throw new Error(`${name}: replay missed ${got.missingDomains.join(',')} on ${JSON.stringify(qs[i])}`);
      const sig = `${got.nodes.length}:${got.edges.length}:${got.nodes.map((n) => `${n.id}@${n.distance}/${n.domain}/${n.domains.join('+')}`).join(',').length}:${got.truncated}`;
      const k = `${i}|${qs[i].direction}|${qs[i].depth}`;
      const seen = answers.get(k);
      if (!seen) answers.set(k, [sig]);
      else if (!seen.includes(sig)) throw new Error(`builds answered ${JSON.stringify(qs[i])} differently: ${seen[0]} vs ${sig}`);
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000 / qs.length;
  };
  // warm-up: each build once over every query
  for (const b of builds) await run(b.fed, queries, b.name);
  for (const direction of ['downstream', 'upstream'] as const)
    for (const depth of depths) {
      const qs = queries.filter((q) => q.direction === direction && q.depth === depth);
      const row: Record<string, number[]> = {};
      for (let p = 0; p < pairs; p++) {
        const order = p % 2 ? [...builds].reverse() : builds;
        const line: string[] = [];
        for (const b of order) {
          const ms = await run(b.fed, qs, b.name);
          (row[b.name] ??= []).push(ms);
          line.push(`${b.name} ${fmt(ms)}`);
        }
        log(`  ${direction} d${depth} pair ${p + 1}: ${line.join(' | ')} ms CPU/query; load ${load1()}`);
      }
      for (const b of builds) cpu.set(`${b.name} ${direction} d${depth}`, row[b.name]);
      log(`${direction} d${depth} n=${qs.length}: ${builds.map((b) => `${b.name} mean ${fmt(mean(row[b.name]))} (min ${fmt(Math.min(...row[b.name]))})`).join(', ')} ms gateway CPU/query; load ${load1()}`);
    }
};

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
