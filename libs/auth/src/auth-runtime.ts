import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { authContextMiddleware } from './auth-context';
import { applyHttpHardening } from './http-hardening';
import { AuditLog } from './audit-log';
import type { AuditStore } from './audit.store';
import type { AuthConfig } from './auth.config';
import type { AuthOptions } from './auth.options';
import { Authenticator } from './authenticator';
import { JwtVerifier } from './jwt-verifier';
import { PostgresAuditStore } from './postgres-audit.store';
import { SqliteAuditStore } from './sqlite-audit.store';
import { FileTokenStore, MemoryTokenStore, type TokenStore } from './token.store';

/** The redaction settings of one app's read layer. */
export interface RedactionSettings {
  key: string;
  restrictedTags: string[];
  privateDomains: Set<string>;
}

export interface AuthRuntime extends AuthOptions {
  tokens: TokenStore;
  redaction: RedactionSettings;
  corsOrigins: string[];
  /** The service credential this process presents to shards and the worker (null: none configured). */
  serviceToken: string | null;
}

export function openAuditStore(url: string): AuditStore {
  return url.startsWith('sqlite:') ? SqliteAuditStore.open(url.slice('sqlite:'.length)) : PostgresAuditStore.open(url);
}

/** Builds one app's authentication from its validated config (opens the token file and the audit store, lazily for PostgreSQL). */
export function createAuthRuntime(config: AuthConfig, options: { tokens?: TokenStore; onAuditError?: (e: unknown) => void } = {}): AuthRuntime {
  const tokens = options.tokens ?? (config.tokensFile ? new FileTokenStore(config.tokensFile) : new MemoryTokenStore());
  const services = config.serviceToken ? [{ name: 'hub', secret: config.serviceToken }] : [];
  const jwt = config.oidc ? new JwtVerifier(config.oidc) : null;
  const audit = new AuditLog(config.auditStoreUrl ? openAuditStore(config.auditStoreUrl) : null, 1000, options.onAuditError);
  audit.keepPerDomain(config.auditRetentionDays, config.auditRetentionByDomain ?? {});
  return {
    enabled: config.enabled,
    authenticator: new Authenticator(tokens, services, jwt),
    audit,
    tokens,
    rateLimitPerMinute: config.rateLimitPerMinute,
    metricsPublic: config.metricsPublic,
    redaction: {
      key: config.redactionKey ?? randomBytes(32).toString('base64url'),
      restrictedTags: config.restrictedTags,
      privateDomains: new Set(config.privateDomains),
    },
    corsOrigins: config.corsOrigins,
    serviceToken: config.serviceToken,
  };
}

/**
 * The HTTP edge of every app: hardening (no X-Powered-By, security headers, CORS allowlist, JSON-only bodies)
 * and the per-request auth context. Called by each app's start function before listening.
 */
export function prepareHttpEdge(app: INestApplication, runtime: AuthRuntime): void {
  applyHttpHardening(app, runtime.corsOrigins);
  app.use(authContextMiddleware);
}
