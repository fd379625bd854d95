import { Controller, Get, Query } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { LineageQueryService } from '../graph/lineage-query.service';

/** Marquez lineage reads, with `asOf`. */
@Access('read')
@Controller('api/v1')
export class LineageController {
  constructor(private readonly lineage: LineageQueryService) {}

  @Get('lineage')
  graph(@Query() query: Record<string, unknown>) {
    return this.lineage.lineage(query);
  }

  @Get('column-lineage')
  columns(@Query() query: Record<string, unknown>) {
    return this.lineage.columnLineage(query);
  }
}
