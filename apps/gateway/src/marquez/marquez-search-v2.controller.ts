import { Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { MarquezDashboardService } from './marquez-dashboard.service';

/** Marquez's `GET /api/v2beta/search/{jobs|datasets}?q=`, answered across every shard. */
@Access('read')
@Controller('api/v2beta/search')
export class MarquezSearchV2Controller {
  constructor(private readonly dashboard: MarquezDashboardService) {}

  @Get(':index')
  find(@Param('index') index: string, @Query() q: Record<string, string>) {
    return this.dashboard.searchV2(index, q);
  }
}
