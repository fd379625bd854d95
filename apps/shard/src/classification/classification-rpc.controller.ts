import { Controller, UseFilters, UseInterceptors } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ClassificationRpcPatterns, type ClassificationRequest } from '@lineage-hub/federation';
import { invalidArgument } from '@lineage-hub/model';
import { RpcDomainErrorFilter } from '../rpc/rpc-domain-error.filter';
import { ShardAnswerInterceptor } from '../rpc/shard-answer.interceptor';
import { NodeClassificationService } from './node-classification.service';

/** The gateway's redaction layer asks which nodes are restricted (typed message, libs/federation classification-rpc.contract.ts). */
@Controller()
@UseFilters(RpcDomainErrorFilter)
@UseInterceptors(ShardAnswerInterceptor)
export class ClassificationRpcController {
  constructor(private readonly classification: NodeClassificationService) {}

  @MessagePattern(ClassificationRpcPatterns.of)
  of(@Payload() request: ClassificationRequest) {
    if (!Array.isArray(request?.ids) || request.ids.some((id) => typeof id !== 'string')) throw invalidArgument('ids', 'must be an array of node ids');
    return this.classification.classify(request.ids);
  }
}
