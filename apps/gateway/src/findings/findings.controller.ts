import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { FindingsFederationService } from './findings-federation.service';
import { FreshnessRoutingService } from './freshness-routing.service';

type Q = Record<string, unknown>;

/** Findings across every shard (complete/missingDomains); freshness and policy documents routed to the owning shard. */
@Access('read')
@Controller('api/v1')
export class FindingsController {
  constructor(
    private readonly findings: FindingsFederationService,
    private readonly freshnessRouting: FreshnessRoutingService,
  ) {}

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
    return this.freshnessRouting.freshness(query);
  }

  @Get('freshness-policies')
  policies(@Query() query: Q) {
    return this.freshnessRouting.policies(query);
  }

  @Put('freshness-policies')
  @Access('steward')
  putPolicies(@Query() query: Q, @Body() body: unknown) {
    return this.freshnessRouting.putPolicies(query, body);
  }
}
