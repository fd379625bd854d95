/**
 * Brings an audit log's schema to the newest version of AUDIT_MIGRATIONS, in one transaction (PostgreSQL: under the
 * audit log's advisory lock), recording each step applied in AUDIT_MIGRATION_TABLE.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { inTransaction } from './postgres-transaction';
import { AUDIT_MIGRATION_LOCK, AUDIT_MIGRATION_TABLE, AUDIT_MIGRATIONS, type AuditMigration } from './audit-schema.migrations';

const RECORD_TABLE = `CREATE TABLE IF NOT EXISTS ${AUDIT_MIGRATION_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

const checkedColumn = ({ table, column, type }: { table: string; column: string; type: string }) => {
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(column) || !/^[A-Z ]+$/.test(type)) throw new Error(`audit migration: bad column ${table}.${column} ${type}`);
  return { table, column, type };
};

export function migrateSqliteAudit(db: Database.Database, migrations: AuditMigration[] = AUDIT_MIGRATIONS): void {
  db.transaction(() => {
    db.exec(RECORD_TABLE);
    const applied = new Set((db.prepare(`SELECT version FROM ${AUDIT_MIGRATION_TABLE}`).all() as Array<{ version: number }>).map((r) => Number(r.version)));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      if ('sql' in migration) db.exec(migration.sql.sqlite);
      else {
        const { table, column, type } = checkedColumn(migration.addColumn);
        const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
        if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
      }
      db.prepare(`INSERT INTO ${AUDIT_MIGRATION_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`).run(migration.version, migration.name, Date.now());
    }
  }).immediate();
}

export async function migratePostgresAudit(pool: Pool, migrations: AuditMigration[] = AUDIT_MIGRATIONS): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${AUDIT_MIGRATION_LOCK})`);
    await client.query(RECORD_TABLE);
    const applied = new Set((await client.query<{ version: number }>(`SELECT version FROM ${AUDIT_MIGRATION_TABLE}`)).rows.map((r) => Number(r.version)));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      if ('sql' in migration) await client.query(migration.sql.postgres);
      else {
        const { table, column, type } = checkedColumn(migration.addColumn);
        await client.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} ${type}`);
      }
      await client.query(`INSERT INTO ${AUDIT_MIGRATION_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`, [migration.version, migration.name, Date.now()]);
    }
  });
}
