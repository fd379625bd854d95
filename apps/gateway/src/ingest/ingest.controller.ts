import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import type { Response } from 'express';
import { IngestRouterService, type HttpReply } from './ingest-router.service';

const send = async (res: Response, reply: Promise<HttpReply>) => res.status((await reply).status).json((await reply).body);

/** OpenLineage producers may post to the gateway; events go to their domain's shard. */
@Access('write')
@Controller('api/v1/lineage')
export class IngestController {
  constructor(private readonly router: IngestRouterService) {}

  @Post()
  @HttpCode(200)
  one(@Body() body: unknown, @Headers('x-lineage-provenance') provenance: string | undefined, @Res() res: Response) {
    return send(res, this.router.one(body, provenance));
  }

  @Post('batch')
  batch(@Body() body: unknown, @Headers('x-lineage-provenance') provenance: string | undefined, @Res() res: Response) {
    return send(res, this.router.batch(body, provenance));
  }
}
