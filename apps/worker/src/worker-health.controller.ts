import { Controller, Get, HttpCode } from '@nestjs/common';
import { WorkerHealthService } from './worker-health.service';

@Controller()
export class WorkerHealthController {
  constructor(private readonly health: WorkerHealthService) {}

  @Get('health')
  @HttpCode(200)
  get() {
    return this.health.check();
  }
}
