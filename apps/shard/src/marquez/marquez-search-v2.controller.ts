import { Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { MarquezSearchV2Service } from './marquez-search-v2.service';

/** Marquez's `GET /api/v2beta/search/{jobs|datasets}?q=` (the web UI's search box). */
@Access('read')
@Controller('api/v2beta/search')
export class MarquezSearchV2Controller {
  constructor(private readonly search: MarquezSearchV2Service) {}

  @Get(':index')
  find(@Param('index') index: string, @Query() query: Record<string, unknown>) {
    return this.search.search(index, query);
  }
}
