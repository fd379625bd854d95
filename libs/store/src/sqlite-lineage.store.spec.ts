import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteLineageStore } from './sqlite-lineage.store';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';
import { describeStoreConformance } from './testing/store-conformance';
import { describeStoreRefusals } from './testing/store-refusals.suite';

// SQLite errors must be this file's Errors even when another test file in the same Jest process loaded SQLite first
useThisRealmForSqliteErrors();

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describeStoreConformance('SQLite (file in a temp dir)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-store-'));
  dirs.push(dir);
  const file = path.join(dir, 'nested', 'shard.db');
  const store = await SqliteLineageStore.open(file);
  const side = new Database(file);
  return {
    store,
    dialect: 'sqlite',
    exec: async (sql) => {
      side.exec(sql);
    },
    close: async () => {
      side.close();
      await store.close();
    },
  };
});

describeStoreRefusals('SQLite (file in a temp dir)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-store-'));
  dirs.push(dir);
  const store = await SqliteLineageStore.open(path.join(dir, 'shard.db'));
  return { store, dialect: 'sqlite', exec: async () => undefined, close: () => store.close() };
});
