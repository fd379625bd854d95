/**
 * Conformance (needs ../shared): the store checks on the OpenLineage compatibility events against a real PostgreSQL (127.0.0.1:5432 unless STORE_TEST_PG_URL says otherwise):
 * a fresh database per run (lh_store_<random>), a fresh schema per test, dropped at the end.
 * Fails loudly when PostgreSQL is unreachable.
 */
import { describeStoreSharedEventConformance } from '../../libs/store/src/testing/store-shared-events.conformance';
import { postgresSchemaHarness } from '../../libs/store/src/testing/store-harnesses';
import { usePostgresTestDatabase } from '../testing/postgres-test-database';

const pg = usePostgresTestDatabase('lh_store_conf');

describeStoreSharedEventConformance('PostgreSQL', () => postgresSchemaHarness(pg.url, pg.nextSchema('t')));
