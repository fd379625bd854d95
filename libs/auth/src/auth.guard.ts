import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { decideAccess } from './access-decision';
import { ACCESS_RULE } from './access.decorator';
import { setCurrentViewer } from './auth-context';
import { permissionDenied, rateLimited, unauthenticated } from './auth.errors';
import { AUTH_OPTIONS, type AuthOptions } from './auth.options';
import { RateLimiter } from './rate-limiter';
import type { AccessRule } from './role.types';

/**
 * The one global guard of every app (HTTP). Reads the route's `@Access` rule (no rule: denied), authenticates
 * the bearer credential, decides with `decideAccess`, applies the per-credential rate limit and records every
 * refusal on the audit chain. RPC messages must carry the service credential.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: AuthOptions,
  ) {
    this.limiter = new RateLimiter(options.rateLimitPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() === 'rpc') return this.canActivateRpc(context);
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    const target = `${req.method} ${req.route?.path ?? req.path}`;
    if (!rule) throw permissionDenied(`${target} declares no access rule`);
    if (!this.options.enabled) {
      setCurrentViewer(null);
      return true;
    }
    if (rule === 'public') return true;

    const result = await this.options.authenticator.authenticate(req.header('authorization'));
    if (result === 'invalid' || (result === null && !(rule === 'metrics' && this.options.metricsPublic))) {
      this.refuse('anonymous', target, 401);
      throw unauthenticated(result === 'invalid' ? 'the credential is not valid (unknown, expired, revoked or not verifiable)' : 'a credential is required (Authorization: Bearer <token>)');
    }
    const decision = decideAccess(rule, result, { metricsPublic: this.options.metricsPublic });
    if (!decision.allow) {
      this.refuse(result?.id ?? 'anonymous', target, 403);
      throw permissionDenied(decision.reason);
    }
    if (result && !result.service) {
      const wait = this.limiter.take(result.id);
      if (wait > 0) {
        context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
        throw rateLimited(wait);
      }
    }
    setCurrentViewer(result);
    return true;
  }

  /** RPC (gateway/worker -> shard): every message carries the service credential in `credential` when auth is on. */
  private async canActivateRpc(context: ExecutionContext): Promise<boolean> {
    const data = context.switchToRpc().getData<{ credential?: unknown } | undefined>();
    const credential = data?.credential;
    // The handlers never see the credential (a request parser would take it for a parameter).
    if (data && typeof data === 'object' && 'credential' in data) delete data.credential;
    if (!this.options.enabled) return true;
    const principal = typeof credential === 'string' ? await this.options.authenticator.authenticateCredential(credential) : null;
    if (!principal?.service) {
      this.refuse(principal?.id ?? 'anonymous', `rpc ${String(context.getHandler().name)}`, 401);
      throw unauthenticated('RPC callers must present the service credential');
    }
    return true;
  }

  /** Refusals are tallied per caller, route and status (a flood of bad requests is one entry a second, not one a request). */
  private refuse(actor: string, target: string, status: number) {
    this.options.audit.tally({ actor, action: 'request.refused', target: `${target} -> ${status}`, outcome: 'denied' }, { requests: 1 });
  }
}
