import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
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
  list(@Query() query: Q) {
    return this.queries.list(query);
  }

  @Get('findings/:id')
  get(@Param('id') id: string) {
    return this.queries.get(id);
  }

  @Post('findings/evaluate')
  @HttpCode(200)
  evaluate(@Query('mode') mode?: string) {
    return this.evaluator.evaluate(mode === 'full' ? 'full' : 'incremental');
  }

  @Get('freshness')
  freshness(@Query() query: Q) {
    return this.queries.freshness(query);
  }

  @Get('freshness-policies')
  policies() {
    return this.queries.policies();
  }

  @Put('freshness-policies')
  putPolicies(@Body() body: unknown) {
    return this.queries.putPolicies(body);
  }

  @Post('coverage')
  @HttpCode(200)
  coverage(@Body() body: unknown) {
    return this.queries.recordCoverage(body);
  }
}
