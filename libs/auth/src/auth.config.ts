import { z } from 'zod';
import { DEFAULT_RESTRICTED_TAGS } from './classification';
import { ROLES, type Role } from './role.types';

const csv = (fallback: string[] = []) =>
  z
    .string()
    .optional()
    .transform((text) => (text === undefined ? fallback : text.split(',').map((s) => s.trim()).filter(Boolean)));

const flag = (fallback: boolean) =>
  z
    .enum(['on', 'off', 'true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'on' || v === 'true' || v === '1'));

/**
 * The authentication variables every app reads (merged into each app's config schema, so config is still
 * read once). AUTH defaults to off so plain test/dev configs work; the hub launcher turns it on, and an app
 * refuses to start with AUTH off on a non-loopback listener.
 */
export const authEnvShape = {
  AUTH: flag(false),
  /** The API token file shared by the hub's processes (hashes only). */
  AUTH_TOKENS_FILE: z.string().min(1).optional(),
  /** The service credential gateway/worker -> shard (HTTP bearer and RPC). */
  AUTH_SERVICE_TOKEN: z.string().min(32, 'at least 32 characters').optional(),
  OIDC_ISSUER: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.string().url().optional(),
  OIDC_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  OIDC_DOMAINS_CLAIM: z.string().min(1).default('domains'),
  /** `claimValue=role,...` (e.g. `lineage-admins=admin`). */
  OIDC_ROLE_MAP: csv(),
  /** Requests a minute per credential (0 = unlimited). */
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  METRICS_PUBLIC: flag(false),
  /** `sqlite:<file>` or `postgres://...`: where this process's audit chain is kept (none: not audited). */
  AUDIT_STORE_URL: z.string().regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'sqlite:<file> or postgres://...').optional(),
  /** Days this process keeps audit records (a shard's is its domain's retention); unset: kept for ever. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).optional(),
  /**
   * Days per domain (`domain=days,...`): audit entries of that domain (ingest into it) are kept that long; the
   * others follow AUDIT_RETENTION_DAYS. The gateway's audit, whose entries span domains (the hub fills it from
   * `shards[].auditRetentionDays`, the setting a shard's own audit follows).
   */
  AUDIT_RETENTION_DOMAINS: csv(),
  /** HMAC key of the per-viewer opaque ids of hidden nodes (random per process when unset). */
  REDACTION_KEY: z.string().min(32, 'at least 32 characters').optional(),
  RESTRICTED_TAGS: csv(DEFAULT_RESTRICTED_TAGS),
  /**
   * How long a read layer reuses the classifications shards gave (gateway, worker, a shard asking the owners of
   * other domains' datasets): also bounded by each shard's graph version. 0: ask on every read.
   */
  CLASSIFICATION_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** Domains whose every dataset counts as restricted for viewers not cleared for them. */
  PRIVATE_DOMAINS: csv(),
  /** Browser origins allowed by CORS; none by default (CORS closed). */
  CORS_ORIGINS: csv(),
};

export type AuthEnv = z.infer<z.ZodObject<typeof authEnvShape>>;

export interface AuthConfig {
  enabled: boolean;
  tokensFile: string | null;
  serviceToken: string | null;
  oidc: { issuer: string; audience: string; jwksUrl: string; clockSkewSeconds: number; rolesClaim: string; domainsClaim: string; roleMap: Record<string, Role> } | null;
  rateLimitPerMinute: number;
  metricsPublic: boolean;
  auditStoreUrl: string | null;
  auditRetentionDays: number | null;
  auditRetentionByDomain: Record<string, number>;
  redactionKey: string | null;
  restrictedTags: string[];
  privateDomains: string[];
  corsOrigins: string[];
  classificationCacheMs: number;
}

/** The typed auth config from the validated variables; reports a half-configured OIDC or a bad role map. */
export function toAuthConfig(env: AuthEnv, ctx: { addIssue: (issue: { code: 'custom'; message: string; path: string[] }) => void }): AuthConfig {
  const oidcVars = [env.OIDC_ISSUER, env.OIDC_AUDIENCE, env.OIDC_JWKS_URL];
  if (oidcVars.some(Boolean) && !oidcVars.every(Boolean)) {
    ctx.addIssue({ code: 'custom', message: 'OIDC needs OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL together', path: ['OIDC_ISSUER'] });
  }
  const roleMap: Record<string, Role> = {};
  for (const pair of env.OIDC_ROLE_MAP) {
    const [value, role] = pair.split('=');
    if (!value || !ROLES.includes(role as Role)) ctx.addIssue({ code: 'custom', message: `"${pair}" is not claimValue=${ROLES.join('|')}`, path: ['OIDC_ROLE_MAP'] });
    else roleMap[value] = role as Role;
  }
  const auditRetentionByDomain: Record<string, number> = {};
  for (const pair of env.AUDIT_RETENTION_DOMAINS) {
    const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*)=(\d{1,5})$/.exec(pair);
    const days = match ? Number(match[2]) : 0;
    if (!match || days < 1 || days > 36_500) ctx.addIssue({ code: 'custom', message: `"${pair}" is not domain=days (1-36500)`, path: ['AUDIT_RETENTION_DOMAINS'] });
    else auditRetentionByDomain[match[1]] = days;
  }
  for (const origin of env.CORS_ORIGINS) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin (scheme://host[:port])`, path: ['CORS_ORIGINS'] });
  }
  return {
    enabled: env.AUTH,
    tokensFile: env.AUTH_TOKENS_FILE ?? null,
    serviceToken: env.AUTH_SERVICE_TOKEN ?? null,
    oidc:
      env.OIDC_ISSUER && env.OIDC_AUDIENCE && env.OIDC_JWKS_URL
        ? {
            issuer: env.OIDC_ISSUER,
            audience: env.OIDC_AUDIENCE,
            jwksUrl: env.OIDC_JWKS_URL,
            clockSkewSeconds: env.OIDC_CLOCK_SKEW_SECONDS,
            rolesClaim: env.OIDC_ROLES_CLAIM,
            domainsClaim: env.OIDC_DOMAINS_CLAIM,
            roleMap,
          }
        : null,
    rateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
    metricsPublic: env.METRICS_PUBLIC,
    auditStoreUrl: env.AUDIT_STORE_URL ?? null,
    auditRetentionDays: env.AUDIT_RETENTION_DAYS ?? null,
    auditRetentionByDomain,
    redactionKey: env.REDACTION_KEY ?? null,
    restrictedTags: env.RESTRICTED_TAGS,
    privateDomains: env.PRIVATE_DOMAINS,
    corsOrigins: env.CORS_ORIGINS,
    classificationCacheMs: env.CLASSIFICATION_CACHE_MS,
  };
}

