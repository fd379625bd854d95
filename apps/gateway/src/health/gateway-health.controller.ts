import { Controller, Get } from '@nestjs/common';
import { GatewayHealthService } from './gateway-health.service';

@Controller()
export class GatewayHealthController {
  constructor(private readonly health: GatewayHealthService) {}

  @Get('health')
  get() {
    return this.health.health();
  }
}
