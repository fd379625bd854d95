import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AuditChainVerifier, chainAuditEntry, type AuditEntry, type AuditRecord } from './audit-chain';
import { AUDIT_COLUMNS, recordToParams, rowToRecord, type AuditQuery, type AuditRow, type AuditStore } from './audit.store';

const SCHEMA = `CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  outcome TEXT NOT NULL, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`;

/** The audit log in an SQLite file (WAL), one per process that audits (the gateway's, a shard's). */
export class SqliteAuditStore implements AuditStore {
  private constructor(private readonly db: Database.Database) {}

  static open(file: string): SqliteAuditStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    return new SqliteAuditStore(db);
  }

  async append(entries: AuditEntry[]): Promise<AuditRecord[]> {
    const insert = this.db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
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

  async verify() {
    const verifier = new AuditChainVerifier();
    for (const row of this.db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY seq`).iterate()) {
      if (!verifier.next(rowToRecord(row as AuditRow))) break;
    }
    return verifier.result();
  }

  async close() {
    if (this.db.open) this.db.close();
  }
}
