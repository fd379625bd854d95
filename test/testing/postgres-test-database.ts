/**
 * A fresh PostgreSQL database for one test file (127.0.0.1:5432 unless STORE_TEST_PG_URL says otherwise): made by
 * createTempDatabase in beforeAll, dropped (FORCE) in afterAll, with a fresh schema name per test. Fails loudly
 * when PostgreSQL is unreachable. Call at the top level of a test file; read `url` inside tests and hooks.
 */
import { Client } from 'pg';
import { createTempDatabase, PG_ADMIN_URL } from './shard-test-kit';

export interface PostgresTestDatabase {
  /** The test database's connection string (there once beforeAll has run). */
  readonly url: string;
  /** A schema name not used before in this file: `letter` then a running number (`t1`, `f2`...). */
  nextSchema(letter: string): string;
  /** Creates `schema` in the test database. */
  createSchema(schema: string): Promise<void>;
}

export const usePostgresTestDatabase = (prefix: string): PostgresTestDatabase => {
  let db: { url: string; drop(): Promise<void> } | undefined;
  let schemas = 0;
  beforeAll(async () => {
    db = await createTempDatabase(prefix, process.env.STORE_TEST_PG_URL ?? PG_ADMIN_URL);
  });
  afterAll(async () => {
    await db?.drop();
  });
  const url = (): string => {
    if (!db) throw new Error('the test database is made in beforeAll: read its url inside a test or a hook');
    return db.url;
  };
  return {
    get url() {
      return url();
    },
    nextSchema: (letter) => `${letter}${++schemas}`,
    createSchema: async (schema) => {
      const side = new Client({ connectionString: url() });
      await side.connect();
      await side.query(`CREATE SCHEMA ${schema}`);
      await side.end();
    },
  };
};
