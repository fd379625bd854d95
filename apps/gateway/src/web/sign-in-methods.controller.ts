import { Controller, Get, Inject } from '@nestjs/common';
import { Access } from '@lineage-hub/auth';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { signInMethods } from './sign-in-methods';

@Controller('api/v1/auth')
export class SignInMethodsController {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  /** GET /api/v1/auth/sign-in: how a browser signs in here (an API token; OIDC when configured). */
  @Get('sign-in')
  @Access('public')
  get() {
    return signInMethods(this.config);
  }
}
