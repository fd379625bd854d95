import path from 'node:path';
import { describeDerivedVerify } from './testing/derived-verify.suite';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';
import { sqliteFileHarness, tempDirs } from './testing/store-harnesses';

useThisRealmForSqliteErrors();

const tempDir = tempDirs('lh-derived-');

describeDerivedVerify('SQLite (file in a temp dir)', () => sqliteFileHarness(path.join(tempDir(), 'shard.db')));
