/**
 * The production store: PostgreSQL through a pg Pool; one transaction per ingest batch, one statement per table and
 * batch (COPY for plain inserts, INSERT ... unnest(arrays) or a VALUES list for upserts; postgres.driver.ts).
 */
import type { PoolConfig } from 'pg';
import { RelationalLineageStore } from './relational/relational.store';
import { PostgresDriver } from './sql/postgres.driver';

export class PostgresLineageStore extends RelationalLineageStore {
  private constructor(driver: PostgresDriver, clock?: () => number) {
    super(driver, clock);
  }

  /** Connects and migrates; fails (DomainError 'unavailable' from the factory) when the server does not answer. */
  static async open(url: string, opts: { clock?: () => number; pool?: PoolConfig; copyInserts?: boolean } = {}): Promise<PostgresLineageStore> {
    const driver = PostgresDriver.open(url, opts.pool, { copyInserts: opts.copyInserts ?? true });
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
