/**
 * A shard's self-registration: while running, it keeps `lineage-hub:shard:<domain>` alive in Redis (TTL,
 * refreshed by a heartbeat) and announces joins and leaves on a channel, so a gateway picks it up without
 * a restart and drops it when the heartbeat stops. Call from the shard app when REDIS_URL is set:
 *
 *   const registration = await startShardRegistration({ redisUrl, domain, rpc: { host, port }, httpUrl });
 *   ...
 *   await registration.stop();
 */
import Redis from 'ioredis';
import { SHARD_REGISTRY_CHANNEL, SHARD_REGISTRY_PREFIX, type ShardRegistration } from './shard-rpc.contract';

export interface ShardRegistrationOptions {
  redisUrl: string;
  domain: string;
  rpc: { host: string; port: number };
  httpUrl?: string;
  /** The key expires this long after the last heartbeat (default 6s); heartbeats every ttl/3. */
  ttlMs?: number;
  /** Current graph version, sent with each heartbeat as a hint. */
  version?: () => number;
}

export interface ShardRegistrationHandle {
  stop(): Promise<void>;
}

/** Parses SHARD_ADVERTISE (`host:port`) into the address a gateway can reach. */
export const parseAdvertise = (text: string): { host: string; port: number } => {
  const colon = text.lastIndexOf(':');
  const port = Number(text.slice(colon + 1));
  const host = text.slice(0, colon);
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`SHARD_ADVERTISE: "${text}" is not host:port`);
  }
  return { host, port };
};

export const registryKey = (domain: string) => `${SHARD_REGISTRY_PREFIX}${domain}`;

export const startShardRegistration = async (options: ShardRegistrationOptions): Promise<ShardRegistrationHandle> => {
  const ttlMs = options.ttlMs ?? 6000;
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  const registeredAt = Date.now();
  const record = (): ShardRegistration => ({
    domain: options.domain,
    rpc: options.rpc,
    httpUrl: options.httpUrl,
    version: options.version?.(),
    registeredAt,
    heartbeatAt: Date.now(),
  });
  const beat = () => redis.set(registryKey(options.domain), JSON.stringify(record()), 'PX', ttlMs);
  await beat();
  await redis.publish(SHARD_REGISTRY_CHANNEL, JSON.stringify({ event: 'join', domain: options.domain }));
  const timer = setInterval(() => {
    beat().catch(() => undefined); // a missed beat is retried by the next one; the TTL covers the gap
  }, Math.max(200, Math.floor(ttlMs / 3)));
  timer.unref();
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      try {
        await redis.del(registryKey(options.domain));
        await redis.publish(SHARD_REGISTRY_CHANNEL, JSON.stringify({ event: 'leave', domain: options.domain }));
      } finally {
        redis.disconnect();
      }
    },
  };
};

/** The gateway's side: every shard currently registered (keys whose TTL has not run out). */
export const readShardRegistrations = async (redis: Redis): Promise<ShardRegistration[]> => {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${SHARD_REGISTRY_PREFIX}*`, 'COUNT', 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  const out: ShardRegistration[] = [];
  for (const value of values) {
    if (!value) continue;
    try {
      const parsed = JSON.parse(value) as ShardRegistration;
      if (parsed?.domain && parsed.rpc?.host && parsed.rpc?.port) out.push(parsed);
    } catch {
      // a malformed key is not a shard
    }
  }
  return out;
};
