/**
 * The findings store conformance suite against a real PostgreSQL (127.0.0.1:5432 unless STORE_TEST_PG_URL says
 * otherwise): a fresh database per run, a fresh schema per test, dropped at the end. Fails loudly without PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { describeFindingsConformance } from '../../libs/store/src/testing/findings-conformance';
import { postgresSchemaHarness } from '../../libs/store/src/testing/store-harnesses';

const admin = process.env.STORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `lh_findings_${randomBytes(5).toString('hex')}`;
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

describeFindingsConformance('PostgreSQL', () => postgresSchemaHarness(url, `t${++schemas}`));
