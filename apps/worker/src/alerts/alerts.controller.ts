import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { AlertsService } from './alerts.service';

/** The alerting API (forwarded by the gateway): alerts, silences, routes, receiver tests, dead letters. */
@Controller('api/v1')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @Access('read')
  list(@Query() query: Record<string, unknown>) {
    return this.alerts.list(query);
  }

  @Post('alerts/evaluate')
  @HttpCode(200)
  @Access('steward')
  evaluate() {
    return this.alerts.evaluate();
  }

  @Get('alerts/:id')
  @Access('read')
  get(@Param('id') id: string) {
    return this.alerts.get(id);
  }

  @Post('alerts/:id/ack')
  @HttpCode(200)
  @Access('steward')
  acknowledge(@Param('id') id: string, @Body() body: unknown) {
    return this.alerts.acknowledge(id, body);
  }

  @Get('silences')
  @Access('read')
  silences(@Query() query: Record<string, unknown>) {
    return this.alerts.silences(query);
  }

  @Post('silences')
  @Access('steward')
  createSilence(@Body() body: unknown) {
    return this.alerts.createSilence(body);
  }

  @Delete('silences/:id')
  @HttpCode(204)
  @Access('steward')
  deleteSilence(@Param('id') id: string) {
    return this.alerts.deleteSilence(id);
  }

  @Get('alert-routes')
  @Access('admin')
  routes() {
    return this.alerts.routes();
  }

  @Put('alert-routes')
  @Access('admin')
  putRoutes(@Body() body: unknown) {
    return this.alerts.putRoutes(body);
  }

  @Post('receivers/:name/test')
  @HttpCode(200)
  @Access('admin')
  testReceiver(@Param('name') name: string) {
    return this.alerts.testReceiver(name);
  }

  @Get('alert-dead-letters')
  @Access('admin')
  deadLetters() {
    return this.alerts.deadLetters();
  }
}
