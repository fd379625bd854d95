import { Controller, UseFilters } from '@nestjs/common';
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
import { IngestService } from './ingest.service';
import { LineageGraphService } from './lineage-graph.service';
import { LineageQueryService } from './lineage-query.service';
import { marquezNodeData } from './marquez-node-data';
import { MarquezReadService } from './marquez-read.service';
import { MembershipFilterService } from './membership-filter.service';
import { RpcDomainErrorFilter } from './rpc-domain-error.filter';
import { ShardInfoService } from './shard-info.service';

/** The gateway's view of this shard (libs/federation shard-rpc.contract.ts), over @nestjs/microservices TCP. */
@Controller()
@UseFilters(RpcDomainErrorFilter)
export class ShardRpcController {
  constructor(
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
    return { domain: this.info.version().domain, version: this.graph.version, nodes: await marquezNodeData(this.graph.store, request) };
  }

  @MessagePattern(ShardRpcPatterns.version)
  graphVersion() {
    return this.info.version();
  }
}
