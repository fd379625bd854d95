import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { DomainError, NodeIdError } from '@lineage-hub/model';
import { answerError, type ShardAnswer } from '@lineage-hub/federation';
import { type Observable, of } from 'rxjs';

/**
 * The RPC edge, errors: a domain error goes back as an answer `{ok: false, error: {code, message, field}}`
 * (libs/federation shard-answer.ts), never as an HTTP status; anything else is an opaque `internal` error, logged here.
 */
@Catch()
export class RpcDomainErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcDomainErrorFilter.name);

  catch(err: unknown, _host: ArgumentsHost): Observable<ShardAnswer<never>> {
    if (!(err instanceof DomainError) && !(err instanceof NodeIdError)) this.logger.error(err instanceof Error ? err : String(err));
    return of(answerError(err));
  }
}
