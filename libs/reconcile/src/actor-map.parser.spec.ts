/**
 * A configured actor is found under the spelling the warehouse reports: Snowflake stores unquoted user names
 * upper case (QUERY_HISTORY.USER_NAME `ETL_USER`), Redshift folds user names to lower case, BigQuery reports
 * `user_email` as Google keeps it (service accounts lower case); an actors file may spell them either way.
 */
import { actorMapping, parseActorMapFile } from './actor-map.parser';

const FILE = `
actors:
  etl_user: {job: "job:airflow:sales.load"}
  LOADER: {domain: sales}
  Airflow-SA@Proj.iam.gserviceaccount.com: {job: "job:airflow:mkt.sessions"}
  ops: {job: "job:airflow:ops.a"}
  OPS: {job: "job:airflow:ops.b"}
`;

describe('parseActorMapFile', () => {
  const actors = parseActorMapFile(FILE);
  it.each([
    ['Snowflake USER_NAME of an unquoted user', 'ETL_USER', { job: 'job:airflow:sales.load' }],
    ['as configured', 'etl_user', { job: 'job:airflow:sales.load' }],
    ['Redshift user name (folded to lower case)', 'loader', { domain: 'sales' }],
    ['BigQuery user_email of a service account', 'airflow-sa@proj.iam.gserviceaccount.com', { job: 'job:airflow:mkt.sessions' }],
    ['explicit spellings win over case variants (lower)', 'ops', { job: 'job:airflow:ops.a' }],
    ['explicit spellings win over case variants (upper)', 'OPS', { job: 'job:airflow:ops.b' }],
    ['an unconfigured actor', 'analyst@corp.com', undefined],
  ])('%s: %s', (_name, actor, mapping) => {
    expect(actorMapping(actors, actor)).toEqual(mapping);
  });

  it.each([
    ['a mixed-case report of a lower-case name', 'Airflow-SA@proj.IAM.gserviceaccount.com', { job: 'job:airflow:mkt.sessions' }],
    ['a quoted mixed-case Snowflake user', 'Etl_User', { job: 'job:airflow:sales.load' }],
    ['an exact spelling first', 'OPS', { job: 'job:airflow:ops.b' }],
    ['a mixed case of two spellings: the lower one', 'Ops', { job: 'job:airflow:ops.a' }],
    ['an unconfigured actor', 'Analyst@Corp.com', undefined],
    ['no actor', undefined, undefined],
  ])('actorMapping, %s: %s', (_name, actor, mapping) => {
    expect(actorMapping(actors, actor)).toEqual(mapping);
  });
});
