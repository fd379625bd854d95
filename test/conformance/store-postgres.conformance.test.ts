/**
 * Conformance (needs ../shared): the store checks on the OpenLineage compatibility events against a real PostgreSQL (127.0.0.1:5432 unless STORE_TEST_PG_URL says otherwise):
 * a fresh database per run (lh_store_<random>), a fresh schema per test, dropped at the end.
 * Fails loudly when PostgreSQL is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeStoreSharedEventConformance } from '../../libs/store/src/testing/store-shared-events.conformance';
import { postgresSchemaHarness } from '../../libs/store/src/testing/store-harnesses';

const admin = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `lh_store_conf_${randomBytes(5).toString('hex')}`;
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

describeStoreSharedEventConformance('PostgreSQL', () => postgresSchemaHarness(url, `t${++schemas}`));
