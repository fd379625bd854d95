import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Headers on every answer: no sniffing, no framing, no referrer, no cross-origin embedding. */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function securityHeadersMiddleware(_req: Request, res: Response, next: NextFunction): void {
  res.removeHeader('X-Powered-By');
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  next();
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/** Is this Content-Type JSON (`application/json`, `application/*+json`, with parameters)? A missing type counts as JSON. */
export const isJsonContentType = (type: string | undefined): boolean => type === undefined || type === '' || JSON_TYPE.test(type.trim());

/**
 * Refuses a request body that is not JSON with 415 naming Content-Type, before it is read: a cross-site form or
 * `text/plain` POST (which a browser sends without a CORS preflight) never reaches a handler.
 */
export function jsonOnlyMiddleware(req: Request, res: Response, next: NextFunction): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody || isJsonContentType(req.headers['content-type'])) return next();
  res.status(415).json({ error: 'unsupported-media-type', message: 'Content-Type: only application/json bodies are accepted', field: 'Content-Type' });
}

/** CORS options for an allowlist: closed (no CORS headers at all) when the list is empty. */
export function corsOptions(origins: string[]) {
  const allowed = new Set(origins.map((o) => o.toLowerCase()));
  return {
    origin: (origin: string | undefined, callback: (err: Error | null, allow?: boolean) => void) => callback(null, origin !== undefined && allowed.has(origin.toLowerCase())),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Content-Encoding', 'X-Correlation-Id'],
    credentials: false,
    maxAge: 600,
  };
}

/** Hardening every app applies at its HTTP edge (called from each app's start function). */
export function applyHttpHardening(app: INestApplication, corsOrigins: string[]): void {
  (app.getHttpAdapter().getInstance() as { disable: (name: string) => void }).disable('x-powered-by');
  app.use(securityHeadersMiddleware);
  if (corsOrigins.length) app.enableCors(corsOptions(corsOrigins));
  app.use(jsonOnlyMiddleware);
}
