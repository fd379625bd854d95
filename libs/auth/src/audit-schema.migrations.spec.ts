import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrateSchema, SqliteDriver, type Migration } from '@lineage-hub/store';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA } from './audit-schema.migrations';
import { chainAuditEntry } from './audit-chain';
import { recordToParams } from './audit.store';
import { SqliteAuditStore } from './sqlite-audit.store';

/** The DDL the SQLite audit store ran at every open before its schema was versioned, and the one before entries had a domain. */
const UNVERSIONED = `CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  outcome TEXT NOT NULL, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, domain TEXT)`;
const BEFORE_DOMAIN = UNVERSIONED.replace(', domain TEXT)', ')');
/** What the audit log's own migrator (before libs/store's migrator ran its steps) left: the log and its record table. */
const OWN_MIGRATOR = `${UNVERSIONED};
CREATE TABLE IF NOT EXISTS audit_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
INSERT INTO audit_schema_migrations VALUES (1, 'audit_log', 1000), (2, 'audit_log.domain', 1000)`;

describe("audit log schema migrations through libs/store's migrator (SQLite)", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lh-audit-schema-'));
    file = join(dir, 'audit.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const raw = <T>(use: (db: Database.Database) => T): T => {
    const db = new Database(file);
    try {
      return use(db);
    } finally {
      db.close();
    }
  };
  const columns = () => raw((db) => (db.prepare('PRAGMA table_info(audit_log)').all() as Array<{ name: string }>).map((c) => c.name));
  const versions = () => raw((db) => (db.prepare('SELECT version FROM audit_schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version));
  const appliedAt = () => raw((db) => (db.prepare('SELECT applied_at FROM audit_schema_migrations ORDER BY version').all() as Array<{ applied_at: number }>).map((r) => Number(r.applied_at)));
  /** libs/store's migrator on the file, with another list of audit migrations. */
  const migrate = async (migrations: Migration[]) => {
    const driver = SqliteDriver.open(file);
    try {
      await migrateSchema(driver, Date.now, { ...AUDIT_SCHEMA, migrations });
    } finally {
      await driver.close();
    }
  };
  /** Writes a chained log directly, as an older version of the store did (with or without the domain column). */
  const writeLegacy = (ddl: string, withDomain: boolean) =>
    raw((db) => {
      db.exec(ddl);
      let prev: { seq: number; hash: string } | null = null;
      for (const entry of [
        { actor: 'token:admin', action: 'token.create', target: 'token:w1', outcome: 'ok' as const },
        { actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok' as const, details: { events: 3 } },
      ]) {
        const record = chainAuditEntry(entry, prev);
        const params = recordToParams(record);
        db.prepare(`INSERT INTO audit_log VALUES (${params.slice(0, withDomain ? 10 : 9).map(() => '?').join(', ')})`).run(...params.slice(0, withDomain ? 10 : 9));
        prev = record;
      }
    });

  it('creates a new log at the newest version, every step recorded once', async () => {
    const store = SqliteAuditStore.open(file);
    await store.append([{ actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok', domain: 'sales' }]);
    expect((await store.list({ limit: 10 }))[0]).toMatchObject({ seq: 1, domain: 'sales' });
    await store.close();
    expect(columns()).toEqual(['seq', 'at', 'actor', 'action', 'target', 'outcome', 'details', 'prev_hash', 'hash', 'domain']);
    expect(versions()).toEqual(AUDIT_MIGRATIONS.map((m) => m.version));
    await SqliteAuditStore.open(file).close();
    expect(versions()).toEqual(AUDIT_MIGRATIONS.map((m) => m.version));
  });

  it.each([
    ['created by the unversioned store', UNVERSIONED, true],
    ['written before entries had a domain', BEFORE_DOMAIN, false],
    ["migrated by the audit log's own migrator", OWN_MIGRATOR, true],
  ])('opens a log %s, keeps its records and chain, and appends after them', async (_name, ddl, withDomain) => {
    writeLegacy(ddl, withDomain);
    const store = SqliteAuditStore.open(file);
    await store.append([{ actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok', domain: 'sales' }]);
    expect((await store.list({ limit: 10 })).map((r) => [r.seq, r.action, r.domain])).toEqual([
      [1, 'token.create', undefined],
      [2, 'ingest', undefined],
      [3, 'ingest', 'sales'],
    ]);
    expect(await store.verify()).toMatchObject({ ok: true });
    await store.close();
    expect(columns()).toContain('domain');
    expect(versions()).toEqual(AUDIT_MIGRATIONS.map((m) => m.version));
    if (ddl === OWN_MIGRATOR) expect(appliedAt()).toEqual([1000, 1000]); // nothing ran again
  });

  it('applies a later migration once to a log already at the previous version', async () => {
    await SqliteAuditStore.open(file).close();
    const later: Migration[] = [...AUDIT_MIGRATIONS, { version: 3, name: 'audit_log.request_id', addColumn: { table: 'audit_log', column: 'request_id', type: 'TEXT' } }];
    await migrate(later);
    await migrate(later);
    expect(columns()).toContain('request_id');
    expect(versions()).toEqual([1, 2, 3]);
  });

  it('leaves nothing applied when a step fails', async () => {
    await SqliteAuditStore.open(file).close();
    const broken: Migration[] = [
      ...AUDIT_MIGRATIONS,
      { version: 3, name: 'audit_log.a', addColumn: { table: 'audit_log', column: 'a', type: 'TEXT' } },
      { version: 4, name: 'broken', sql: { sqlite: 'ALTER TABLE no_such_table ADD COLUMN b TEXT', postgres: '' } },
    ];
    // the message, not rejects.toThrow: after another test file of the same Jest process loaded better-sqlite3, its
    // errors belong to that file's realm and are no Error here (libs/store/src/testing/sqlite-error-realm.ts)
    const failure = await migrate(broken).then(
      () => 'migrated',
      (error: { message?: unknown }) => String(error?.message),
    );
    expect(failure).toMatch(/no_such_table/);
    expect(columns()).not.toContain('a');
    expect(versions()).toEqual([1, 2]);
  });
});
