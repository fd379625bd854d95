import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrateSchema, SqliteDriver } from '@lineage-hub/store';
import { AUDIT_SCHEMA } from './audit-schema.migrations';
import { AUDIT_RETENTION_ACTION, AuditChainVerifier, chainAuditEntry, removedRanges, retentionGaps, type AuditEntry, type AuditRecord, type RetentionScope } from './audit-chain';
import { AUDIT_COLUMNS, recordToParams, rowToRecord, scopeCondition, type AuditQuery, type AuditRow, type AuditStore } from './audit.store';

/** The audit log in an SQLite file (WAL), one per process that audits (the gateway's, a shard's). */
export class SqliteAuditStore implements AuditStore {
  private constructor(
    private readonly db: Database.Database,
    /** The schema migration started at open: every call waits for it (and fails as it failed). */
    private readonly schema: Promise<void>,
  ) {
    schema.catch(() => undefined); // reported by the calls that wait for it
  }

  /** Opens the file (WAL, synced commits) and starts migrating it (libs/store's migrator, AUDIT_SCHEMA). */
  static open(file: string): SqliteAuditStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      return new SqliteAuditStore(db, migrateSchema(new SqliteDriver(db), Date.now, AUDIT_SCHEMA));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async append(entries: AuditEntry[]): Promise<AuditRecord[]> {
    await this.schema;
    const insert = this.db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    return this.db.transaction(() => {
      let prev = (last.get() as { seq: number; hash: string } | undefined) ?? null;
      const out: AuditRecord[] = [];
      for (const entry of entries) {
        const record = chainAuditEntry(entry, prev);
        insert.run(...recordToParams(record));
        out.push(record);
        prev = record;
      }
      return out;
    }).immediate();
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    await this.schema;
    const where = ['seq > ?'];
    const params: unknown[] = [query.afterSeq ?? 0];
    for (const column of ['actor', 'action'] as const) {
      if (!query[column]) continue;
      where.push(`${column} = ?`);
      params.push(query[column]);
    }
    const rows = this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...params, query.limit);
    return (rows as AuditRow[]).map(rowToRecord);
  }

  async prune(before: Date, scope?: RetentionScope) {
    await this.schema;
    if (scope) return this.pruneScope(before, scope);
    return this.db.transaction(() => {
      const newest = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      const last = this.db.prepare('SELECT seq, hash FROM audit_log WHERE at < ? AND seq < ? ORDER BY seq DESC LIMIT 1').get(before.toISOString(), newest?.seq ?? 0) as
        | { seq: number; hash: string }
        | undefined;
      if (!newest || !last) return { deleted: 0 };
      const { changes } = this.db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(last.seq);
      const record = chainAuditEntry({ actor: 'system', action: AUDIT_RETENTION_ACTION, target: `before ${before.toISOString()}`, outcome: 'ok', details: { through: last.seq, hash: last.hash, deleted: changes } }, newest);
      this.db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...recordToParams(record));
      return { deleted: changes };
    }).immediate();
  }

  /** One domain's retention (or the default one's): its old records go, each run removed named in the retention record. */
  private pruneScope(before: Date, scope: RetentionScope) {
    const condition = scopeCondition(scope);
    return this.db.transaction(() => {
      const newest = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
      if (!newest) return { deleted: 0 };
      const where = `at < ? AND seq < ? AND action <> ? AND ${condition.sql}`;
      const params = [before.toISOString(), newest.seq, AUDIT_RETENTION_ACTION, ...condition.params];
      const removed = this.db.prepare(`SELECT seq, hash FROM audit_log WHERE ${where} ORDER BY seq`).all(...params) as Array<{ seq: number; hash: string }>;
      if (removed.length === 0) return { deleted: 0 };
      const { changes } = this.db.prepare(`DELETE FROM audit_log WHERE ${where}`).run(...params);
      const details = { ...scope, ranges: removedRanges(removed), deleted: changes };
      const record = chainAuditEntry({ actor: 'system', action: AUDIT_RETENTION_ACTION, target: `before ${before.toISOString()}`, outcome: 'ok', details }, newest);
      this.db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...recordToParams(record));
      return { deleted: changes };
    }).immediate();
  }

  async verify() {
    await this.schema;
    const retention = (this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE action = ? ORDER BY seq`).all(AUDIT_RETENTION_ACTION) as AuditRow[]).map(rowToRecord);
    const verifier = new AuditChainVerifier(null, retentionGaps(retention));
    for (const row of this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY seq`).iterate()) {
      if (!verifier.next(rowToRecord(row as AuditRow))) break;
    }
    return verifier.result();
  }

  async close() {
    await this.schema.catch(() => undefined);
    if (this.db.open) this.db.close();
  }
}
