import { Controller, Get, HttpCode } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { WorkerHealthService } from './worker-health.service';

@Controller()
export class WorkerHealthController {
  constructor(private readonly health: WorkerHealthService) {}

  @Get('health')
  @HttpCode(200)
  @Access('public')
  get() {
    return this.health.check();
  }
}
