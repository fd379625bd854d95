import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { IngestService } from '../ingest/ingest.service';
import { MarquezReadService } from '../marquez/marquez-read.service';

/** Observed writes from connectors (provenance `observed`). */
@Controller('api/v1/observed-writes')
export class ObservedWritesController {
  constructor(
    private readonly ingest: IngestService,
    private readonly reads: MarquezReadService,
  ) {}

  /** Only connector/service credentials deliver observed writes (they carry provenance `observed`). */
  @Post()
  @Access('service')
  @HttpCode(200)
  record(@Body() body: unknown) {
    return this.ingest.recordObservedWrites(body);
  }

  @Get()
  @Access('read')
  list(@Query() query: Record<string, unknown>) {
    return this.reads.observedWrites(query);
  }
}
