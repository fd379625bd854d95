/**
 * The store conformance suite against a real PostgreSQL (127.0.0.1:5432 unless STORE_TEST_PG_URL says otherwise):
 * a fresh database per run (lh_store_<random>), a fresh schema per test, dropped at the end.
 * Fails loudly when PostgreSQL is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createStore, PostgresLineageStore } from '@lineage-hub/store';
import { describeStoreConformance } from '../../libs/store/src/testing/store-conformance';
import { postgresSchemaHarness } from '../../libs/store/src/testing/store-harnesses';
import { describeWriteFaults } from '../../libs/store/src/testing/write-faults.suite';
import { describeStoreRefusals } from '../../libs/store/src/testing/store-refusals.suite';
import { describeDerivedVerify } from '../../libs/store/src/testing/derived-verify.suite';
import { PostgresDriver } from '../../libs/store/src/sql/postgres.driver';

const admin = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `lh_store_${randomBytes(5).toString('hex')}`;
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

describeStoreConformance('PostgreSQL', () => postgresSchemaHarness(url, `t${++schemas}`));

describe('createStore(postgres://...)', () => {
  it('migrates a fresh database and reports an unreachable server as unavailable', async () => {
    const store = await createStore(url);
    expect(await store.stats()).toEqual({ events: 0, datasets: 0, jobs: 0, runs: 0, edges: 0 });
    await store.close();
    await expect(createStore('postgres://postgres@127.0.0.1:1/nowhere')).rejects.toMatchObject({ code: 'unavailable', field: 'STORE_URL' });
  });
});

describeWriteFaults('PostgreSQL', async () => {
  const schema = `f${++schemas}`;
  const side = new Client({ connectionString: url });
  await side.connect();
  await side.query(`CREATE SCHEMA ${schema}`);
  await side.end();
  const driver = PostgresDriver.open(url, { options: `-c search_path=${schema}` });
  return { driver, ready: () => driver.loadColumnTypes(), close: () => driver.close() };
});

describeStoreRefusals('PostgreSQL', async () => {
  const schema = `r${++schemas}`;
  const side = new Client({ connectionString: url });
  await side.connect();
  await side.query(`CREATE SCHEMA ${schema}`);
  await side.end();
  const store = await PostgresLineageStore.open(url, { pool: { options: `-c search_path=${schema}` } });
  return { store, dialect: 'postgres', exec: async () => undefined, close: () => store.close() };
});

describeDerivedVerify('PostgreSQL', () => postgresSchemaHarness(url, `d${++schemas}`));
