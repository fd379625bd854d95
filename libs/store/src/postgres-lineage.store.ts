/** The production store: PostgreSQL through a pg Pool; one transaction per ingest batch, one INSERT ... unnest(arrays) per table and batch. */
import type { PoolConfig } from 'pg';
import { RelationalLineageStore } from './relational/relational.store';
import { PostgresDriver } from './sql/postgres.driver';

export class PostgresLineageStore extends RelationalLineageStore {
  private constructor(driver: PostgresDriver, clock?: () => number) {
    super(driver, clock);
  }

  /** Connects and migrates; fails (DomainError 'unavailable' from the factory) when the server does not answer. */
  static async open(url: string, opts: { clock?: () => number; pool?: PoolConfig } = {}): Promise<PostgresLineageStore> {
    const driver = PostgresDriver.open(url, opts.pool);
    const store = new PostgresLineageStore(driver, opts.clock);
    try {
      await store.migrate();
      await driver.loadColumnTypes();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }
}
