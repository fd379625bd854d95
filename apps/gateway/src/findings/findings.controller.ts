import { Controller, Get, Param, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { FindingsFederationService } from './findings-federation.service';

type Q = Record<string, unknown>;

/** Findings and freshness across every shard, with complete/missingDomains. */
@Access('read')
@Controller('api/v1')
export class FindingsController {
  constructor(private readonly findings: FindingsFederationService) {}

  @Get('findings')
  list(@Query() query: Q) {
    return this.findings.list(query);
  }

  @Get('findings/:id')
  get(@Param('id') id: string) {
    return this.findings.get(id);
  }

  @Get('freshness')
  freshness(@Query() query: Q) {
    return this.findings.freshness(query);
  }
}
