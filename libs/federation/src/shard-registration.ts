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
  /** The lean expand server's port on the rpc host, when the shard runs one. */
  expandPort?: number;
  /** The key expires this long after the last heartbeat (default 6s); heartbeats every ttl/3. */
  ttlMs?: number;
  /** Current graph version, sent with each heartbeat as a hint. */
  version?: () => number;
  /** How long the start waits for Redis before going on without it (default 10s; it registers when Redis comes). */
  connectWaitMs?: number;
  /** Redis connection errors (the shard logs them; without a listener ioredis prints them). */
  onError?: (error: Error) => void;
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
  // Not awaited: a shard starts while Redis is down and registers when it comes up (each 'ready' beats and
  // announces itself); the heartbeat keeps the key alive, a missed beat is retried by the next one.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => Math.min(200 * n, 2_000) });
  redis.on('error', (error) => options.onError?.(error));
  const registeredAt = Date.now();
  const record = (): ShardRegistration => ({
    domain: options.domain,
    rpc: options.rpc,
    httpUrl: options.httpUrl,
    ...(options.expandPort ? { expandPort: options.expandPort } : {}),
    version: options.version?.(),
    registeredAt,
    heartbeatAt: Date.now(),
  });
  const beat = () => redis.set(registryKey(options.domain), JSON.stringify(record()), 'PX', ttlMs);
  const join = async () => {
    await beat();
    await redis.publish(SHARD_REGISTRY_CHANNEL, JSON.stringify({ event: 'join', domain: options.domain }));
  };
  redis.on('ready', () => void join().catch(() => undefined));
  await new Promise<void>((resolve) => {
    // Until Redis is ready, or plainly not there (the first connection error), or connectWaitMs.
    const done = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(done, options.connectWaitMs ?? 10_000);
    redis.once('ready', done);
    redis.once('error', done);
  });
  const timer = setInterval(() => {
    if (redis.status === 'ready') beat().catch(() => undefined);
  }, Math.max(200, Math.floor(ttlMs / 3)));
  timer.unref();
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      try {
        if (redis.status === 'ready') {
          await redis.del(registryKey(options.domain));
          await redis.publish(SHARD_REGISTRY_CHANNEL, JSON.stringify({ event: 'leave', domain: options.domain }));
        }
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
