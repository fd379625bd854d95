import { Controller, Get } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { GatewayHealthService } from './gateway-health.service';

@Controller()
export class GatewayHealthController {
  constructor(private readonly health: GatewayHealthService) {}

  @Get('health')
  @Access('public')
  get() {
    return this.health.health();
  }
}
