/**
 * Connector instances, cursors and run history, kept in Redis: the worker already needs Redis for BullMQ,
 * every worker process reads the same state, and a cursor saved beside the job queue needs no second
 * database or migrations. Keys (under the configured prefix):
 *   {p}:connectors                    hash  id -> instance JSON (secrets as {env} references, never values)
 *   {p}:connector:{id}:cursor         JSON  { cursor, watermark, savedAt }
 *   {p}:connector:{id}:runs           list  run ids, newest first (trimmed to the history limit)
 *   {p}:connector-run:{runId}         JSON  RunRecord
 */
import type Redis from 'ioredis';
import type { Cursor } from '@lineage-hub/connector-sdk';
import type { ConnectorInstance } from './connector-instance';
import type { RunRecord } from './connector-run.record';

export interface StoredCursor {
  cursor: Cursor | null;
  /** Everything before this instant has been read and delivered (epoch ms). */
  watermark: number | null;
  savedAt: number;
}

export class ConnectorStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly historyLimit: number,
  ) {}

  private get instancesKey() {
    return `${this.prefix}:connectors`;
  }
  private cursorKey(id: string) {
    return `${this.prefix}:connector:${id}:cursor`;
  }
  private runsKey(id: string) {
    return `${this.prefix}:connector:${id}:runs`;
  }
  private runKey(runId: string) {
    return `${this.prefix}:connector-run:${runId}`;
  }

  async list(): Promise<ConnectorInstance[]> {
    const all = await this.redis.hgetall(this.instancesKey);
    return Object.values(all)
      .map((json) => JSON.parse(json) as ConnectorInstance)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<ConnectorInstance | null> {
    const json = await this.redis.hget(this.instancesKey, id);
    return json ? (JSON.parse(json) as ConnectorInstance) : null;
  }

  /** Inserts only when absent; false when the id is taken. */
  async create(instance: ConnectorInstance): Promise<boolean> {
    return (await this.redis.hsetnx(this.instancesKey, instance.id, JSON.stringify(instance))) === 1;
  }

  async put(instance: ConnectorInstance): Promise<void> {
    await this.redis.hset(this.instancesKey, instance.id, JSON.stringify(instance));
  }

  /** Removes the instance, its cursor and its history. */
  async delete(id: string): Promise<boolean> {
    const runIds = await this.redis.lrange(this.runsKey(id), 0, -1);
    const [[, removed]] = (await this.redis
      .multi()
      .hdel(this.instancesKey, id)
      .del(this.cursorKey(id), this.runsKey(id), ...runIds.map((r) => this.runKey(r)))
      .exec()) as Array<[Error | null, number]>;
    return removed === 1;
  }

  async getCursor(id: string): Promise<StoredCursor | null> {
    const json = await this.redis.get(this.cursorKey(id));
    return json ? (JSON.parse(json) as StoredCursor) : null;
  }

  async saveCursor(id: string, cursor: Cursor | null, watermark: number | null, at: number): Promise<void> {
    await this.redis.set(this.cursorKey(id), JSON.stringify({ cursor, watermark, savedAt: at } satisfies StoredCursor));
  }

  /** Saves the run record; a new run id is added to the head of the connector's history. */
  async saveRun(run: RunRecord): Promise<void> {
    const created = await this.redis.set(this.runKey(run.runId), JSON.stringify(run), 'NX');
    if (created === 'OK') {
      const dropped = await this.redis.lrange(this.runsKey(run.connectorId), this.historyLimit - 1, -1);
      const tx = this.redis.multi().lpush(this.runsKey(run.connectorId), run.runId).ltrim(this.runsKey(run.connectorId), 0, this.historyLimit - 1);
      if (dropped.length) tx.del(...dropped.map((r) => this.runKey(r)));
      await tx.exec();
    } else {
      await this.redis.set(this.runKey(run.runId), JSON.stringify(run));
    }
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const json = await this.redis.get(this.runKey(runId));
    return json ? (JSON.parse(json) as RunRecord) : null;
  }

  async listRuns(id: string, limit: number): Promise<RunRecord[]> {
    const runIds = await this.redis.lrange(this.runsKey(id), 0, Math.max(0, limit - 1));
    if (runIds.length === 0) return [];
    const values = await this.redis.mget(runIds.map((r) => this.runKey(r)));
    return values.filter((v): v is string => !!v).map((v) => JSON.parse(v) as RunRecord);
  }

  /**
   * A per-connector run lock, so two workers never pull the same connector at once. Returns a token, or null
   * when another run holds it. The holder renews it; a dead holder's lock expires after ttlMs.
   */
  async acquireRunLock(id: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:connector:${id}:lock`, owner, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Extends the lock if `owner` still holds it; false when it was lost. */
  async renewRunLock(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const result = await this.redis.eval(
      `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`,
      1,
      `${this.prefix}:connector:${id}:lock`,
      owner,
      String(ttlMs),
    );
    return result === 1;
  }

  async releaseRunLock(id: string, owner: string): Promise<void> {
    await this.redis.eval(
      `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`,
      1,
      `${this.prefix}:connector:${id}:lock`,
      owner,
    );
  }
}
