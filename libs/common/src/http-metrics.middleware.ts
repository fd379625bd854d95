import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Observes every HTTP answer in `http_request_duration_seconds` (method, matched route or `unmatched`, status) once
 * it is sent. A middleware, not a global interceptor: a global interceptor puts Nest's interceptor chain (an rxjs
 * pipeline and an AsyncResource.bind per layer) in front of every handler, which the single-event ingest route paid
 * once per event. Requests refused before their handler (401/403/429) and unrouted ones (404) are observed too.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    res.once('finish', () => stop({ method: req.method, route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched', status: String(res.statusCode) }));
    next();
  }
}
