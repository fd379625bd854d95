import type { LineageStore } from '@lineage-hub/store';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  expandAnswerAs,
  type ExpandRequest,
  type IngestRequest,
  type NodesRequest,
  type NodesResponse,
  type ReadRequest,
  ShardRpcPatterns,
} from '@lineage-hub/federation';
import { IngestService } from '../ingest/ingest.service';
import { LineageGraphService } from '../graph/lineage-graph.service';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { LineageQueryService } from '../graph/lineage-query.service';
import { marquezNodeData } from '../marquez/marquez-node-data';
import { MarquezReadService } from '../marquez/marquez-read.service';
import { MembershipFilterService } from '../graph/membership-filter.service';
import { RpcDomainErrorFilter } from './rpc-domain-error.filter';
import { ShardInfoService } from './shard-info.service';

/** The gateway's view of this shard (libs/federation shard-rpc.contract.ts), over @nestjs/microservices TCP. */
@Controller()
@UseFilters(RpcDomainErrorFilter)
export class ShardRpcController {
  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    private readonly lineage: LineageQueryService,
    private readonly filter: MembershipFilterService,
    private readonly info: ShardInfoService,
    private readonly reads: MarquezReadService,
    private readonly ingest: IngestService,
    private readonly graph: LineageGraphService,
  ) {}

  @MessagePattern(ShardRpcPatterns.expand)
  expand(@Payload() request: ExpandRequest) {
    return expandAnswerAs(request?.format, this.lineage.expand(request));
  }

  @MessagePattern(ShardRpcPatterns.filter)
  membershipFilter() {
    return this.filter.current();
  }

  @MessagePattern(ShardRpcPatterns.info)
  shardInfo() {
    return this.info.info();
  }

  @MessagePattern(ShardRpcPatterns.read)
  read(@Payload() request: ReadRequest) {
    return this.reads.read(request);
  }

  @MessagePattern(ShardRpcPatterns.ingest)
  ingestEvents(@Payload() request: IngestRequest) {
    return this.ingest.ingestForGateway(request);
  }

  @MessagePattern(ShardRpcPatterns.nodes)
  async nodeData(@Payload() request: NodesRequest): Promise<NodesResponse> {
    return { domain: this.info.version().domain, version: this.graph.version, nodes: await marquezNodeData(this.store, request) };
  }

  @MessagePattern(ShardRpcPatterns.version)
  graphVersion() {
    return this.info.version();
  }
}
