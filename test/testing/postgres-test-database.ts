/**
 * A fresh PostgreSQL database for one test file (127.0.0.1:5432 unless STORE_TEST_PG_URL says otherwise): created in
 * beforeAll as `<prefix>_<random>`, dropped (FORCE) in afterAll, with a fresh schema name per test. Fails loudly
 * when PostgreSQL is unreachable. Call at the top level of a test file.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface PostgresTestDatabase {
  /** The test database's connection string. */
  url: string;
  /** A schema name not used before in this file: `letter` then a running number (`t1`, `f2`...). */
  nextSchema(letter: string): string;
  /** Creates `schema` in the test database. */
  createSchema(schema: string): Promise<void>;
}

export const usePostgresTestDatabase = (prefix: string): PostgresTestDatabase => {
  const admin = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `${prefix}_${randomBytes(5).toString('hex')}`;
  const url = admin.replace(/\/[^/]*$/, `/${database}`);
  let schemas = 0;

  beforeAll(async () => {
    const client = new Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`PostgreSQL is not reachable at ${admin}: ${(error as Error).message}`);
    }
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
  });

  afterAll(async () => {
    const client = new Client({ connectionString: admin });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  });

  return {
    url,
    nextSchema: (letter) => `${letter}${++schemas}`,
    createSchema: async (schema) => {
      const side = new Client({ connectionString: url });
      await side.connect();
      await side.query(`CREATE SCHEMA ${schema}`);
      await side.end();
    },
  };
};
