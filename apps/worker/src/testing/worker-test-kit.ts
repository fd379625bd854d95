/**
 * Helpers for the worker's integration tests and bench: a unique Redis prefix per test file (so parallel
 * files never collide) and its cleanup, a worker config from overrides, and polling.
 */
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { loadWorkerConfig, type WorkerConfig } from '../worker.config';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export const uniquePrefix = (name: string) => `t-${name}-${process.pid}-${randomBytes(3).toString('hex')}`.toLowerCase();

/** A worker config for tests: env-style overrides, validated like the real thing. */
export const workerTestConfig = (env: Record<string, string | undefined>): WorkerConfig =>
  loadWorkerConfig({ PORT: '0', HOST: '127.0.0.1', REDIS_URL: TEST_REDIS_URL, WORKER_SECRET_ENV_ALLOWLIST: 'LH_*', LOG_LEVEL: 'warn', CONNECTORS_FILE: '/nonexistent/connectors.yaml', ALERTS_STORE_URL: 'sqlite::memory:', ALERTS_INTERVAL_MS: '0', ...env });

/** Deletes every Redis key under the prefix (worker state, BullMQ queues, limiters). */
export const dropPrefix = async (prefix: string, redisUrl = TEST_REDIS_URL): Promise<void> => {
  const redis = new IORedis(redisUrl);
  try {
    for (const pattern of [`${prefix}:*`, `${prefix}-bull:*`, `b_${prefix}-limiter-*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
};

export const waitFor = async <T>(fn: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
};

export const http = async (method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> => {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* plain text (metrics) */
  }
  return { status: res.status, body: parsed };
};
