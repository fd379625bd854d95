import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DeliveryRpcPatterns as P, type ShardRequest, type ShardResponse } from '@lineage-hub/federation';
import { FindingsQueryService } from '../findings/findings-query.service';
import { RpcDomainErrorFilter } from '../rpc/rpc-domain-error.filter';
import { ShardAnswerInterceptor } from '../rpc/shard-answer.interceptor';
import { IngestService } from './ingest.service';

type Req<M extends keyof typeof P> = ShardRequest<(typeof P)[M]>;
type Res<M extends keyof typeof P> = Promise<ShardResponse<(typeof P)[M]>>;

/**
 * What the worker delivers after reading a vendor (libs/federation delivery-rpc.contract.ts): observed writes
 * and coverage records, validated whole by the same parsers as POST /api/v1/observed-writes and
 * POST /api/v1/coverage. Events arrive through `lineage.ingest` (shard-rpc.controller.ts). With AUTH on, RPC
 * callers present the service credential (libs/auth guard).
 */
@Controller()
@UseFilters(RpcDomainErrorFilter)
@UseInterceptors(ShardAnswerInterceptor)
export class DeliveryRpcController {
  constructor(
    private readonly ingest: IngestService,
    private readonly findings: FindingsQueryService,
  ) {}

  @MessagePattern(P.observedWrites)
  observedWrites(@Payload() request: Req<'observedWrites'>): Res<'observedWrites'> {
    return this.ingest.recordObservedWrites(request?.writes);
  }

  @MessagePattern(P.coverage)
  coverage(@Payload() request: Req<'coverage'>): Res<'coverage'> {
    return this.findings.recordCoverage(request?.records);
  }
}
