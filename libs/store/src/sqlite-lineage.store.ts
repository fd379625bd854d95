/**
 * The embedded default: one SQLite file (WAL) per shard, or `:memory:` for tests. File stores write in time slices
 * with a read connection of their own (sql/sqlite.driver.ts), so reads are not held behind a large batch.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RelationalLineageStore } from './relational/relational.store';
import { SqliteDriver } from './sql/sqlite.driver';

export class SqliteLineageStore extends RelationalLineageStore {
  private constructor(driver: SqliteDriver, clock?: () => number) {
    super(driver, clock);
  }

  /** Opens (creating its folder) and migrates. `file` may be ':memory:'. */
  static async open(file: string, opts: { clock?: () => number } = {}): Promise<SqliteLineageStore> {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const store = new SqliteLineageStore(SqliteDriver.open(file, { sliced: true }), opts.clock);
    await store.migrate();
    return store;
  }
}
