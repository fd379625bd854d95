import { bigQueryJobId } from './query-id';

describe('bigQueryJobId', () => {
  it.each([
    ['acme-analytics:US.airflow_1733571_5f2c', 'airflow_1733571_5f2c'],
    ['my-project-1234:US.bquijob_123x456_123y123z123c', 'bquijob_123x456_123y123z123c'],
    ['example.com:acme:europe-west1.job_-abc', 'job_-abc'],
    // Snowflake, Redshift and other ids are compared as they are
    ['01b2c3d4-0000-1111-0000-000000000001', null],
    ['5008', null],
    ['xid:777:10', null],
    ['Account:ann@x.com:1-2', null],
  ])('%s -> %s', (id, bare) => expect(bigQueryJobId(id)).toBe(bare));
});
