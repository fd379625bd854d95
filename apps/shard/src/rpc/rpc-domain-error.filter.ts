import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { toHttpError } from '@lineage-hub/common';
import { DomainError } from '@lineage-hub/model';
import { type Observable, throwError } from 'rxjs';

/**
 * The RPC edge: a domain error goes back to the caller as `{status: 'error', code, message, field}` (code =
 * the DomainError code, status-like `httpStatus` for callers that forward it); anything else is an opaque internal error.
 */
@Catch()
export class RpcDomainErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcDomainErrorFilter.name);

  catch(err: unknown, _host: ArgumentsHost): Observable<never> {
    const { status, body } = toHttpError(err);
    if (status >= 500) this.logger.error(err instanceof Error ? err : String(err));
    const code = err instanceof DomainError ? err.code : body.error;
    return throwError(() => ({ status: 'error', code, message: body.message, field: body.field, httpStatus: status }));
  }
}
