/**
 * A shard process of the federation bench (forked by federation.bench.ts with the domain number): domain d's part
 * of the mesh in a libs/graph LineageIndex behind the shard's RPC patterns over @nestjs/microservices TCP
 * (lineage.expand / lineage.filter / shard.version), answering expand as apps/shard does
 * (LineageQueryService.expand, in the form the gateway asks for) and publishing full + directional Bloom filters
 * as apps/shard's MembershipFilterService does, and the lean expand server as apps/shard runs it (advertised in
 * shard.version; BENCH_LEAN=0 leaves it out). Tells its parent its port over IPC.
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { LineageIndex } from '@lineage-hub/graph';
import {
  buildDirectionalFilters,
  buildMembershipFilter,
  expandAnswerAs,
  packCompact,
  startLeanExpandServer,
  type LeanExpandAnswer,
  ShardRpcPatterns,
  type ExpandRequest,
  type ExpandResponse,
  type FilterResponse,
} from '@lineage-hub/federation';
import { freePort } from '../apps/hub/src/hub-ports';
import { domainGroups } from './federation-mesh';
import { BENCH_CPU } from './federation-shard-cpu';

@Controller()
class BenchShardController {
  static index: LineageIndex;
  static domain: string;
  static filter: FilterResponse;
  static expandPort: number | undefined;

  /** As apps/shard's lean expand (rpc/lean-expand.server.ts leanExpand): the same walk, its answer written straight into the frame, no envelope. */
  static lean(request: ExpandRequest): LeanExpandAnswer {
    const index = BenchShardController.index;
    const options = { direction: request.direction, depth: request.depth, maxNodes: request.maxNodes, asOf: request.asOf, transformations: request.transformations, unordered: true };
    const compact = index.traverseHeldNumbers(request.seeds, options);
    return { version: index.version, truncated: compact.truncated, unknownSeeds: compact.unknownSeeds, columns: null, compact };
  }

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

  /** Bench only: this process's CPU time so far (ms), so the bench can say where a query's CPU went. */
  @MessagePattern(BENCH_CPU)
  cpu() {
    const used = process.cpuUsage();
    return { ok: true, value: (used.user + used.system) / 1000 };
  }

  @MessagePattern(ShardRpcPatterns.version)
  version() {
    const { expandPort } = BenchShardController;
    return { ok: true, value: { domain: BenchShardController.domain, version: BenchShardController.index.version, ...(expandPort ? { expandPort } : {}) } };
  }
}

@Module({ controllers: [BenchShardController] })
class BenchShardModule {}

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
  // the lean expand transport beside it, as apps/shard runs it (BENCH_LEAN=0: none, expand over the Nest pattern only)
  if (process.env.BENCH_LEAN !== '0') {
    const lean = await startLeanExpandServer({
      host: '127.0.0.1',
      port: 0,
      maxFrameBytes: 1 << 26,
      domain: `d${d}`,
      admit: () => true,
      expand: (request) => BenchShardController.lean(request),
    });
    BenchShardController.expandPort = lean.port;
  }
  process.send!({ ready: true, domain: `d${d}`, port, nodes: index.stats().nodes, edges: index.stats().edges });
};


runShard(Number(process.argv[2])).catch((error) => {
  process.stderr.write(`bench shard failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
