import { Controller, Get, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { ImpactService } from './impact.service';

@Access('read')
@Controller('api/v1')
export class ImpactController {
  constructor(private readonly impact: ImpactService) {}

  /** Cross-domain impact of a dataset, column or job. */
  @Get('impact')
  get(@Query() query: Record<string, string>) {
    return this.impact.impact(query);
  }
}
