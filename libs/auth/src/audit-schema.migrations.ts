/**
 * The audit log's versioned schema, one list for SQLite and PostgreSQL, applied in order by libs/store's migrator
 * (migrateSchema: one transaction, PostgreSQL under the audit log's own advisory lock) and recorded in
 * audit_schema_migrations(version, name, applied_at). Never edit a shipped migration: append a new one (a column
 * change is a new `addColumn` or `sql` step).
 *
 * Logs created before this list existed have no record table: their steps run again, so each step must find an
 * earlier shape of the log in place without error (CREATE TABLE IF NOT EXISTS; a column added only when missing).
 * Logs migrated by the audit log's own migrator before (the same record table, the same versions) are at the newest
 * version already: nothing runs.
 *
 *   audit_log(seq PK, at TEXT (ISO time), actor, action, target, outcome, details JSON, prev_hash, hash, domain)
 *                                    hash-chained (audit-chain.ts); domain = the domain an entry concerns (retention)
 */
import type { Migration, MigrationSet } from '@lineage-hub/store';

const auditLog = (seqType: string) => `CREATE TABLE IF NOT EXISTS audit_log (
  seq ${seqType} PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  outcome TEXT NOT NULL, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`;

export const AUDIT_MIGRATIONS: Migration[] = [
  { version: 1, name: 'audit_log', sql: { sqlite: auditLog('INTEGER'), postgres: auditLog('BIGINT') } },
  { version: 2, name: 'audit_log.domain', addColumn: { table: 'audit_log', column: 'domain', type: 'TEXT' } },
];

/** Recorded beside the lineage store's schema_migrations when they share a database; its own lock key. */
export const AUDIT_SCHEMA: MigrationSet = { table: 'audit_schema_migrations', lockKey: 7_744_130, migrations: AUDIT_MIGRATIONS };
