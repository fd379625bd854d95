/** Conformance (needs ../shared): the SQLite store on the OpenLineage compatibility events. */
import path from 'node:path';
import { useThisRealmForSqliteErrors } from './testing/sqlite-error-realm';
import { sqliteFileHarness, tempDirs } from './testing/store-harnesses';
import { describeStoreSharedEventConformance } from './testing/store-shared-events.conformance';

useThisRealmForSqliteErrors();

const tempDir = tempDirs('lh-store-conf-');

describeStoreSharedEventConformance('SQLite (file in a temp dir)', () => sqliteFileHarness(path.join(tempDir(), 'shard.db')));
