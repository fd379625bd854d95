import { Controller, HttpCode, Post } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { DerivedVerifyService } from './derived-verify.service';

/** POST /api/v1/audit/verify-derived: admin only (a rebuild of every derived table; see DerivedVerifyService). */
@Access('admin')
@Controller('api/v1/audit')
export class DerivedVerifyController {
  constructor(private readonly derived: DerivedVerifyService) {}

  @Post('verify-derived')
  @HttpCode(200)
  verify() {
    return this.derived.verify();
  }
}
