/** Applies the pending schema migrations in one transaction (PostgreSQL: under an advisory lock, so concurrent starts are safe). */
import { MIGRATIONS, migrationSql } from '../migrations/schema.migrations';
import type { SqlDriver } from '../sql/sql-driver';
import type { Row } from './row-codec';

const MIGRATION_LOCK = 7_744_110;

export async function migrateSchema(db: SqlDriver, clock: () => number): Promise<void> {
  await db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.script('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const applied = new Set((await tx.query<Row>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await tx.script(migrationSql(migration, db.dialect));
      await tx.execute('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, clock()]);
    }
  });
}
