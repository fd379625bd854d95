import { All, Body, Controller, Query, Req, Res } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import type { Request, Response } from 'express';
import { ConnectorAdminProxy } from '../connector-admin/connector-admin.proxy';

/**
 * The alerting API is the worker's (alert state, silences, routes and deliveries live with the worker that
 * evaluates and delivers them); the gateway forwards method, path, query and body, and answers as the worker did.
 */
@Access('steward')
@Controller('api/v1')
export class AlertsForwardController {
  constructor(private readonly proxy: ConnectorAdminProxy) {}

  @All(['alerts', 'alerts/*path', 'silences', 'silences/*path', 'alert-routes', 'receivers/*path', 'alert-dead-letters'])
  async forward(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    const reply = await this.proxy.forward(req.method, req.path, query, ['GET', 'DELETE', 'HEAD'].includes(req.method) ? undefined : body);
    res.status(reply.status).json(reply.body ?? undefined);
  }
}
