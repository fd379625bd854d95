/**
 * The one body rule of every HTTP edge that takes JSON (shard and gateway alike): a request with a body must say
 * `Content-Type: application/json` (or `application/<x>+json`), else 415 naming the header (so a cross-site
 * `text/plain` form post is never stored); gzip and deflate bodies are inflated, and the size limit applies to the
 * inflated body (413). Body errors get the same JSON error shape as every other error, naming `body`.
 */
import { isUtf8 } from 'node:buffer';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { toHttpError } from './domain-error.filter';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** 415 for a body that does not say it is JSON. */
export const requireJsonContentType = (req: Request, res: Response, next: NextFunction) => {
  if (!hasBody(req)) return next();
  const type = req.headers['content-type'];
  if (typeof type === 'string' && JSON_TYPE.test(type)) return next();
  res.status(415).json({
    error: 'unsupported-media-type',
    message: `Content-Type: must be application/json (got ${type ? JSON.stringify(type) : 'none'})`,
    field: 'Content-Type',
  });
};

/**
 * Refuses a body that is not well-formed UTF-8 (400 naming `body`): decoding would silently turn the bad bytes into
 * U+FFFD, so the stored event would differ from the one sent. Runs on the inflated bytes, before JSON.parse.
 */
export const verifyUtf8 = (_req: unknown, _res: unknown, buf: Buffer): void => {
  if (!isUtf8(buf)) throw Object.assign(new Error('body: the request body is not well-formed UTF-8'), { status: 400, type: 'entity.invalid.utf8' });
};

/**
 * JSON.parse's error as body-parser reports it (a 400 of type entity.parse.failed): the answer names `body`
 * (toHttpError). For a body parsed outside body-parser (the shard's single-event route).
 */
export const jsonParseError = (err: SyntaxError): SyntaxError => Object.assign(err, { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' });

/**
 * Answers a body error (malformed JSON, over the limit, not UTF-8, unsupported encoding) in the JSON error shape,
 * naming the field at fault. Registered right after the body parser: Nest's own error handler, registered at
 * init, would turn body-parser's SyntaxError into a bare BadRequestException that no longer says it was the body.
 */
export const jsonBodyErrors = (err: unknown, _req: Request, res: Response, next: NextFunction) => {
  if (res.headersSent) return next(err);
  const { status, body } = toHttpError(err);
  res.status(status).json(body);
};

/** Call before the routes are set up (right after NestFactory.create with `bodyParser: false`). */
export const useJsonBodies = (app: NestExpressApplication, limitBytes: number) => {
  app.use(requireJsonContentType);
  app.useBodyParser('json', { limit: limitBytes, type: () => true, inflate: true, strict: false, verify: verifyUtf8 });
  app.use(jsonBodyErrors);
};
