import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { ConnectorAdminService } from './connector-admin.service';

/** GET/POST/PUT/DELETE /api/v1/connectors, POST/GET /api/v1/connectors/{id}/runs, GET/PUT /api/v1/connectors/{id}/cursor. */
@Access('admin')
@Controller('api/v1/connectors')
export class ConnectorsController {
  constructor(private readonly admin: ConnectorAdminService) {}

  @Get()
  list() {
    return this.admin.list();
  }

  @Post()
  create(@Body() body: unknown) {
    return this.admin.create(body);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.admin.get(id);
  }

  @Put(':id')
  replace(@Param('id') id: string, @Body() body: unknown) {
    return this.admin.replace(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string) {
    return this.admin.remove(id);
  }

  @Post(':id/runs')
  @HttpCode(202)
  runNow(@Param('id') id: string, @Body() body: unknown) {
    return this.admin.runNow(id, body);
  }

  @Get(':id/cursor')
  cursor(@Param('id') id: string) {
    return this.admin.cursor(id);
  }

  @Put(':id/cursor')
  setCursor(@Param('id') id: string, @Body() body: unknown) {
    return this.admin.setCursor(id, body);
  }

  @Get(':id/runs')
  runs(@Param('id') id: string, @Query('limit') limit?: string) {
    return this.admin.runs(id, limit);
  }
}
