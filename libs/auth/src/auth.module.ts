import { type DynamicModule, Global, Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditLog } from './audit-log';
import { AuthGuard } from './auth.guard';
import { AUTH_OPTIONS } from './auth.options';
import type { AuthRuntime } from './auth-runtime';
import { REDACTION_SETTINGS, SERVICE_TOKEN, TOKEN_STORE } from './auth.tokens';

/** Closes the audit log (flushing tallies) when the app stops. */
class AuditLogCloser implements OnModuleDestroy {
  constructor(@Inject(AuditLog) private readonly audit: AuditLog) {}
  onModuleDestroy() {
    return this.audit.close();
  }
}

/** The global guard and what it needs; every app imports `AuthModule.forRoot(runtime)` once. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(runtime: AuthRuntime): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_OPTIONS, useValue: runtime },
        { provide: AuditLog, useValue: runtime.audit },
        { provide: TOKEN_STORE, useValue: runtime.tokens },
        { provide: REDACTION_SETTINGS, useValue: runtime.redaction },
        { provide: SERVICE_TOKEN, useValue: runtime.serviceToken },
        // One guard instance (one rate limiter): the global guard, and the same instance for a route served in front of
        // the framework (the shard's single-event ingest route asks it directly).
        AuthGuard,
        { provide: APP_GUARD, useExisting: AuthGuard },
        AuditLogCloser,
      ],
      exports: [AUTH_OPTIONS, AuditLog, TOKEN_STORE, REDACTION_SETTINGS, SERVICE_TOKEN, AuthGuard],
    };
  }
}
