import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { IngestService } from './ingest.service';
import { reply } from './http-reply';

/** OpenLineage HTTP transport endpoints (POST /api/v1/lineage, /api/v1/lineage/batch). */
@Controller('api/v1/lineage')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(200)
  one(@Body() body: unknown) {
    return this.ingest.ingestOne(body);
  }

  @Post('batch')
  batch(@Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    return this.ingest.ingestBatch(body).then((r) => reply(res, r));
  }
}
