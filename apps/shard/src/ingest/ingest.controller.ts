import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import type { Response } from 'express';
import { parseProvenance } from '@lineage-hub/model';
import { IngestService } from './ingest.service';
import { reply } from '../http-reply';
import { writeJsonAnswer } from './json-answer.writer';

/** OpenLineage HTTP transport endpoints (POST /api/v1/lineage, /api/v1/lineage/batch). */
@Access('write')
@Controller('api/v1/lineage')
export class IngestController {
  constructor(private readonly ingest: IngestService) {}

  /** The hot route (one event per request from most clients): its 200 answer is written directly (json-answer.writer). */
  @Post()
  one(@Body() body: unknown, @Headers('x-lineage-provenance') provenance: string | undefined, @Res() res: Response) {
    return this.ingest.ingestOne(body, parseProvenance(provenance)).then((answer) => writeJsonAnswer(res, 200, answer));
  }

  @Post('batch')
  batch(@Body() body: unknown, @Headers('x-lineage-provenance') provenance: string | undefined, @Res({ passthrough: true }) res: Response) {
    return this.ingest.ingestBatch(body, parseProvenance(provenance)).then((r) => reply(res, r));
  }
}
