/**
 * The audit log's versioned schema, one list for SQLite and PostgreSQL, applied in order and recorded in
 * audit_schema_migrations(version, name, applied_at) by audit-schema.migrator.ts. Never edit a shipped migration:
 * append a new one (a column change is a new `addColumn` or `sql` step).
 *
 * Logs created before this list existed have no record table: their steps run again, so each step must find an
 * earlier shape of the log in place without error (CREATE TABLE IF NOT EXISTS; a column added only when missing).
 *
 *   audit_log(seq PK, at TEXT (ISO time), actor, action, target, outcome, details JSON, prev_hash, hash, domain)
 *                                    hash-chained (audit-chain.ts); domain = the domain an entry concerns (retention)
 */
export type AuditMigrationStep =
  | { sql: { sqlite: string; postgres: string } }
  /** A column added where it is missing (PostgreSQL: ADD COLUMN IF NOT EXISTS; SQLite: when table_info lacks it). */
  | { addColumn: { table: string; column: string; type: string } };

export type AuditMigration = { version: number; name: string } & AuditMigrationStep;

const auditLog = (seqType: string) => `CREATE TABLE IF NOT EXISTS audit_log (
  seq ${seqType} PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  outcome TEXT NOT NULL, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`;

export const AUDIT_MIGRATIONS: AuditMigration[] = [
  { version: 1, name: 'audit_log', sql: { sqlite: auditLog('INTEGER'), postgres: auditLog('BIGINT') } },
  { version: 2, name: 'audit_log.domain', addColumn: { table: 'audit_log', column: 'domain', type: 'TEXT' } },
];

/** Where applied versions are recorded (beside the lineage store's schema_migrations when they share a database). */
export const AUDIT_MIGRATION_TABLE = 'audit_schema_migrations';
/** pg_advisory_xact_lock key taken while migrating, so processes sharing a database start safely together. */
export const AUDIT_MIGRATION_LOCK = 7_744_130;
