/**
 * The findings store conformance suite against a real PostgreSQL (127.0.0.1:5432 unless STORE_TEST_PG_URL says
 * otherwise): a fresh database per run, a fresh schema per test, dropped at the end. Fails loudly without PostgreSQL.
 */
import { describeFindingsConformance } from '../../libs/store/src/testing/findings-conformance';
import { postgresSchemaHarness } from '../../libs/store/src/testing/store-harnesses';
import { usePostgresTestDatabase } from '../testing/postgres-test-database';

const pg = usePostgresTestDatabase('lh_findings');

describeFindingsConformance('PostgreSQL', () => postgresSchemaHarness(pg.url, pg.nextSchema('t')));
