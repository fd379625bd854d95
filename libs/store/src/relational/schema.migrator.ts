/**
 * Applies a set's pending schema migrations in one transaction (PostgreSQL: under the set's advisory lock, so
 * concurrent starts are safe), recording each in the set's table (version, name, applied_at). The lineage store
 * uses LINEAGE_MIGRATIONS; another store that lives beside it (the worker's alert store) brings its own set,
 * with its own record table and lock, so the two never collide in one database (the worker's alert store, libs/auth's
 * audit log).
 */
import { MIGRATIONS, migrationSql, type ColumnAddition, type Migration } from '../migrations/schema.migrations';
import type { SqlDialect, SqlDriver, SqlExecutor } from '../sql/sql-driver';
import type { Row } from './row-codec';

export interface MigrationSet {
  /** Where applied versions are recorded. */
  table: string;
  /** pg_advisory_xact_lock key taken while migrating (PostgreSQL). */
  lockKey: number;
  migrations: Migration[];
}

export const LINEAGE_MIGRATIONS: MigrationSet = { table: 'schema_migrations', lockKey: 7_744_110, migrations: MIGRATIONS };

export async function migrateSchema(db: SqlDriver, clock: () => number, set: MigrationSet = LINEAGE_MIGRATIONS): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(set.table)) throw new Error(`migration table name "${set.table}" must be a lower-case SQL identifier`);
  if (!Number.isSafeInteger(set.lockKey)) throw new Error('migration lock key must be an integer');
  await db.transaction(async (tx) => {
    if (db.dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${set.lockKey})`);
    await tx.script(`CREATE TABLE IF NOT EXISTS ${set.table} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = new Set((await tx.query<Row>(`SELECT version FROM ${set.table}`)).map((r) => Number(r.version)));
    for (const migration of set.migrations) {
      if (applied.has(migration.version)) continue;
      if ('addColumn' in migration) await addColumn(tx, db.dialect, migration.addColumn);
      else await tx.script(migrationSql(migration, db.dialect));
      await tx.execute(`INSERT INTO ${set.table} (version, name, applied_at) VALUES (?, ?, ?)`, [migration.version, migration.name, clock()]);
    }
  });
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

async function addColumn(tx: SqlExecutor, dialect: SqlDialect, { table, column, type }: ColumnAddition): Promise<void> {
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(column) || !/^[A-Z ]+$/.test(type)) throw new Error(`migration: bad column ${table}.${column} ${type}`);
  if (dialect === 'postgres') {
    await tx.script(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} ${type}`);
    return;
  }
  const columns = await tx.query<Row>(`SELECT name FROM pragma_table_info('${table}')`);
  if (!columns.some((c) => c.name === column)) await tx.script(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}
