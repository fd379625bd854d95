import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { FindingsRpcPatterns, type FindingGetRequest, type FindingsListRequest, type FreshnessRequest, type PutPoliciesRequest } from '@lineage-hub/federation';
import { RpcDomainErrorFilter } from '../rpc/rpc-domain-error.filter';
import { ShardAnswerInterceptor } from '../rpc/shard-answer.interceptor';
import { FindingsQueryService } from './findings-query.service';

/** The gateway's findings reads (typed messages; the same validation as HTTP). */
@Controller()
@UseFilters(RpcDomainErrorFilter)
@UseInterceptors(ShardAnswerInterceptor)
export class FindingsRpcController {
  constructor(private readonly queries: FindingsQueryService) {}

  @MessagePattern(FindingsRpcPatterns.list)
  list(@Payload() request: FindingsListRequest) {
    return this.queries.list({ ...request });
  }

  @MessagePattern(FindingsRpcPatterns.get)
  get(@Payload() request: FindingGetRequest) {
    return this.queries.get(request.id).catch((e: { code?: string }) => (e.code === 'not-found' ? null : Promise.reject(e)));
  }

  @MessagePattern(FindingsRpcPatterns.freshness)
  freshness(@Payload() request: FreshnessRequest) {
    return this.queries.freshness({ dataset: request.dataset }).catch((e: { code?: string }) => (e.code === 'not-found' ? null : Promise.reject(e)));
  }

  @MessagePattern(FindingsRpcPatterns.policies)
  policies() {
    return this.queries.policies();
  }

  @MessagePattern(FindingsRpcPatterns.putPolicies)
  putPolicies(@Payload() request: PutPoliciesRequest) {
    return this.queries.putPolicies(request.document);
  }
}
