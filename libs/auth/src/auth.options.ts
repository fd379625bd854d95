import type { AuditLog } from './audit-log';
import type { Authenticator } from './authenticator';

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');

/** What the guard of one app needs (built from the app's validated config by `createAuthRuntime`). */
export interface AuthOptions {
  /** Off: every annotated route is open and nothing is redacted (allowed only on loopback listeners). */
  enabled: boolean;
  authenticator: Authenticator;
  audit: AuditLog;
  /** Requests a minute per credential (0 = unlimited). */
  rateLimitPerMinute: number;
  metricsPublic: boolean;
}
