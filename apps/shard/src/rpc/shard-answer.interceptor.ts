import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { answerOk, type ShardAnswer } from '@lineage-hub/federation';
import { map, type Observable } from 'rxjs';

/** The RPC edge, answers: every handler's value goes back as `{ok: true, value}` (libs/federation shard-answer.ts). */
@Injectable()
export class ShardAnswerInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<ShardAnswer<unknown>> {
    return next.handle().pipe(map((value) => answerOk(value)));
  }
}
