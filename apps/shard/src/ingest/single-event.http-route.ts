import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type CanActivate, ForbiddenException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AuthGuard, SECURITY_HEADERS, withAuthContext } from '@lineage-hub/auth';
import { CORRELATION_HEADER, DomainErrorFilter, jsonParseError, MetricsService, verifyUtf8, withCorrelationId } from '@lineage-hub/common';
import { parseProvenance } from '@lineage-hub/model';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { writeJsonAnswer } from './json-answer.writer';

/**
 * POST /api/v1/lineage served in front of express: the plain request (one JSON body with a Content-Length within
 * the limit, no Content-Encoding, no Origin) does in one function what the framework's pipeline does for it, in
 * the same order, with the same parts: correlation id, security headers, auth context, body read (UTF-8 check,
 * BOM, JSON.parse), the HTTP duration metric, the global AuthGuard (the same instance, so one rate limiter), the
 * IngestService call, the 200 answer (json-answer.writer), errors through DomainErrorFilter (body errors as
 * body-parser reports them to jsonBodyErrors). Each request pays neither express's middleware walk (eight layers), body-parser
 * and raw-body's stream plumbing, nor Nest's route pipeline: these were about a fifth of the shard's CPU per event
 * under 32 single-event producers. Any other request on this path (gzip, chunked, another content type or charset,
 * a CORS request, a query string, a trailing slash) goes to express untouched and gets the framework's answer;
 * test/integration/single-event-route.test.ts holds the two paths to the same answers.
 */
const PATH = '/api/v1/lineage';
/** The content types every layer of the framework path takes as JSON in UTF-8 (others go to the framework). */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset=utf-8\s*)?$/i;
const BOM = 0xfeff;
const noop = () => undefined;

/** What the route uses of the running app (all resolved once, at start). */
export interface SingleEventRouteParts {
  ingest: IngestService;
  guard: CanActivate;
  filter: DomainErrorFilter;
  metrics: MetricsService;
  /** The express app: its request and response prototypes (res.status/json, req.header for the guard). */
  express: { request: object; response: object };
  limitBytes: number;
}

export class SingleEventRoute {
  constructor(private readonly parts: SingleEventRouteParts) {}

  /** Serves the request and returns true when it is the plain case; false leaves it to express (nothing read). */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST' || req.url !== PATH) return false;
    const headers = req.headers;
    if (headers.origin !== undefined || headers['transfer-encoding'] !== undefined || headers['content-encoding'] !== undefined) return false;
    const type = headers['content-type'];
    if (type === undefined || !PLAIN_JSON.test(type)) return false;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= this.parts.limitBytes)) return false;
    this.start(req, res);
    return true;
  }

  private start(req: IncomingMessage, res: ServerResponse): void {
    // express's own per-request set-up (application.js handle): the guard and the filter use its req/res methods
    Object.assign(req, { res });
    Object.assign(res, { req });
    Object.setPrototypeOf(req, this.parts.express.request);
    Object.setPrototypeOf(res, this.parts.express.response);
    const incoming = req.headers[CORRELATION_HEADER];
    const correlationId = typeof incoming === 'string' && incoming.length > 0 && incoming.length <= 128 ? incoming : randomUUID();
    res.setHeader(CORRELATION_HEADER, correlationId);
    res.removeHeader('X-Powered-By');
    for (const name in SECURITY_HEADERS) res.setHeader(name, SECURITY_HEADERS[name]);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      // handle() answers every error itself; what could still throw (an answer to a socket already gone) ends it
      withCorrelationId(correlationId, () => withAuthContext(() => void this.handle(req, res, bytes).catch(() => res.destroy())));
    });
    // an aborted request has nobody to answer (the framework's 400 would go to a closed socket too)
    req.once('error', () => res.destroy());
  }

  private async handle(req: IncomingMessage, res: ServerResponse, bytes: Buffer): Promise<void> {
    const context = new ExecutionContextHost([req, res, noop], IngestController, IngestController.prototype.one);
    context.setType('http');
    let body: unknown;
    try {
      body = parseBody(req, res, bytes);
    } catch (err) {
      // A body error is answered before any route or metric (json-body.middleware jsonBodyErrors), JSON.parse's as
      // body-parser reports it: a 400 naming `body`.
      this.parts.filter.catch(err instanceof SyntaxError ? jsonParseError(err) : err, context);
      return;
    }
    Object.assign(req, { body, route: { path: PATH } });
    const stop = this.parts.metrics.httpDuration.startTimer();
    res.once('finish', () => stop({ method: 'POST', route: PATH, status: String(res.statusCode) }));
    try {
      // a guard refuses by throwing (AuthGuard); a plain `false` is Nest's 403
      if (!(await this.parts.guard.canActivate(context))) throw new ForbiddenException('Forbidden resource');
      const answer = await this.parts.ingest.ingestOne(body, parseProvenance(header(req, 'x-lineage-provenance')));
      writeJsonAnswer(res as never, 200, answer);
    } catch (err) {
      this.parts.filter.catch(err, context);
    }
  }
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** body-parser's json() as the shard configures it (useJsonBodies: strict false, UTF-8 verified, BOM stripped). */
const parseBody = (req: IncomingMessage, res: ServerResponse, bytes: Buffer): unknown => {
  verifyUtf8(req, res, bytes);
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === BOM) text = text.slice(1);
  return text.length === 0 ? {} : JSON.parse(text);
};

/**
 * Puts the route in front of the app's express handler on its HTTP server (after app.init(): the guard, the
 * service and the metrics exist). Without a plain express request listener (another adapter) nothing changes.
 */
export const installSingleEventRoute = (app: NestExpressApplication, limitBytes: number): boolean => {
  const server = app.getHttpServer() as Server;
  const express = app.getHttpAdapter().getInstance() as ((req: IncomingMessage, res: ServerResponse) => void) & { request: object; response: object };
  if (!server.listeners('request').includes(express)) return false;
  const route = new SingleEventRoute({
    ingest: app.get(IngestService),
    guard: app.get(AuthGuard),
    filter: new DomainErrorFilter(),
    metrics: app.get(MetricsService),
    express,
    limitBytes,
  });
  server.removeListener('request', express);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!route.serve(req, res)) express(req, res);
  });
  return true;
};
