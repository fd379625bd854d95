import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { findRedisServer, type HubConfig } from './hub.config';
import { freePort } from './hub-ports';
import { sleep } from './hub-output';
import type { HubSupervisor } from './hub-supervisor';

/** REDIS_URL if set; else a private redis-server in the data folder when installed; else none. */
export const provideRedis = async (hub: HubSupervisor, config: HubConfig): Promise<{ url?: string; note: string }> => {
  if (config.redisUrl) return { url: config.redisUrl, note: `using REDIS_URL ${config.redisUrl}` };
  const binary = findRedisServer();
  if (!binary) {
    return {
      note: 'Redis not found, so the connector worker is off and shards do not self-register. Install redis-server (e.g. `apt-get install redis-server`) or set REDIS_URL=redis://host:6379 to enable connectors.',
    };
  }
  const port = await freePort();
  const dir = path.join(config.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  hub.start({
    name: 'redis',
    command: binary,
    // Connector instances, cursors and run history live in this Redis: append-only file under the data folder, so
    // they survive a restart of every process (Redis included).
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir],
    env: {},
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    })) return { url, note: `started a private redis-server at ${url}` };
    await sleep(100);
  }
  throw new Error(`redis-server (${binary}) did not start on port ${port}`);
};
