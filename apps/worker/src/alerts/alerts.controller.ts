import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { AlertsService } from './alerts.service';

/** The alerting API (forwarded by the gateway): alerts, silences, routes, receiver tests, dead letters. */
@Controller('api/v1')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  list(@Query() query: Record<string, unknown>) {
    return this.alerts.list(query);
  }

  @Post('alerts/evaluate')
  @HttpCode(200)
  evaluate() {
    return this.alerts.evaluate();
  }

  @Get('alerts/:id')
  get(@Param('id') id: string) {
    return this.alerts.get(id);
  }

  @Post('alerts/:id/ack')
  @HttpCode(200)
  acknowledge(@Param('id') id: string, @Body() body: unknown) {
    return this.alerts.acknowledge(id, body);
  }

  @Get('silences')
  silences(@Query() query: Record<string, unknown>) {
    return this.alerts.silences(query);
  }

  @Post('silences')
  createSilence(@Body() body: unknown) {
    return this.alerts.createSilence(body);
  }

  @Delete('silences/:id')
  @HttpCode(204)
  deleteSilence(@Param('id') id: string) {
    return this.alerts.deleteSilence(id);
  }

  @Get('alert-routes')
  routes() {
    return this.alerts.routes();
  }

  @Put('alert-routes')
  putRoutes(@Body() body: unknown) {
    return this.alerts.putRoutes(body);
  }

  @Post('receivers/:name/test')
  @HttpCode(200)
  testReceiver(@Param('name') name: string) {
    return this.alerts.testReceiver(name);
  }

  @Get('alert-dead-letters')
  deadLetters() {
    return this.alerts.deadLetters();
  }
}
