import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, type DomainErrorCode, NodeIdError } from '@lineage-hub/model';
import type { Response } from 'express';

export const HTTP_STATUS_BY_CODE: Record<DomainErrorCode, number> = {
  'invalid-argument': 400,
  'invalid-event': 400,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  unavailable: 503,
  timeout: 504,
  unauthenticated: 401,
  'permission-denied': 403,
  'rate-limited': 429,
  internal: 500,
};

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  details?: unknown;
}

/** Maps any error to {status, body}: domain errors by code, body-parser errors, Nest HTTP exceptions; the rest is a 500. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof DomainError) {
    // An internal error's text (driver messages, paths) stays in the log; the client gets a generic message.
    if (err.code === 'internal') return { status: 500, body: { error: 'internal', message: 'internal error' } };
    return {
      status: HTTP_STATUS_BY_CODE[err.code] ?? 500,
      body: { error: err.code, message: err.message, field: err.field, details: err.details },
    };
  }
  if (err instanceof NodeIdError) {
    return { status: 400, body: { error: 'invalid-argument', message: err.message, field: 'nodeId' } };
  }
  const e = err as { type?: string; status?: number; statusCode?: number; message?: string; limit?: number };
  // body-parser / raw-body errors carry a `type`.
  if (e && typeof e.type === 'string') {
    if (e.type === 'entity.too.large') {
      return { status: 413, body: { error: 'payload-too-large', message: `request body exceeds the limit of ${e.limit} bytes`, field: 'body' } };
    }
    if (e.type === 'entity.parse.failed') {
      return { status: 400, body: { error: 'invalid-json', message: `malformed JSON body: ${e.message}`, field: 'body' } };
    }
    if (e.type === 'entity.invalid.utf8') {
      return { status: 400, body: { error: 'invalid-argument', message: e.message ?? 'body: not well-formed UTF-8', field: 'body' } };
    }
    if (e.type === 'encoding.unsupported') {
      return { status: 415, body: { error: 'unsupported-encoding', message: e.message ?? 'unsupported content encoding', field: 'Content-Encoding' } };
    }
    const status = e.status ?? e.statusCode;
    if (status && status >= 400 && status < 500) {
      return { status, body: { error: e.type, message: e.message ?? 'bad request', field: 'body' } };
    }
  }
  // Other http-errors raised while reading a body (e.g. a corrupt gzip stream): 4xx with `expose`.
  if (e && (e as { expose?: boolean }).expose === true && !(err instanceof HttpException)) {
    const status = e.status ?? e.statusCode;
    if (status && status >= 400 && status < 500) {
      const generic = !e.message || e.message === 'Bad Request';
      return {
        status,
        body: { error: 'bad-request', message: generic ? 'the request body could not be read (corrupt Content-Encoding or truncated body)' : e.message!, field: 'body' },
      };
    }
  }
  if (err instanceof HttpException) {
    const response = err.getResponse();
    const message = typeof response === 'string' ? response : ((response as any).message ?? err.message);
    // Nest's own 404 (no route for the method and path) names the path as the field at fault
    const field = err.getStatus() === 404 ? 'path' : err.getStatus() === 405 ? 'method' : undefined;
    return { status: err.getStatus(), body: { error: 'http', message: Array.isArray(message) ? message.join('; ') : String(message), ...(field ? { field } : {}) } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}

/** The HTTP edge: domain errors become status codes here and nowhere else. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorFilter.name);

  catch(err: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') throw err;
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = toHttpError(err);
    if (status >= 500) this.logger.error(err instanceof Error ? err : String(err));
    else this.logger.warn({ msg: body.message, status, error: body.error });
    if (!res.headersSent) res.status(status).json(body);
  }
}
