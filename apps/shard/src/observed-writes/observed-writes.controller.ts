import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { IngestService } from '../ingest/ingest.service';
import { MarquezReadService } from '../marquez/marquez-read.service';

/** Observed writes from connectors (provenance `observed`). */
@Controller('api/v1/observed-writes')
export class ObservedWritesController {
  constructor(
    private readonly ingest: IngestService,
    private readonly reads: MarquezReadService,
  ) {}

  @Post()
  @HttpCode(200)
  record(@Body() body: unknown) {
    return this.ingest.recordObservedWrites(body);
  }

  @Get()
  list(@Query() query: Record<string, unknown>) {
    return this.reads.observedWrites(query);
  }
}