/** Authentication off in plain configs: the default of every app that is not started by the hub launcher. */
export const AUTH_OFF: AuthConfig = {
  enabled: false,
  tokensFile: null,
  serviceToken: null,
  oidc: null,
  rateLimitPerMinute: 0,
  metricsPublic: true,
  auditStoreUrl: null,
  auditRetentionDays: null,
  auditRetentionByDomain: {},
  redactionKey: null,
  restrictedTags: DEFAULT_RESTRICTED_TAGS,
  privateDomains: [],
  corsOrigins: [],
  classificationCacheMs: 5000,
};

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;
export const isLoopbackHost = (host: string): boolean => LOOPBACK.test(host.replace(/^\[|\]$/g, ''));

/**
 * Authentication may be off only while every listener is bound to loopback. Returns the problem (the app
 * refuses to start with it) or null.
 */
export function authOffProblem(config: Pick<AuthConfig, 'enabled'>, listeners: Array<{ name: string; host: string }>): string | null {
  if (config.enabled) return null;
  const exposed = listeners.filter((l) => !isLoopbackHost(l.host));
  if (!exposed.length) return null;
  return `authentication is off (AUTH=off) but ${exposed.map((l) => `${l.name} listens on ${l.host}`).join(', ')}: set AUTH=on or bind to 127.0.0.1`;
}
