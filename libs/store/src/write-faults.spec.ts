import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteDriver } from './sql/sqlite.driver';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';
import { describeWriteFaults } from './testing/write-faults.suite';

useThisRealmForSqliteErrors();

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describeWriteFaults('SQLite (file in a temp dir)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-faults-'));
  dirs.push(dir);
  const driver = SqliteDriver.open(path.join(dir, 'shard.db'));
  return { driver, close: () => driver.close() };
});

describeWriteFaults('SQLite (file, time-sliced transactions with a read connection, as the lineage store opens it)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-faults-sliced-'));
  dirs.push(dir);
  const driver = SqliteDriver.open(path.join(dir, 'shard.db'), { sliced: true });
  return { driver, close: () => driver.close() };
});
