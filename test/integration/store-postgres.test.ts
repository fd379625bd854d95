/**
 * The store conformance suite against a real PostgreSQL (127.0.0.1:5432 unless STORE_TEST_PG_URL says otherwise):
 * a fresh database per run (lh_store_<random>), a fresh schema per test, dropped at the end.
 * Fails loudly when PostgreSQL is unreachable.
 */
import { createStore, PostgresLineageStore } from '@lineage-hub/store';
import { describeStoreConformance } from '../../libs/store/src/testing/store-conformance';
import { postgresSchemaHarness } from '../../libs/store/src/testing/store-harnesses';
import { describeWriteFaults } from '../../libs/store/src/testing/write-faults.suite';
import { describeStoreRefusals } from '../../libs/store/src/testing/store-refusals.suite';
import { describeDerivedVerify } from '../../libs/store/src/testing/derived-verify.suite';
import { describeOrderIndependence } from '../../libs/store/src/testing/order-independence.suite';
import { PostgresDriver } from '../../libs/store/src/sql/postgres.driver';
import { usePostgresTestDatabase } from '../testing/postgres-test-database';

const pg = usePostgresTestDatabase('lh_store');

describeStoreConformance('PostgreSQL', () => postgresSchemaHarness(pg.url, pg.nextSchema('t')));

describeOrderIndependence('PostgreSQL', () => postgresSchemaHarness(pg.url, pg.nextSchema('o')), [1, 2, 3, 21, 59]);

describe('createStore(postgres://...)', () => {
  it('migrates a fresh database and reports an unreachable server as unavailable', async () => {
    const store = await createStore(pg.url);
    expect(await store.stats()).toEqual({ events: 0, datasets: 0, jobs: 0, runs: 0, edges: 0 });
    await store.close();
    await expect(createStore('postgres://postgres@127.0.0.1:1/nowhere')).rejects.toMatchObject({ code: 'unavailable', field: 'STORE_URL' });
  });
});

describeWriteFaults('PostgreSQL', async () => {
  const schema = pg.nextSchema('f');
  await pg.createSchema(schema);
  const driver = PostgresDriver.open(pg.url, { options: `-c search_path=${schema}` });
  return { driver, ready: () => driver.loadColumnTypes(), close: () => driver.close() };
});

describeStoreRefusals('PostgreSQL', async () => {
  const schema = pg.nextSchema('r');
  await pg.createSchema(schema);
  const store = await PostgresLineageStore.open(pg.url, { pool: { options: `-c search_path=${schema}` } });
  return { store, dialect: 'postgres', exec: async () => undefined, close: () => store.close() };
});

describeDerivedVerify('PostgreSQL', () => postgresSchemaHarness(pg.url, pg.nextSchema('d')));
