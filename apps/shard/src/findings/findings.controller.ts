import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { parseEvaluateQuery } from '@lineage-hub/model';
import { FindingsEvaluator } from './findings-evaluator.service';
import { FindingsQueryService } from './findings-query.service';

type Q = Record<string, unknown>;

/** Findings, freshness, freshness policies and connector coverage. */
@Controller('api/v1')
export class FindingsController {
  constructor(
    private readonly queries: FindingsQueryService,
    private readonly evaluator: FindingsEvaluator,
  ) {}

  @Get('findings')
  @Access('read')
  list(@Query() query: Q) {
    return this.queries.list(query);
  }

  @Get('findings/:id')
  @Access('read')
  get(@Param('id') id: string) {
    return this.queries.get(id);
  }

  @Post('findings/evaluate')
  @HttpCode(200)
  @Access('steward')
  evaluate(@Query() query: Q, @Body() body: unknown) {
    return this.evaluator.evaluate(parseEvaluateQuery(query, body));
  }

  @Get('freshness')
  @Access('read')
  freshness(@Query() query: Q) {
    return this.queries.freshness(query);
  }

  @Get('freshness-policies')
  @Access('read')
  policies() {
    return this.queries.policies();
  }

  @Put('freshness-policies')
  @Access('steward')
  putPolicies(@Body() body: unknown) {
    return this.queries.putPolicies(body);
  }

  @Post('coverage')
  @HttpCode(200)
  @Access('service')
  coverage(@Body() body: unknown) {
    return this.queries.recordCoverage(body);
  }
}
