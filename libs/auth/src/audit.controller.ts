import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Access } from './access.decorator';
import { AuditQueryService } from './audit-query.service';

/** GET /api/v1/audit?afterSeq=&limit=&actor=&action= and POST /api/v1/audit/verify: admin only. */
@Access('admin')
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  list(@Query() query: Record<string, unknown>) {
    return this.audit.list(query);
  }

  @Post('verify')
  @HttpCode(200)
  verify() {
    return this.audit.verify();
  }
}
