import path from 'node:path';
import { z } from 'zod';
import { authEnvShape, toAuthConfig } from '@lineage-hub/auth';
import { loadConfig, parsedVariable, repoRoot } from '@lineage-hub/common';
import { parseNamespaceDomains, parseShardList } from '@lineage-hub/federation';
import { DEFAULT_RECONCILE_CONFIG } from '@lineage-hub/reconcile';

const DEFAULT_MISSING_INPUT = DEFAULT_RECONCILE_CONFIG.missingInput;

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const storeUrl = z
  .string()
  .refine((url) => /^sqlite:/.test(url) || /^postgres(ql)?:\/\//.test(url), {
    message: 'must be sqlite:<file>, sqlite::memory: or postgres://user@host:port/db',
  });

/** The shard's environment, validated once. PORT/RPC_PORT 0 = an ephemeral port (tests). */
export const shardConfigSchema = z
  .object({
    PORT: port(5000),
    RPC_PORT: port(5001),
    /** The host the HTTP API binds to: loopback by default; another address needs AUTH=on. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** The host the RPC server binds to: loopback by default (RPC callers present the service credential). */
    RPC_HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * The lean expand server (libs/federation lean-expand-server.ts: lineage.expand as binary frames) on RPC_HOST:
     * its port (0 = an ephemeral one), advertised to the gateway in shard.version/shard.info and the registration.
     */
    RPC_EXPAND_PORT: port(0),
    /** off: no lean expand server; the gateway expands over the Nest pattern. */
    RPC_EXPAND: z.enum(['on', 'off']).default('on'),
    /** The namespace -> domain map the gateway routes with (`ns=domain,prefix*=domain`): a writer's events are checked against it. */
    NAMESPACE_DOMAINS: parsedVariable(parseNamespaceDomains),
    SHARD_DOMAIN: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only')
      .default('default'),
    STORE_URL: storeUrl.optional(),
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be redis://host:port').optional(),
    /** host:port the gateway uses to reach this shard's RPC endpoint (registered in Redis); default 127.0.0.1:<RPC port>. */
    SHARD_ADVERTISE: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
      .optional(),
    LOG_LEVEL: z.enum(['verbose', 'debug', 'log', 'warn', 'error']).default('log'),
    /**
     * The federation's shards (`domain=host:port,...`, the gateway's SHARDS): this shard's own reads ask the owner of
     * another domain's dataset how it is classified. Unset or unreachable: such datasets count as restricted.
     */
    SHARDS: parsedVariable(parseShardList),
    /** Findings: evaluate incrementally every N ms (0 = only on demand and at start). */
    FINDINGS_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
    /** Findings: how far back runs and writes are read. */
    FINDINGS_HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(35),
    /** Findings: a run explains a write from its start minus this to its end plus this (ms). */
    FINDINGS_SLACK_MS: z.coerce.number().int().min(0).max(86_400_000).default(300_000),
    /** Findings: writes and runs of the history window held in memory between evaluations at most (0: read the store each time; default 5,000,000). */
    FINDINGS_CACHE_FACTS: z.coerce.number().int().min(0).optional(),
    /** Findings: stalled-run after max(this, the job's learned p95 duration x 2) with no terminal event (ms; default 6 h). */
    FINDINGS_STALLED_TIMEOUT_MS: z.coerce.number().int().min(1).optional(),
    /** Findings: missing-input when the latest run lacks an input read in at least MIN of the OF runs before it (default 4 of 5). */
    FINDINGS_MISSING_INPUT_MIN_RUNS: z.coerce.number().int().min(1).max(1000).optional(),
    FINDINGS_MISSING_INPUT_OF_RUNS: z.coerce.number().int().min(1).max(1000).optional(),
    /** Findings: unobserved-output when none of the job's last N completed runs was seen writing the output (default 3). */
    FINDINGS_UNOBSERVED_RUNS: z.coerce.number().int().min(1).max(1000).optional(),
    /** Freshness policies (YAML kept in git), applied at start. */
    FRESHNESS_FILE: z.string().min(1).optional(),
    /** Actor -> job/domain map (YAML: actors: {NAME: {job: job:ns:name} | {domain: d}}). */
    FINDINGS_ACTORS_FILE: z.string().min(1).optional(),
    ...authEnvShape,
  })
  .superRefine((env, ctx) => {
    const min = env.FINDINGS_MISSING_INPUT_MIN_RUNS ?? DEFAULT_MISSING_INPUT.minRuns;
    const of = env.FINDINGS_MISSING_INPUT_OF_RUNS ?? DEFAULT_MISSING_INPUT.ofRuns;
    if (min > of)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['FINDINGS_MISSING_INPUT_MIN_RUNS'], message: `must not exceed FINDINGS_MISSING_INPUT_OF_RUNS (${of})` });
  })
  .transform((env, ctx) => ({
    port: env.PORT,
    rpcPort: env.RPC_PORT,
    host: env.HOST,
    rpcHost: env.RPC_HOST,
    expandPort: env.RPC_EXPAND === 'off' ? null : env.RPC_EXPAND_PORT,
    namespaceDomains: env.NAMESPACE_DOMAINS,
    domain: env.SHARD_DOMAIN,
    storeUrl: env.STORE_URL ?? `sqlite:${path.join(repoRoot(), 'data', env.SHARD_DOMAIN, 'lineage.db')}`,
    maxBodyBytes: env.MAX_BODY_BYTES,
    redisUrl: env.REDIS_URL,
    advertise: env.SHARD_ADVERTISE,
    logLevel: env.LOG_LEVEL,
    peers: env.SHARDS.filter((s) => s.domain !== env.SHARD_DOMAIN),
    findings: {
      intervalMs: env.FINDINGS_INTERVAL_MS,
      historyDays: env.FINDINGS_HISTORY_DAYS,
      slackMs: env.FINDINGS_SLACK_MS,
      ...(env.FINDINGS_CACHE_FACTS !== undefined && { cacheFacts: env.FINDINGS_CACHE_FACTS }),
      freshnessFile: env.FRESHNESS_FILE,
      actorsFile: env.FINDINGS_ACTORS_FILE,
      ...(env.FINDINGS_STALLED_TIMEOUT_MS !== undefined && { stalledTimeoutMs: env.FINDINGS_STALLED_TIMEOUT_MS }),
      ...((env.FINDINGS_MISSING_INPUT_MIN_RUNS !== undefined || env.FINDINGS_MISSING_INPUT_OF_RUNS !== undefined) && {
        missingInput: {
          minRuns: env.FINDINGS_MISSING_INPUT_MIN_RUNS ?? DEFAULT_MISSING_INPUT.minRuns,
          ofRuns: env.FINDINGS_MISSING_INPUT_OF_RUNS ?? DEFAULT_MISSING_INPUT.ofRuns,
        },
      }),
      ...(env.FINDINGS_UNOBSERVED_RUNS !== undefined && { unobservedRuns: env.FINDINGS_UNOBSERVED_RUNS }),
    },
    auth: toAuthConfig(env, ctx),
  }));

export type ShardConfig = z.infer<typeof shardConfigSchema>;

/** Reads the shard's configuration from the environment; throws a ConfigError naming each bad variable. */
export const loadShardConfig = (env: Record<string, string | undefined> = process.env): ShardConfig =>
  loadConfig(shardConfigSchema, env);

/** A complete config for in-process starts (tests, benches, the hub launcher): defaults plus overrides. */
export const shardConfig = (overrides: Partial<ShardConfig> = {}): ShardConfig => ({
  ...loadShardConfig({}),
  ...overrides,
});

export const SHARD_CONFIG = Symbol('SHARD_CONFIG');
