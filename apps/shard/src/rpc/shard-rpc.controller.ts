import { Controller, Inject, UseFilters, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { type ShardRequest, type ShardResponse, ShardRpcPatterns as P } from '@lineage-hub/federation';
import type { LineageStore } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { LineageQueryService } from '../graph/lineage-query.service';
import { MembershipFilterService } from '../graph/membership-filter.service';
import { IngestService } from '../ingest/ingest.service';
import { marquezNodeData } from '../marquez/marquez-node-data';
import { RpcDomainErrorFilter } from './rpc-domain-error.filter';
import { ShardAnswerInterceptor } from './shard-answer.interceptor';
import { ShardInfoService } from './shard-info.service';

type Req<M extends keyof typeof P> = ShardRequest<(typeof P)[M]>;
type Res<M extends keyof typeof P> = Promise<ShardResponse<(typeof P)[M]>> | ShardResponse<(typeof P)[M]>;

/**
 * The federation messages (libs/federation shard-rpc.contract.ts) over @nestjs/microservices TCP: traversal,
 * membership filter, info/version, node data and routed ingest. Reads are in shard-reads.rpc-controller.ts.
 */
@Controller()
@UseFilters(RpcDomainErrorFilter)
@UseInterceptors(ShardAnswerInterceptor)
export class ShardRpcController {
  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    private readonly lineage: LineageQueryService,
    private readonly filter: MembershipFilterService,
    private readonly info: ShardInfoService,
    private readonly ingest: IngestService,
  ) {}

  @MessagePattern(P.expand)
  expand(@Payload() request: Req<'expand'>): Res<'expand'> {
    return this.lineage.expand(request);
  }

  @MessagePattern(P.filter)
  membershipFilter(): Res<'filter'> {
    return this.filter.current();
  }

  @MessagePattern(P.info)
  shardInfo(): Res<'info'> {
    return this.info.info();
  }

  @MessagePattern(P.version)
  graphVersion(): Res<'version'> {
    return this.info.version();
  }

  @MessagePattern(P.nodes)
  nodeData(@Payload() request: Req<'nodes'>): Res<'nodes'> {
    return marquezNodeData(this.store, request).then((nodes) => ({ ...this.info.version(), nodes }));
  }

  @MessagePattern(P.ingest)
  ingestEvents(@Payload() request: Req<'ingest'>): Res<'ingest'> {
    return this.ingest.ingestForGateway(request);
  }
}
