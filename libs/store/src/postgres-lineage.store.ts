/** The production store: PostgreSQL through a pg Pool; one transaction per ingest batch, multi-row inserts. */
import type { PoolConfig } from 'pg';
import { SqlLineageStore } from './sql-lineage.store';
import { PostgresDriver } from './sql/postgres.driver';

export class PostgresLineageStore extends SqlLineageStore {
  private constructor(driver: PostgresDriver, clock?: () => number) {
    super(driver, clock);
  }

  /** Connects and migrates; fails (DomainError 'unavailable' from the factory) when the server does not answer. */
  static async open(url: string, opts: { clock?: () => number; pool?: PoolConfig } = {}): Promise<PostgresLineageStore> {
    const store = new PostgresLineageStore(PostgresDriver.open(url, opts.pool), opts.clock);
    try {
      await store.migrate();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }
}
