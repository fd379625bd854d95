/**
 * The audit chain on both real stores: an entry edited or deleted directly in SQLite or PostgreSQL (bypassing the
 * API) is found by verify(), with the seq where the chain breaks. Fails loudly when PostgreSQL is not there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { AuditLog, PostgresAuditStore, SqliteAuditStore, type AuditStore } from '@lineage-hub/auth';
import { createTempDatabase } from '../testing/shard-test-kit';

const ENTRIES = [
  { actor: 'token:admin', action: 'token.create', target: 'token:w1', outcome: 'ok' as const },
  { actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok' as const, details: { events: 12 } },
  { actor: 'anonymous', action: 'request.refused', target: 'GET /api/v1/impact -> 401', outcome: 'denied' as const },
  { actor: 'token:admin', action: 'token.revoke', target: 'token:w1', outcome: 'ok' as const },
];

interface Backend {
  open(): Promise<AuditStore>;
  /** Runs SQL directly against the database, as an attacker with database access would. */
  sql(statement: string): Promise<void>;
  cleanup(): Promise<void>;
}

const sqlite = (): Backend => {
  const dir = mkdtempSync(join(tmpdir(), 'lh-audit-'));
  const file = join(dir, 'audit.db');
  return {
    open: async () => SqliteAuditStore.open(file),
    sql: async (statement) => {
      const db = new Database(file);
      db.exec(statement);
      db.close();
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

const postgres = async (): Promise<Backend> => {
  const db = await createTempDatabase('lh_audit');
  return {
    open: async () => PostgresAuditStore.open(db.url),
    sql: async (statement) => {
      const client = new Client({ connectionString: db.url });
      await client.connect();
      await client.query(statement);
      await client.end();
    },
    cleanup: () => db.drop(),
  };
};

describe.each([
  ['SQLite', async () => sqlite()],
  ['PostgreSQL', postgres],
])('audit chain on %s', (_name, makeBackend) => {
  let backend: Backend;
  let store: AuditStore;

  beforeEach(async () => {
    backend = await makeBackend();
    store = await backend.open();
    const log = new AuditLog(store);
    for (const entry of ENTRIES.slice(0, 2)) await log.record(entry);
    await Promise.all(ENTRIES.slice(2).map((entry) => log.record(entry)));
  });
  afterEach(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('appends in order, survives a reopen and verifies', async () => {
    await store.close();
    store = await backend.open();
    const records = await store.list({ limit: 10 });
    expect(records.map((r) => [r.seq, r.action])).toEqual(ENTRIES.map((e, i) => [i + 1, e.action]));
    expect(records[1].details).toEqual({ events: 12 });
    expect(await store.verify()).toEqual({ ok: true, checked: 4 });
    expect((await store.list({ limit: 10, afterSeq: 2, actor: 'token:admin' })).map((r) => r.seq)).toEqual([4]);
  });

  it.each([
    ['an edited outcome', `UPDATE audit_log SET outcome = 'ok' WHERE seq = 3`, 3],
    ['edited details', `UPDATE audit_log SET details = '{"events":1}' WHERE seq = 2`, 2],
    ['an edited actor', `UPDATE audit_log SET actor = 'token:someone-else' WHERE seq = 1`, 1],
    ['a deleted row', `DELETE FROM audit_log WHERE seq = 2`, 3],
    ['the first rows deleted (no retention record)', `DELETE FROM audit_log WHERE seq <= 2`, 3],
  ])('detects %s made directly in the database', async (_what, statement, brokenAt) => {
    await backend.sql(statement);
    const result = await store.verify();
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toBe(brokenAt);
  });

  it('retention removes old records and the rest still verifies; a forged anchor or a later removal is detected', async () => {
    // everything appended so far is older than the cut; the newest record is always kept
    expect(await store.prune(new Date(Date.now() + 60_000))).toEqual({ deleted: 3 });
    const left = await store.list({ limit: 10 });
    expect(left.map((r) => [r.seq, r.action])).toEqual([
      [4, 'token.revoke'],
      [5, 'audit.retention'],
    ]);
    expect(left[1].details).toEqual(expect.objectContaining({ through: 3, deleted: 3 }));
    expect(await store.verify()).toEqual({ ok: true, checked: 2 });
    expect(await store.prune(new Date(0))).toEqual({ deleted: 0 });
    await backend.sql(`DELETE FROM audit_log WHERE seq = 4`);
    expect(await store.verify()).toEqual(expect.objectContaining({ ok: false, brokenAt: 5 }));
  });

  it('retention per domain: only that domain\'s old records go and the rest verifies; the default takes the others; a removal outside retention is detected', async () => {
    const log = new AuditLog(store);
    await log.record({ actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok', domain: 'sales', details: { events: 3 } }); // 5
    await log.record({ actor: 'token:w2', action: 'ingest', target: 'finance', outcome: 'ok', domain: 'finance' }); // 6
    await log.record({ actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok', domain: 'sales' }); // 7
    await log.record({ actor: 'token:admin', action: 'token.create', target: 'token:x', outcome: 'ok' }); // 8
    expect((await store.list({ limit: 10, afterSeq: 4 }))[0]).toMatchObject({ seq: 5, domain: 'sales' });
    const later = new Date(Date.now() + 60_000);
    expect(await store.prune(later, { domain: 'sales' })).toEqual({ deleted: 2 });
    const left = await store.list({ limit: 20 });
    expect(left.map((r) => r.seq)).toEqual([1, 2, 3, 4, 6, 8, 9]);
    expect(left[6]).toMatchObject({ action: 'audit.retention', details: { domain: 'sales', deleted: 2, ranges: [[5, 5, expect.any(String)], [7, 7, expect.any(String)]] } });
    expect(await store.verify()).toEqual({ ok: true, checked: 7 });
    // the default retention: every record of a domain without its own, and of no domain; retention records stay
    expect(await store.prune(later, { exceptDomains: ['sales'] })).toEqual({ deleted: 6 });
    expect((await store.list({ limit: 20 })).map((r) => r.seq)).toEqual([9, 10]);
    expect(await store.verify()).toEqual({ ok: true, checked: 2 });
    await backend.sql('DELETE FROM audit_log WHERE seq = 9');
    expect(await store.verify()).toEqual(expect.objectContaining({ ok: false, brokenAt: 10 }));
  });

  it('a domain\'s record edited after a retention run is still detected', async () => {
    const log = new AuditLog(store);
    await log.record({ actor: 'token:w1', action: 'ingest', target: 'sales', outcome: 'ok', domain: 'sales' }); // 5
    await log.record({ actor: 'token:w2', action: 'ingest', target: 'finance', outcome: 'ok', domain: 'finance' }); // 6
    await store.prune(new Date(Date.now() + 60_000), { domain: 'sales' });
    await backend.sql(`UPDATE audit_log SET domain = 'sales' WHERE seq = 6`);
    expect(await store.verify()).toEqual(expect.objectContaining({ ok: false, brokenAt: 6 }));
  });
});
