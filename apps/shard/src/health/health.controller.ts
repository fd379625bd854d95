import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthService } from './health.service';
import { reply } from '../http-reply';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  check(@Res({ passthrough: true }) res: Response) {
    return this.health.check().then((r) => reply(res, r));
  }
}
