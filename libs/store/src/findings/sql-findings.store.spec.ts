import path from 'node:path';
import { describeFindingsConformance } from '../testing/findings-conformance';
import { useThisRealmForSqliteErrors } from '../testing/sqlite-error-realm';
import { sqliteFileHarness, tempDirs } from '../testing/store-harnesses';

useThisRealmForSqliteErrors();

const tempDir = tempDirs('lh-findings-');

describeFindingsConformance('SQLite (file in a temp dir)', () => sqliteFileHarness(path.join(tempDir(), 'shard.db')));
