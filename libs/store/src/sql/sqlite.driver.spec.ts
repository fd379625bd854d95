import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDriver, SQLITE_PAGE_SIZE } from './sqlite.driver';

describe('SqliteDriver, time-sliced (file database)', () => {
  let dir: string;
  let driver: SqliteDriver;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lh-sliced-'));
    driver = SqliteDriver.open(path.join(dir, 'db.sqlite'), { sliced: true });
    await driver.script('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  });
  afterEach(async () => {
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [from + i, 'x'.repeat(200)]);

  it('checkpoints the WAL from its worker thread, not in the COMMIT (the writer only past 64 MiB of WAL)', async () => {
    expect(driver.db.pragma('page_size', { simple: true })).toBe(SQLITE_PAGE_SIZE);
    expect(Number(driver.db.pragma('wal_autocheckpoint', { simple: true })) * SQLITE_PAGE_SIZE).toBe(64 * 1024 * 1024);
    const file = path.join(dir, 'db.sqlite');
    await driver.insertRows('t', ['id', 'v'], rows(5000)); // ~1.1 MB of pages, far below the writer's threshold
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000); // the commit wrote the WAL only
    for (let i = 0; i < 50 && statSync(file).size <= 1_000_000; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(1_000_000); // backfilled by the checkpointer within ~100 ms
    expect(await driver.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 5000 }]);
  });

  it('creates a file with SQLITE_PAGE_SIZE pages; a file that exists keeps its own page size, and its threshold is the same 64 MiB', async () => {
    const file = path.join(dir, 'old.sqlite');
    const old = new Database(file); // SQLite's default page size, as files created before SQLITE_PAGE_SIZE
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE u (id INTEGER PRIMARY KEY)');
    old.close();
    const reopened = SqliteDriver.open(file, { sliced: true });
    try {
      expect(reopened.db.pragma('page_size', { simple: true })).toBe(4096);
      expect(reopened.db.pragma('wal_autocheckpoint', { simple: true })).toBe(16384);
      await reopened.insertRows('u', ['id'], [[1], [2]]);
      expect(await reopened.query('SELECT count(*) AS n FROM u')).toEqual([{ n: 2 }]);
    } finally {
      await reopened.close();
    }
  });

  it('close() closes the checkpointer\'s connection first, so the writer\'s close is the last one (it checkpoints and removes the WAL)', async () => {
    const file = path.join(dir, 'other.sqlite');
    const other = SqliteDriver.open(file, { sliced: true });
    await other.script('CREATE TABLE u (id INTEGER PRIMARY KEY)');
    expect(existsSync(`${file}-wal`)).toBe(true);
    await other.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });
  it('gives the event loop back during a long transaction, and reads meanwhile see only committed rows', async () => {
    expect(driver.sliced).toBe(true);
    await driver.insertRows('t', ['id', 'v'], rows(10));
    const seen: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
      void driver.query<{ n: number }>('SELECT count(*) AS n FROM t').then(([r]) => seen.push(r.n));
    }, 0);
    try {
      await driver.transaction(async (tx) => {
        for (let i = 0; i < 20; i += 1) await tx.insertRows('t', ['id', 'v'], rows(2000, 10 + i * 2000));
      });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0); // timers ran while the transaction was open
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n === 10 || n === 40_010)).toBe(true); // never a half-written transaction
    expect((await driver.query<{ n: number }>('SELECT count(*) AS n FROM t'))[0].n).toBe(40_010);
  });

  it('runs a transaction\'s statements in call order, including those sent and not awaited', async () => {
    await driver.transaction(async (tx) => {
      void tx.insertRows('t', ['id', 'v'], rows(3000));
      void tx.execute('UPDATE t SET v = ? WHERE id = ?', ['last', 2999]);
      const [row] = await tx.query<{ v: string }>('SELECT v FROM t WHERE id = ?', [2999]);
      expect(row.v).toBe('last');
    });
  });

  it('rolls back everything when a statement fails after the transaction has yielded', async () => {
    await expect(
      driver.transaction(async (tx) => {
        await tx.insertRows('t', ['id', 'v'], rows(5000));
        await tx.pause?.();
        await tx.insertRows('t', ['id', 'v'], rows(1)); // duplicate primary key
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/UNIQUE|constraint/i) }); // better-sqlite3's error class may come from another realm under jest
    expect((await driver.query<{ n: number }>('SELECT count(*) AS n FROM t'))[0].n).toBe(0);
  });

  it('makes a plain write wait for the open transaction instead of joining it', async () => {
    let release: () => void = () => undefined;
    const open = driver.transaction(async (tx) => {
      await tx.insertRows('t', ['id', 'v'], rows(1));
      await new Promise<void>((resolve) => (release = resolve));
      throw new Error('abandoned');
    });
    const plain = driver.execute('INSERT INTO t (id, v) VALUES (?, ?)', [100, 'plain']);
    await new Promise((r) => setImmediate(r));
    release();
    await expect(open).rejects.toThrow('abandoned');
    await plain;
    expect((await driver.query<{ id: number }>('SELECT id FROM t')).map((r) => r.id)).toEqual([100]);
  });
});

describe('SqliteDriver, :memory:', () => {
  it('is never sliced (one connection: a transaction must not let reads in)', async () => {
    const driver = SqliteDriver.open(':memory:', { sliced: true });
    expect(driver.sliced).toBe(false);
    await driver.close();
  });
});
