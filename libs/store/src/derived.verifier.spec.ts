import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteLineageStore } from './sqlite-lineage.store';
import { describeDerivedVerify } from './testing/derived-verify.suite';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';

useThisRealmForSqliteErrors();

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describeDerivedVerify('SQLite (file in a temp dir)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lh-derived-'));
  dirs.push(dir);
  const file = path.join(dir, 'shard.db');
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
