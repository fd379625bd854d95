import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { HubConfig } from './hub.config';
import { gatewaySettings, type SettingMap, shardSettings, workerSettings } from './hub-setting-hints';
import { authEnv, type HubAuth } from './hub-auth';

/** One child process the hub launches: a built app entry run with this node binary, or a program (redis-server). */
export interface ProcessSpec {
  name: string;
  /** Script under the repo root, run with this node binary... */
  entry?: string;
  /** ...or a program of its own (redis-server). */
  command?: string;
  args?: string[];
  env: Record<string, string>;
  /** Polled until it answers 200; without one the process only has to stay up for a moment. */
  healthUrl?: string;
  /** printed in the summary */
  url?: string;
  note?: string;
  /** Which hub config setting each environment variable comes from (named when the child refuses it). */
  settings?: SettingMap;
}

export interface Running {
  spec: ProcessSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  tail: string[];
}

/** One shard process per domain of the hub config, each with its own SQLite store under the data folder. */
export const shardProcesses = (config: HubConfig, auth: HubAuth, redisUrl?: string): ProcessSpec[] =>
  config.shards.map((shard) => ({
    name: `shard:${shard.domain}`,
    entry: 'dist/apps/shard/src/main.js',
    env: {
      PORT: String(shard.port),
      RPC_PORT: String(shard.rpcPort),
      RPC_HOST: '127.0.0.1',
      SHARD_DOMAIN: shard.domain,
      STORE_URL: `sqlite:${path.join(config.dataDir, shard.domain, 'lineage.db')}`,
      SHARD_ADVERTISE: `127.0.0.1:${shard.rpcPort}`,
      NAMESPACE_DOMAINS: namespaceDomains(config),
      // the other shards: a shard's own reads ask a dataset's owner how it is classified
      SHARDS: shardList(config),
      ...authEnv(auth, `shard-${shard.domain}`),
      ...(shard.auditRetentionDays ? { AUDIT_RETENTION_DAYS: String(shard.auditRetentionDays) } : {}),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    },
    healthUrl: `http://127.0.0.1:${shard.port}/health`,
    url: `http://127.0.0.1:${shard.port}`,
    note: `rpc 127.0.0.1:${shard.rpcPort}`,
    settings: shardSettings(shard.domain),
  }));

/** The shards' RPC addresses (SHARDS) of the hub config. */
const shardList = (config: HubConfig) => config.shards.map((s) => `${s.domain}=127.0.0.1:${s.rpcPort}`).join(',');

/** The namespace -> domain map of the hub config (the gateway routes by it; shards check writers against it). */
const namespaceDomains = (config: HubConfig) => config.shards.flatMap((s) => s.namespaces.map((ns) => `${ns}=${s.domain}`)).join(',');

export const gatewayProcess = (config: HubConfig, auth: HubAuth, redisUrl?: string): ProcessSpec => ({
  name: 'gateway',
  entry: 'dist/apps/gateway/src/main.js',
  env: {
    PORT: String(config.gateway.port),
    HOST: config.gateway.host,
    SHARDS: shardList(config),
    NAMESPACE_DOMAINS: namespaceDomains(config),
    ...authEnv(auth, 'gateway'),
    // the gateway's audit keeps each domain's entries as long as that domain's shard keeps its own
    ...(config.shards.some((s) => s.auditRetentionDays)
      ? { AUDIT_RETENTION_DOMAINS: config.shards.filter((s) => s.auditRetentionDays).map((s) => `${s.domain}=${s.auditRetentionDays}`).join(',') }
      : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    WORKER_URL: `http://127.0.0.1:${config.worker.port}`,
  },
  healthUrl: `http://127.0.0.1:${config.gateway.port}/health`,
  url: `http://127.0.0.1:${config.gateway.port}`,
  settings: gatewaySettings,
});

/** The connector worker (apps/worker): one entry, started only when Redis is there. */
export const workerProcess = (config: HubConfig, auth: HubAuth, redisUrl: string, alertsEnv: Record<string, string> = {}): ProcessSpec => ({
  name: 'worker',
  entry: 'dist/apps/worker/src/main.js',
  env: {
    REDIS_URL: redisUrl,
    PORT: String(config.worker.port),
    GATEWAY_URL: `http://127.0.0.1:${config.gateway.port}`,
    SHARDS: config.shards.map((s) => `${s.domain}=127.0.0.1:${s.rpcPort}`).join(','),
    // the alert store (state, silences, delivery log) lives under the hub's data folder with everything else
    DATA_DIR: config.dataDir,
    ...authEnv(auth, 'worker'),
    // connector secrets given as literal values are stored encrypted under this key
    LINEAGE_SECRETS_KEY: auth.secretsKey,
    ...(config.worker.requestTimeoutMs ? { VENDOR_REQUEST_TIMEOUT_MS: String(config.worker.requestTimeoutMs) } : {}),
    ...(config.worker.alertsFile ? { ALERTS_FILE: config.worker.alertsFile } : alertsEnv),
  },
  healthUrl: `http://127.0.0.1:${config.worker.port}/health`,
  url: `http://127.0.0.1:${config.worker.port}`,
  settings: workerSettings,
});
