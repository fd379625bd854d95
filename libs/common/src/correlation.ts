import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const storage = new AsyncLocalStorage<{ correlationId: string }>();

export const CORRELATION_HEADER = 'x-correlation-id';

/** The correlation id of the current request or job, if any. */
export const currentCorrelationId = (): string | undefined => storage.getStore()?.correlationId;

/** Runs fn with a correlation id (jobs, RPC handlers, startup). */
export const withCorrelationId = <T>(correlationId: string, fn: () => T): T => storage.run({ correlationId }, fn);

/** Express middleware: takes x-correlation-id from the request (or makes one) and echoes it back. */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header(CORRELATION_HEADER);
  const correlationId = incoming && incoming.length <= 128 ? incoming : randomUUID();
  res.setHeader(CORRELATION_HEADER, correlationId);
  storage.run({ correlationId }, next);
}
