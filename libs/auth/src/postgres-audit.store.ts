import { Pool, type PoolClient } from 'pg';
import { migrateSchema, PostgresDriver } from '@lineage-hub/store';
import { AUDIT_SCHEMA } from './audit-schema.migrations';
import { inTransaction } from './postgres-transaction';
import { AUDIT_RETENTION_ACTION, AuditChainVerifier, chainAuditEntry, removedRanges, retentionGaps, type AuditEntry, type AuditRecord, type RetentionScope } from './audit-chain';
import { AUDIT_COLUMNS, recordToParams, rowToRecord, scopeCondition, type AuditQuery, type AuditRow, type AuditStore } from './audit.store';

/** The audit log in PostgreSQL (the production store's database); appends serialise on a table lock. */
export class PostgresAuditStore implements AuditStore {
  private schema: Promise<unknown> | null = null;

  private constructor(private readonly pool: Pool) {
    // An idle client's error (the server went away) must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
  }

  /** Opens without connecting: the schema is migrated on first use, so a database outage does not stop the app. */
  static open(url: string): PostgresAuditStore {
    return new PostgresAuditStore(new Pool({ connectionString: url, max: 4 }));
  }

  private ready(): Promise<unknown> {
    this.schema ??= migrateSchema(new PostgresDriver(this.pool), Date.now, AUDIT_SCHEMA).catch((error) => {
      this.schema = null;
      throw error;
    });
    return this.schema;
  }

  async append(entries: AuditEntry[]): Promise<AuditRecord[]> {
    await this.ready();
    return this.locked(async (client) => {
      const last = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      let prev: Pick<AuditRecord, 'seq' | 'hash'> | null = last.rows[0] ? { seq: Number(last.rows[0].seq), hash: last.rows[0].hash } : null;
      const out: AuditRecord[] = [];
      for (const entry of entries) {
        const record = chainAuditEntry(entry, prev);
        await client.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, recordToParams(record));
        out.push(record);
        prev = record;
      }
      return out;
    });
  }

  /** Runs `work` in a transaction holding the table lock that serialises appends; rolls back on error. */
  private locked<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query('LOCK TABLE audit_log IN EXCLUSIVE MODE');
      return work(client);
    });
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    await this.ready();
    const where = ['seq > $1'];
    const params: unknown[] = [query.afterSeq ?? 0];
    for (const column of ['actor', 'action'] as const) {
      if (!query[column]) continue;
      params.push(query[column]);
      where.push(`${column} = $${params.length}`);
    }
    params.push(query.limit);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return rows.map(rowToRecord);
  }

  async prune(before: Date, scope?: RetentionScope) {
    await this.ready();
    if (scope) return this.pruneScope(before, scope);
    return this.locked(async (client) => {
      const newest = (await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0];
      const last = newest
        ? (await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log WHERE at < $1 AND seq < $2 ORDER BY seq DESC LIMIT 1', [before.toISOString(), newest.seq])).rows[0]
        : undefined;
      if (!newest || !last) return { deleted: 0 };
      const deleted = (await client.query('DELETE FROM audit_log WHERE seq <= $1', [last.seq])).rowCount ?? 0;
      const record = chainAuditEntry(
        { actor: 'system', action: AUDIT_RETENTION_ACTION, target: `before ${before.toISOString()}`, outcome: 'ok', details: { through: Number(last.seq), hash: last.hash, deleted } },
        { seq: Number(newest.seq), hash: newest.hash },
      );
      await client.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, recordToParams(record));
      return { deleted };
    });
  }

  /** One domain's retention (or the default one's): its old records go, each run removed named in the retention record. */
  private pruneScope(before: Date, scope: RetentionScope) {
    return this.locked(async (client) => {
      const newest = (await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0];
      const condition = scopeCondition(scope);
      let n = 0;
      const where = `at < $${++n} AND seq < $${++n} AND action <> $${++n} AND ${condition.sql.replace(/\?/g, () => `$${++n}`)}`;
      const params = [before.toISOString(), newest?.seq ?? 0, AUDIT_RETENTION_ACTION, ...condition.params];
      const removed = newest ? (await client.query<{ seq: string; hash: string }>(`SELECT seq, hash FROM audit_log WHERE ${where} ORDER BY seq`, params)).rows : [];
      if (!newest || removed.length === 0) return { deleted: 0 };
      const deleted = (await client.query(`DELETE FROM audit_log WHERE ${where}`, params)).rowCount ?? 0;
      const details = { ...scope, ranges: removedRanges(removed.map((r) => ({ seq: Number(r.seq), hash: r.hash }))), deleted };
      const record = chainAuditEntry({ actor: 'system', action: AUDIT_RETENTION_ACTION, target: `before ${before.toISOString()}`, outcome: 'ok', details }, { seq: Number(newest.seq), hash: newest.hash });
      await client.query(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, recordToParams(record));
      return { deleted };
    });
  }

  async verify() {
    await this.ready();
    const retention = (await this.pool.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE action = $1 ORDER BY seq`, [AUDIT_RETENTION_ACTION])).rows.map(rowToRecord);
    const verifier = new AuditChainVerifier(null, retentionGaps(retention));
    let after = 0;
    for (;;) {
      const { rows } = await this.pool.query<AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000`, [after]);
      for (const row of rows) if (!verifier.next(rowToRecord(row))) return verifier.result();
      if (rows.length < 5000) return verifier.result();
      after = Number(rows[rows.length - 1].seq);
    }
  }

  async close() {
    await this.pool.end();
  }
}
