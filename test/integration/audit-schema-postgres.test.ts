/**
 * The audit log's versioned schema on real PostgreSQL: a log created by the store before its schema was versioned
 * (the DDL it ran at every open) opens, keeps its chain and is recorded at the newest version; stores opening a new
 * database together migrate it once; a later step applies once; a log the audit log's own migrator made (before
 * libs/store's migrator ran its steps) opens as it is. Fails loudly when PostgreSQL is not there.
 */
import { Client, Pool } from 'pg';
import { AUDIT_MIGRATIONS, AUDIT_SCHEMA, chainAuditEntry, PostgresAuditStore, recordToParams } from '@lineage-hub/auth';
import { migrateSchema, PostgresDriver, type Migration } from '@lineage-hub/store';
import { createTempDatabase } from '../testing/shard-test-kit';

/** The DDL PostgresAuditStore ran on first use before its schema was versioned. */
const UNVERSIONED = `CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
  outcome TEXT NOT NULL, details TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, domain TEXT);
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS domain TEXT`;

describe('audit log schema migrations on PostgreSQL', () => {
  let db: { url: string; drop(): Promise<void> };
  beforeEach(async () => {
    db = await createTempDatabase('lh_audit_schema');
  });
  afterEach(() => db.drop());

  const sql = async <T extends Record<string, unknown>>(statement: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(statement, params)).rows;
    } finally {
      await client.end();
    }
  };
  const versions = async () => (await sql<{ version: number }>('SELECT version FROM audit_schema_migrations ORDER BY version')).map((r) => r.version);
  const columns = async () =>
    (await sql<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_log' ORDER BY ordinal_position`)).map((r) => r.column_name);

  it('opens a log created by the unversioned store, keeps its chain and appends after it', async () => {
    await sql(UNVERSIONED);
    const first = chainAuditEntry({ actor: 'token:admin', action: 'token.create', target: 'token:w1', outcome: 'ok' }, null);
    await sql(`INSERT INTO audit_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, recordToParams(first));
    const store = PostgresAuditStore.open(db.url);
    try {
      await store.append([{ actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok', domain: 'sales' }]);
      expect((await store.list({ limit: 10 })).map((r) => [r.seq, r.action, r.domain])).toEqual([
        [1, 'token.create', undefined],
        [2, 'ingest', 'sales'],
      ]);
      expect(await store.verify()).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
    expect(await versions()).toEqual(AUDIT_MIGRATIONS.map((m) => m.version));
  });

  it("opens a log migrated by the audit log's own migrator as it is: its rows kept, nothing applied again", async () => {
    await sql(UNVERSIONED);
    await sql('CREATE TABLE audit_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    await sql(`INSERT INTO audit_schema_migrations VALUES (1, 'audit_log', 1000), (2, 'audit_log.domain', 1000)`);
    const first = chainAuditEntry({ actor: 'token:admin', action: 'token.create', target: 'token:w1', outcome: 'ok', domain: 'sales' }, null);
    await sql(`INSERT INTO audit_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, recordToParams(first));
    for (let restart = 0; restart < 2; restart += 1) {
      const store = PostgresAuditStore.open(db.url);
      try {
        await store.append([{ actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok', domain: 'sales' }]);
        expect(await store.verify()).toMatchObject({ ok: true });
      } finally {
        await store.close();
      }
    }
    expect((await sql<{ seq: string; domain: string }>('SELECT seq, domain FROM audit_log ORDER BY seq')).map((r) => [Number(r.seq), r.domain])).toEqual([
      [1, 'sales'],
      [2, 'sales'],
      [3, 'sales'],
    ]);
    expect((await sql<{ applied_at: string }>('SELECT applied_at FROM audit_schema_migrations ORDER BY version')).map((r) => Number(r.applied_at))).toEqual([1000, 1000]);
  });

  it('migrates a new database once when several stores open it together, then a later step once', async () => {
    const stores = [1, 2, 3].map(() => PostgresAuditStore.open(db.url));
    try {
      await Promise.all(stores.map((store, i) => store.append([{ actor: `token:w${i}`, action: 'ingest', target: 'sales', outcome: 'ok' }])));
      expect(await stores[0].verify()).toMatchObject({ ok: true });
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
    expect(await columns()).toEqual(['seq', 'at', 'actor', 'action', 'target', 'outcome', 'details', 'prev_hash', 'hash', 'domain']);
    expect(await versions()).toEqual(AUDIT_MIGRATIONS.map((m) => m.version));

    const later: Migration[] = [...AUDIT_MIGRATIONS, { version: 3, name: 'audit_log.request_id', addColumn: { table: 'audit_log', column: 'request_id', type: 'TEXT' } }];
    const driver = new PostgresDriver(new Pool({ connectionString: db.url }));
    try {
      await Promise.all([migrateSchema(driver, Date.now, { ...AUDIT_SCHEMA, migrations: later }), migrateSchema(driver, Date.now, { ...AUDIT_SCHEMA, migrations: later })]);
    } finally {
      await driver.close();
    }
    expect(await columns()).toContain('request_id');
    expect(await versions()).toEqual([1, 2, 3]);
  });
});
