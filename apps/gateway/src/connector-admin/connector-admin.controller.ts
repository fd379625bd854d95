import { All, Body, Controller, Query, Req, Res } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import type { Request, Response } from 'express';
import { ConnectorAdminProxy } from './connector-admin.proxy';

/** GET/POST/PUT/DELETE /api/v1/connectors[/{id}[/runs]]: answered by the connector worker. */
@Access('admin')
@Controller('api/v1/connectors')
export class ConnectorAdminController {
  constructor(private readonly proxy: ConnectorAdminProxy) {}

  @All(['', '*path'])
  async forward(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    const reply = await this.proxy.forward(req.method, req.path, query, ['GET', 'DELETE', 'HEAD'].includes(req.method) ? undefined : body);
    res.status(reply.status).json(reply.body ?? undefined);
  }
}
