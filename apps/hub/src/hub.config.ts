/**
 * The hub launcher's configuration: a small YAML file (apps/hub/hub.config.yaml by default, or --config),
 * command-line flags, and the two environment variables it honours (REDIS_URL, HUB_CONFIG). Read once here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '@lineage-hub/common';

const port = z.number().int().min(1).max(65535);

export const hubFileSchema = z.object({
  dataDir: z.string().min(1).default('data'),
  /** Authentication in every process (default on); `off` is accepted only while every listener is on loopback. */
  auth: z.enum(['on', 'off']).default('on'),
  gateway: z
    .object({ port: port.default(4000), host: z.string().min(1).default('127.0.0.1') })
    .default({ port: 4000, host: '127.0.0.1' }),
  shards: z
    .array(
      z.object({
        domain: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only'),
        port,
        rpcPort: port,
        namespaces: z.array(z.string().min(1)).default([]),
        /** Days this domain's shard keeps its audit records (unset: kept for ever). */
        auditRetentionDays: z.number().int().min(1).max(36_500).optional(),
      }),
    )
    .min(1, 'at least one shard'),
  worker: z
    .object({
      port: port.default(4100),
      /** The worker's VENDOR_REQUEST_TIMEOUT_MS: longest one vendor request may go without an answer. */
      requestTimeoutMs: z.number().int().min(1).max(3_600_000).optional(),
      /** The worker's ALERTS_FILE (alert receivers and routes); unset: every alert goes to the hub's local inbox. */
      alertsFile: z.string().min(1).optional(),
    })
    .default({ port: 4100 }),
});

export type HubFile = z.infer<typeof hubFileSchema>;

export interface HubConfig extends HubFile {
  root: string;
  configPath: string;
  dataDir: string;
  redisUrl?: string;
  /** Load the demo mesh: always with --demo, never with --empty, else only into empty stores (a first start). */
  demo: 'always' | 'if-empty' | 'never';
  /** Stream the children's JSON logs to the console too (they always go to <dataDir>/logs/). */
  verbose: boolean;
}

export class HubConfigError extends Error {}

const usage = 'usage: node dist/apps/hub/src/main.js [--demo | --empty] [--config <file>] [--verbose]';

export const loadHubConfig = (argv = process.argv.slice(2), env: Record<string, string | undefined> = process.env): HubConfig => {
  const root = repoRoot();
  let configPath = env.HUB_CONFIG ?? path.join(root, 'apps', 'hub', 'hub.config.yaml');
  let demo: HubConfig['demo'] = 'if-empty';
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--demo') demo = 'always';
    else if (arg === '--empty') demo = 'never';
    else if (arg === '--verbose') verbose = true;
    else if (arg === '--config' && argv[i + 1]) configPath = argv[++i];
    else throw new HubConfigError(`unknown argument "${arg}"\n${usage}`);
  }
  configPath = path.resolve(configPath);
  let raw: unknown;
  try {
    raw = parse(readFileSync(configPath, 'utf8'));
  } catch (error) {
    throw new HubConfigError(`cannot read hub config ${configPath}: ${(error as Error).message}`);
  }
  const parsed = hubFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HubConfigError(
      `invalid hub config ${configPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  const file = parsed.data;
  const domains = new Set<string>();
  const ports = new Set<number>([file.gateway.port]);
  for (const shard of file.shards) {
    if (domains.has(shard.domain)) throw new HubConfigError(`invalid hub config ${configPath}: domain "${shard.domain}" is listed twice`);
    domains.add(shard.domain);
    for (const p of [shard.port, shard.rpcPort]) {
      if (ports.has(p)) throw new HubConfigError(`invalid hub config ${configPath}: port ${p} is used twice`);
      ports.add(p);
    }
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new HubConfigError(`REDIS_URL: must be redis://host:port, got "${redisUrl}"`);
  // Paths in the file are relative to it (the default config's to the repository root).
  const base = path.dirname(configPath) === path.join(root, 'apps', 'hub') ? root : path.dirname(configPath);
  const worker = { ...file.worker, ...(file.worker.alertsFile ? { alertsFile: path.resolve(base, file.worker.alertsFile) } : {}) };
  return { ...file, worker, root, configPath, dataDir: path.resolve(base, file.dataDir), redisUrl, demo, verbose };
};

/** The environment children inherit (PATH, HOME, ...), plus their own variables. */
export const childEnv = (own: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, ...own });

/** `redis-server` on the PATH, if installed. */
export const findRedisServer = (): string | null => {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
};
