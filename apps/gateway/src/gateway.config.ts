import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { authEnvShape, toAuthConfig } from '@lineage-hub/auth';
import { loadConfig, parsedVariable } from '@lineage-hub/common';
import { parseNamespaceDomains, parseShardList, type NamespaceDomainRule } from '@lineage-hub/federation';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const ms = (fallback: number) => z.coerce.number().int().min(1).max(600_000).default(fallback);

const shardList = parsedVariable(parseShardList);

/** NAMESPACE_DOMAINS is the map itself (`ns=domain,...`) or the path of a file holding it (one rule a line). */
const namespaceDomains = parsedVariable((text): NamespaceDomainRule[] => {
  const value = text && !text.includes('=') && existsSync(text) ? readFileSync(text, 'utf8') : text;
  if (text && !text.includes('=') && value === text) throw new Error(`"${text}" is neither ns=domain pairs nor a readable file`);
  return parseNamespaceDomains(value);
});

/** The gateway's environment, validated once. */
export const gatewayConfigSchema = z
  .object({
    PORT: port(4000),
    /** Loopback by default; another address needs AUTH=on. */
    HOST: z.string().min(1).default('127.0.0.1'),
    SHARDS: shardList,
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be redis://host:port').optional(),
    NAMESPACE_DOMAINS: namespaceDomains,
    SHARD_TIMEOUT_MS: ms(2000),
    /** on: expand goes to a shard's lean expand port when its version probe names one (binary frames); off: always the Nest pattern. */
    SHARD_LEAN_EXPAND: z.enum(['on', 'off']).default('on'),
    QUERY_BUDGET_MS: ms(5000),
    /** How often each shard's version is probed and, when it changed, its membership filter fetched again. */
    FILTER_REFRESH_MS: ms(500),
    /** How often the Redis registry is read (joins are also announced on a channel). */
    DISCOVERY_INTERVAL_MS: ms(1000),
    CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).default(500),
    /** Node cap per impact query (the answer says truncated when it is reached). */
    MAX_NODES: z.coerce.number().int().min(1).max(100_000, 'at most 100000 (a shard answers at most that many nodes)').default(20000),
    /** Largest request body, after gzip/deflate inflation (the shards' limit too). */
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
    LOG_LEVEL: z.enum(['verbose', 'debug', 'log', 'warn', 'error']).default('log'),
    /** The built web UI (apps/web, `npm run build`), served at `/`; default `<repo>/dist/web`. */
    WEB_DIR: z.string().min(1).optional(),
    /**
     * The web UI's OAuth client at the OIDC issuer (a public client: authorization code with PKCE, no secret). With
     * OIDC configured, the sign-in page offers the issuer's sign-in; its access token must carry OIDC_AUDIENCE.
     */
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    /** Scopes the web UI asks for (space-separated; `openid` always included). */
    OIDC_SCOPES: z.string().min(1).default('openid'),
    ...authEnvShape,
  })
  .transform((env, ctx) => ({
    port: env.PORT,
    host: env.HOST,
    shards: env.SHARDS,
    redisUrl: env.REDIS_URL,
    namespaceDomains: env.NAMESPACE_DOMAINS,
    shardTimeoutMs: env.SHARD_TIMEOUT_MS,
    leanExpand: env.SHARD_LEAN_EXPAND === 'on',
    queryBudgetMs: env.QUERY_BUDGET_MS,
    filterRefreshMs: env.FILTER_REFRESH_MS,
    discoveryIntervalMs: env.DISCOVERY_INTERVAL_MS,
    cacheMaxEntries: env.CACHE_MAX_ENTRIES,
    maxNodes: env.MAX_NODES,
    maxBodyBytes: env.MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    webDir: env.WEB_DIR,
    webOidc: env.OIDC_CLIENT_ID && env.OIDC_ISSUER ? { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, scopes: [...new Set(['openid', ...env.OIDC_SCOPES.split(/\s+/).filter(Boolean)])] } : null,
    auth: toAuthConfig(env, ctx),
  }));

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** Reads the gateway's environment; an empty variable counts as unset. Throws a ConfigError naming each bad one. */
export const loadGatewayConfig = (env: Record<string, string | undefined> = process.env): GatewayConfig =>
  loadConfig(gatewayConfigSchema, Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
