/**
 * Jest runs every test file in its own realm (its own `Error`), but a native addon is loaded once per process and
 * shared by every file. better-sqlite3 hands its `SqliteError` class to the addon only on the addon's first load
 * (`if (!addon.isInitialized) addon.setErrorConstructor(SqliteError)` in better-sqlite3/lib/database.js), so in any
 * later test file of the same process (`jest --runInBand`, after e.g. an integration test started a shard on SQLite)
 * every SQLite error is an instance of the FIRST file's SqliteError. In this file's realm that value is not
 * `instanceof Error` and has no [[ErrorData]], so `expect(promise).rejects.toThrow(...)` reports "Received function
 * did not throw" although the store did reject. Production runs one realm and never sees this.
 *
 * Calling this at the top of a test file re-registers this realm's SqliteError, so the file's SQLite errors are
 * ordinary Errors again whatever ran before it.
 */
import path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports -- the native addon and an internal module, loaded by path */
export const useThisRealmForSqliteErrors = (): void => {
  const root = path.dirname(require.resolve('better-sqlite3/package.json'));
  // the same module object better-sqlite3 loaded (Node caches native modules by file name)
  const addon = require(path.join(root, 'build', 'Release', 'better_sqlite3.node')) as { setErrorConstructor(ctor: unknown): void };
  addon.setErrorConstructor(require('better-sqlite3/lib/sqlite-error'));
};
