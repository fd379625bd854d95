/**
 * The worker's environment, validated once. Secrets referenced by connector settings (`{env: NAME}`) are
 * resolved here too, from the same snapshot: nothing else in the worker reads process.env. Only names on the
 * allow-list (WORKER_SECRET_ENV_ALLOWLIST, default `LINEAGE_SECRET_*`) or in the secrets file
 * (WORKER_SECRETS_FILE) resolve: a caller of the connector API cannot read any other variable of the worker.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SecretBox } from './instances/secret-box';
import { authEnvShape, toAuthConfig } from '@lineage-hub/auth';
import { ConfigError, loadConfig, parsedVariable, repoRoot } from '@lineage-hub/common';
import { parseShardList } from '@lineage-hub/federation';
import { alertsConfigSchema, alertsSettingsFrom, type AlertsSettings } from './alerts/alerts.config';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const ms = (fallback: number, max = 3_600_000) => z.coerce.number().int().min(1).max(max).default(fallback);

/** `domain=host:rpcPort,...`: the shards' RPC addresses, the gateway's SHARDS format (libs/federation parseShardList). */
const shardList = parsedVariable(parseShardList);

export const workerConfigSchema = z
  .object({
    ...alertsConfigSchema.shape,
    PORT: port(4100),
    /** Loopback by default; another address needs AUTH=on. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Unset: the worker runs without connectors and says what to install. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be redis://host:port').optional(),
    CONNECTORS_FILE: z.string().min(1).optional(),
    /** Static domain -> shard RPC address; domains not listed are resolved through the shards' Redis registration. */
    SHARDS: shardList,
    /** Gone: the worker delivers through the typed shard contract (RPC), not HTTP. Set, it is refused with what to use. */
    SHARD_URLS: z
      .string()
      .optional()
      .refine((v) => v === undefined, 'is no longer read: the worker delivers to shards over their RPC port; list them as SHARDS=domain=host:rpcPort,... (the gateway\'s format), or let them register in Redis'),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** BullMQ lock: a run whose worker died is picked up again after this (and the run lock expires). */
    RUN_LOCK_MS: ms(30_000),
    RUN_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    RUN_BACKOFF_MS: ms(5_000),
    RUN_HISTORY_LIMIT: z.coerce.number().int().min(1).max(10_000).default(200),
    /** Key prefix for everything the worker keeps in Redis (tests use their own). */
    REDIS_PREFIX: z.string().regex(/^[a-z0-9-]+$/).default('lh'),
    DELIVERY_TIMEOUT_MS: ms(30_000),
    /** Longest one vendor request (HTTP call, SQL query) may go without an answer before the run fails it as a timeout. */
    VENDOR_REQUEST_TIMEOUT_MS: ms(60_000),
    LOG_LEVEL: z.enum(['verbose', 'debug', 'log', 'warn', 'error']).default('log'),
    /** Comma list of environment variable names a secret reference may name; `PREFIX_*` allows a prefix. */
    WORKER_SECRET_ENV_ALLOWLIST: z
      .string()
      .regex(/^\s*[A-Z_][A-Z0-9_]*\*?\s*(,\s*[A-Z_][A-Z0-9_]*\*?\s*)*$/, 'a comma list of variable names, each may end with * (a prefix)')
      .default('LINEAGE_SECRET_*'),
    /** A YAML/JSON map NAME: value; its names resolve whatever the allow-list says. */
    WORKER_SECRETS_FILE: z.string().min(1).optional(),
    /** Key of the connector secrets stored encrypted (AES-256-GCM); without it a literal secret setting is refused. */
    LINEAGE_SECRETS_KEY: z.string().min(32, 'at least 32 characters').optional(),
    ...authEnvShape,
  })
  .transform((env, ctx) => ({
    port: env.PORT,
    host: env.HOST,
    redisUrl: env.REDIS_URL,
    connectorsFile: env.CONNECTORS_FILE ?? path.join(repoRoot(), 'config', 'connectors.yaml'),
    shards: env.SHARDS,
    concurrency: env.WORKER_CONCURRENCY,
    runLockMs: env.RUN_LOCK_MS,
    runAttempts: env.RUN_ATTEMPTS,
    runBackoffMs: env.RUN_BACKOFF_MS,
    runHistoryLimit: env.RUN_HISTORY_LIMIT,
    prefix: env.REDIS_PREFIX,
    deliveryTimeoutMs: env.DELIVERY_TIMEOUT_MS,
    requestTimeoutMs: env.VENDOR_REQUEST_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL,
    alerts: alertsSettingsFrom(env) as AlertsSettings,
    auth: toAuthConfig(env, ctx),
    secretAllowList: env.WORKER_SECRET_ENV_ALLOWLIST.split(',').map((name) => name.trim()).filter(Boolean),
    secretsFile: env.WORKER_SECRETS_FILE,
    secretsKey: env.LINEAGE_SECRETS_KEY ?? null,
  }));

export type WorkerSettings = z.infer<typeof workerConfigSchema>;

export interface WorkerConfig extends WorkerSettings {
  /**
   * Resolves a secret reference `{env: NAME}`; undefined when the variable is unset or empty. Throws
   * SecretNotAllowedError for a name neither on the allow-list nor in the secrets file.
   */
  secret(name: string): string | undefined;
  /** Seals and opens connector secrets stored in Redis (null: no LINEAGE_SECRETS_KEY). */
  secretBox: SecretBox | null;
}

/** A secret reference naming a variable the worker may not hand out. */
export class SecretNotAllowedError extends Error {
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not an allowed secret (allowed: WORKER_SECRET_ENV_ALLOWLIST or WORKER_SECRETS_FILE)`);
  }
}

const allowedBy = (allowList: string[]) => (name: string) =>
  allowList.some((entry) => (entry.endsWith('*') ? name.startsWith(entry.slice(0, -1)) : name === entry));

const readSecretsFile = (file: string): Record<string, string> => {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([{ variable: 'WORKER_SECRETS_FILE', message: `cannot read ${file}: ${(err as Error).message}` }]);
  }
  const map = z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).safeParse(parsed ?? {});
  if (!map.success) throw new ConfigError([{ variable: 'WORKER_SECRETS_FILE', message: `${file} must map NAME: "value" (strings only)` }]);
  return map.data;
};

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

/**
 * The environment a worker child process (testing/worker-process.ts: tests and the bench) starts with: this
 * process's PATH and nothing else of its environment, then `own` (the child reads it with loadWorkerConfig).
 */
export const workerChildEnv = (own: Record<string, string>, env: Record<string, string | undefined> = process.env): Record<string, string> => ({
  PATH: env.PATH ?? '',
  ...own,
});

/** Reads the worker's environment once; an empty variable counts as unset. Throws a ConfigError naming each bad one. */
export const loadWorkerConfig = (env: Record<string, string | undefined> = process.env): WorkerConfig => {
  const snapshot = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const settings = loadConfig(workerConfigSchema, snapshot);
  const fromFile = settings.secretsFile ? readSecretsFile(settings.secretsFile) : {};
  const allowed = allowedBy(settings.secretAllowList);
  return {
    ...settings,
    secretBox: settings.secretsKey ? new SecretBox(settings.secretsKey) : null,
    secret: (name) => {
      if (Object.hasOwn(fromFile, name)) return fromFile[name] || undefined;
      if (!allowed(name)) throw new SecretNotAllowedError(name);
      return snapshot[name];
    },
  };
};
