/**
 * A configured connector instance: the common fields the worker needs (kind, owning domain, schedule,
 * rate limit) and the vendor settings its factory validates. Secrets stay references (`{env: NAME}`) in
 * storage and are resolved only when a run starts (WorkerConfig.secret).
 */
import { z } from 'zod';
import { DomainError, invalidArgument } from '@lineage-hub/model';
import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { SecretNotAllowedError } from '../worker.config';

/** What validation needs of the worker's connector registry (the registry itself lives at the composition root). */
export interface ConnectorKinds {
  get(kind: string): ConnectorFactory | undefined;
  kinds(): string[];
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const parseDuration = (text: string): number | null => {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : null;
};

/** Five- or six-field cron, validated loosely here (BullMQ's parser has the last word when scheduling). */
const CRON = /^(\S+\s+){4,5}\S+$/;

const scheduleSchema = z.union([
  z
    .object({
      every: z.string().refine((s) => (parseDuration(s) ?? 0) >= 1_000, 'a duration of at least 1s such as "15m", "1h", "30s"'),
    })
    .strict(),
  z.object({ cron: z.string().regex(CRON, 'a cron pattern such as "0 * * * *"'), tz: z.string().min(1).optional() }).strict(),
]);

export const secretRefSchema = z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }).strict();
export type SecretRef = z.infer<typeof secretRefSchema>;

export const connectorInstanceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" and "_", at most 63 characters'),
    kind: z.string().min(1),
    /** The domain whose shard receives the results. */
    domain: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only'),
    schedule: scheduleSchema,
    rateLimit: z
      .object({
        /** Vendor requests per second across every worker process sharing the account. */
        requestsPerSecond: z.number().positive().max(10_000),
        maxConcurrent: z.number().int().positive().max(1_000).optional(),
      })
      .strict(),
    enabled: z.boolean().default(true),
    description: z.string().max(500).optional(),
    /** Vendor settings, validated by the kind's own schema; a value may be `{env: NAME}`. */
    settings: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type ConnectorInstance = z.infer<typeof connectorInstanceSchema>;

const isSecretRef = (value: unknown): value is SecretRef => secretRefSchema.safeParse(value).success;

/** Replaces `{env: NAME}` references (at any depth) by the variable's value; names a missing variable. */
export const resolveSecrets = (
  settings: Record<string, unknown>,
  secret: (name: string) => string | undefined,
  at = 'settings',
): Record<string, unknown> => {
  const walk = (value: unknown, field: string): unknown => {
    if (isSecretRef(value)) {
      let resolved: string | undefined;
      try {
        resolved = secret(value.env);
      } catch (err) {
        if (err instanceof SecretNotAllowedError) throw invalidArgument(field, err.message);
        throw err;
      }
      if (resolved === undefined) throw invalidArgument(field, `environment variable ${value.env} is not set in the worker`);
      return resolved;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${field}[${i}]`));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${field}.${k}`)]));
    return value;
  };
  return walk(settings, at) as Record<string, unknown>;
};

const issuePath = (prefix: string, path: PropertyKey[]) =>
  [prefix, ...path.map(String)].filter(Boolean).join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');

/**
 * Validates an instance: common fields, a registered kind, and the vendor settings (secrets resolved) against
 * the kind's schema. Throws DomainError('invalid-argument') naming the first bad field.
 */
export const validateConnectorInstance = (
  input: unknown,
  registry: ConnectorKinds,
  secret: (name: string) => string | undefined,
): { instance: ConnectorInstance; settings: unknown } => {
  const common = connectorInstanceSchema.safeParse(input);
  if (!common.success) {
    const issue = common.error.issues[0];
    const field = issuePath('', issue.path) || 'body';
    throw invalidArgument(field, issue.message);
  }
  const instance = common.data;
  const factory = registry.get(instance.kind);
  if (!factory) throw invalidArgument('kind', `unknown connector kind "${instance.kind}" (registered: ${registry.kinds().join(', ') || 'none'})`);
  const resolved = resolveSecrets(instance.settings, secret);
  const vendor = factory.configSchema.safeParse(resolved);
  if (!vendor.success) {
    const issue = vendor.error.issues[0];
    throw invalidArgument(issuePath('settings', issue.path), issue.message);
  }
  return { instance, settings: vendor.data };
};

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
