import { All, Body, Controller, Delete, Get, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import type { Request, Response } from 'express';
import { ConnectorAdminProxy } from '../connector-admin/connector-admin.proxy';

const ALERTS = ['alerts', 'alerts/*path', 'silences', 'silences/*path'];
const ROUTING = ['alert-routes', 'receivers/*path', 'alert-dead-letters'];

/**
 * The alerting API is the worker's (alert state, silences, routes and deliveries live with the worker that
 * evaluates and delivers them); the gateway forwards method, path, query and body, and answers as the worker did.
 * Who may: reading alerts and silences is a read, changing them (ack, silence) a steward's; routes, receivers and
 * dead letters are an admin's. The answer is returned (not written) so the read layer redacts it like any other.
 */
@Controller('api/v1')
export class AlertsForwardController {
  constructor(private readonly proxy: ConnectorAdminProxy) {}

  @Get(ALERTS)
  @Access('read')
  read(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query() query: Record<string, unknown>) {
    return this.forward(req, res, query, undefined);
  }

  @Post(ALERTS)
  @Access('steward')
  create(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    return this.forward(req, res, query, body);
  }

  @Put(ALERTS)
  @Access('steward')
  replace(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    return this.forward(req, res, query, body);
  }

  @Patch(ALERTS)
  @Access('steward')
  change(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    return this.forward(req, res, query, body);
  }

  @Delete(ALERTS)
  @Access('steward')
  remove(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query() query: Record<string, unknown>) {
    return this.forward(req, res, query, undefined);
  }

  @All(ROUTING)
  @Access('admin')
  routing(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    return this.forward(req, res, query, ['GET', 'DELETE', 'HEAD'].includes(req.method) ? undefined : body);
  }

  private async forward(req: Request, res: Response, query: Record<string, unknown>, body: unknown) {
    const reply = await this.proxy.forward(req.method, req.path, query, body);
    res.status(reply.status);
    return reply.body ?? undefined;
  }
}
