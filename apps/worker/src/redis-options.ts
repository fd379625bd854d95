import type { RedisOptions } from 'ioredis';

/** redis://[user:pass@]host:port[/db] -> ioredis options (BullMQ then owns and closes its connections). */
export const redisOptionsFromUrl = (url: string, extra: RedisOptions = {}): RedisOptions => {
  const parsed = new URL(url);
  const db = parsed.pathname.replace('/', '');
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    ...extra,
  };
};
