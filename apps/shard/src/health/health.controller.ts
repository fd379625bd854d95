import { Controller, Get, Res } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import type { Response } from 'express';
import { HealthService } from './health.service';
import { reply } from '../http-reply';

@Access('public')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  check(@Res({ passthrough: true }) res: Response) {
    return this.health.check().then((r) => reply(res, r));
  }
}
