import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { notFound } from '@lineage-hub/model';
import type { ApiTokenRecord } from './api-token';

/** Where API tokens live. Reads are by hash; the secret is never stored. */
export interface TokenStore {
  findByHash(hash: string): ApiTokenRecord | undefined;
  list(): ApiTokenRecord[];
  add(record: ApiTokenRecord): void;
  revoke(id: string, at?: Date): ApiTokenRecord;
}

/** In memory (tests, and processes whose tokens all come from configuration). */
export class MemoryTokenStore implements TokenStore {
  protected byHash = new Map<string, ApiTokenRecord>();

  constructor(records: ApiTokenRecord[] = []) {
    for (const record of records) this.byHash.set(record.hash, record);
  }
  findByHash(hash: string) {
    return this.byHash.get(hash);
  }
  list() {
    return [...this.byHash.values()];
  }
  add(record: ApiTokenRecord) {
    this.byHash.set(record.hash, record);
  }
  revoke(id: string, at = new Date()) {
    const record = this.list().find((r) => r.id === id);
    if (!record) throw notFound(`token ${id}`);
    record.revokedAt ??= at.toISOString();
    return record;
  }
}

/**
 * A JSON file (mode 0600) shared by the processes of one hub: every change is written to a temporary file,
 * fsynced and renamed over the old one (never half-written); other processes notice the change by mtime and
 * size within `recheckMs` (so a revocation reaches every process within that time, at once in this one).
 */
export class FileTokenStore extends MemoryTokenStore {
  private checkedAt = 0;
  private stamp = '';

  constructor(
    readonly path: string,
    private readonly recheckMs = 1000,
  ) {
    super();
    this.reload(true);
  }

  override findByHash(hash: string) {
    this.reload(false);
    return super.findByHash(hash);
  }
  override list() {
    this.reload(true);
    return super.list();
  }
  override add(record: ApiTokenRecord) {
    this.reload(true);
    super.add(record);
    this.persist();
  }
  override revoke(id: string, at = new Date()) {
    this.reload(true);
    const record = super.revoke(id, at);
    this.persist();
    return record;
  }

  private reload(force: boolean) {
    const now = Date.now();
    if (!force && now - this.checkedAt < this.recheckMs) return;
    this.checkedAt = now;
    let stamp: string;
    try {
      const st = statSync(this.path);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    const records: ApiTokenRecord[] = stamp === 'missing' ? [] : (JSON.parse(readFileSync(this.path, 'utf8')).tokens ?? []);
    this.byHash = new Map(records.map((r) => [r.hash, r]));
  }

  private persist() {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ tokens: [...this.byHash.values()] }, null, 1));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.checkedAt = 0;
    this.stamp = '';
    this.reload(true);
  }
}
