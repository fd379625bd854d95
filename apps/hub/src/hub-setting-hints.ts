/**
 * A child that exits at start names what it was given: an environment variable (`invalid configuration: PORT: ...`)
 * or a port it could not listen on (`EADDRINUSE ... :5100`). A user of `npm start` never set those: the hub did,
 * from its config file. These hints say which setting of that file to change.
 */
/** The parts of the hub config the hints name. */
export interface HintConfig {
  configPath: string;
  gateway: { port: number };
  shards: Array<{ domain: string; port: number; rpcPort: number }>;
  worker: { port: number };
}

/** Environment variable -> the hub config setting it comes from, for one child process. */
export type SettingMap = Record<string, string>;

export const shardSettings = (domain: string): SettingMap => ({
  PORT: `shards[domain=${domain}].port`,
  RPC_PORT: `shards[domain=${domain}].rpcPort`,
  SHARD_ADVERTISE: `shards[domain=${domain}].rpcPort`,
  SHARD_DOMAIN: `shards[].domain`,
  STORE_URL: 'dataDir',
});

export const gatewaySettings: SettingMap = {
  PORT: 'gateway.port',
  SHARDS: 'shards (domain and rpcPort of each)',
  NAMESPACE_DOMAINS: 'shards[].namespaces',
  WORKER_URL: 'worker.port',
};

export const workerSettings: SettingMap = {
  PORT: 'worker.port',
  SHARDS: 'shards (domain and rpcPort of each)',
  VENDOR_REQUEST_TIMEOUT_MS: 'worker.requestTimeoutMs',
};

/** Every port of the config with the setting that gives it. */
export const portSettings = (config: HintConfig): Map<number, string> => {
  const out = new Map<number, string>([[config.gateway.port, 'gateway.port']]);
  for (const s of config.shards) {
    out.set(s.port, `shards[domain=${s.domain}].port`);
    out.set(s.rpcPort, `shards[domain=${s.domain}].rpcPort`);
  }
  out.set(config.worker.port, 'worker.port');
  return out;
};

/** Lines naming the hub config setting behind each variable or busy port the child's output mentions. */
export const settingHints = (output: string, settings: SettingMap | undefined, config: HintConfig): string[] => {
  const hints = new Set<string>();
  for (const [variable, setting] of Object.entries(settings ?? {})) {
    if (new RegExp(`(^|[^A-Z_])${variable}:`).test(output)) hints.add(`${variable} comes from \`${setting}\` in ${config.configPath}: change it there`);
  }
  const ports = portSettings(config);
  for (const match of output.matchAll(/EADDRINUSE[^\n]*?:(\d{1,5})\b/g)) {
    const setting = ports.get(Number(match[1]));
    if (setting) hints.add(`port ${match[1]} is in use: change \`${setting}\` in ${config.configPath} (or stop what listens there)`);
  }
  return [...hints];
};
