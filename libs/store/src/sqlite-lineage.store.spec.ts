import path from 'node:path';
import { SqliteLineageStore } from './sqlite-lineage.store';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';
import { sqliteFileHarness, tempDirs } from './testing/store-harnesses';
import { describeStoreConformance } from './testing/store-conformance';
import { describeStoreRefusals } from './testing/store-refusals.suite';

// SQLite errors must be this file's Errors even when another test file in the same Jest process loaded SQLite first
useThisRealmForSqliteErrors();

const tempDir = tempDirs('lh-store-');

describeStoreConformance('SQLite (file in a temp dir)', () => sqliteFileHarness(path.join(tempDir(), 'nested', 'shard.db')));

describeStoreRefusals('SQLite (file in a temp dir)', async () => {
  const store = await SqliteLineageStore.open(path.join(tempDir(), 'shard.db'));
  return { store, dialect: 'sqlite', exec: async () => undefined, close: () => store.close() };
});
