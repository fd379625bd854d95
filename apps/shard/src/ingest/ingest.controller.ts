import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import type { Response } from 'express';
import { parseProvenance } from '@lineage-hub/model';
import { IngestService } from './ingest.service';
import { reply } from '../http-reply';

/** OpenLineage HTTP transport endpoints (POST /api/v1/lineage, /api/v1/lineage/batch). */
@Access('write')
@Controller('api/v1/lineage')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  @Post()
  @HttpCode(200)
  one(@Body() body: unknown, @Headers('x-lineage-provenance') provenance?: string) {
    return this.ingest.ingestOne(body, parseProvenance(provenance));
  }

  @Post('batch')
  batch(@Body() body: unknown, @Headers('x-lineage-provenance') provenance: string | undefined, @Res({ passthrough: true }) res: Response) {
    return this.ingest.ingestBatch(body, parseProvenance(provenance)).then((r) => reply(res, r));
  }
}
