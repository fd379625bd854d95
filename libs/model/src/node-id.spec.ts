import {
  datasetFieldId,
  datasetId,
  fieldDataset,
  formatNodeId,
  jobId,
  NodeIdError,
  nodeKind,
  parseNodeId,
  type ParsedNodeId,
  runId,
} from './node-id';

describe('node ids', () => {
  const roundTrips: Array<[string, ParsedNodeId]> = [
    ['dataset:s3://b:2024/x', { kind: 'dataset', namespace: 's3://b', name: '2024/x' }],
    ['dataset:oracle://h:1521:schema.table', { kind: 'dataset', namespace: 'oracle://h:1521', name: 'schema.table' }],
    ['dataset:postgres://db.local:5432:shop.public.orders', { kind: 'dataset', namespace: 'postgres://db.local:5432', name: 'shop.public.orders' }],
    ['dataset:bigquery:proj.ds.orders', { kind: 'dataset', namespace: 'bigquery', name: 'proj.ds.orders' }],
    ['dataset:snowflake://org-acct:ANALYTICS.PUBLIC.ORDERS', { kind: 'dataset', namespace: 'snowflake://org-acct', name: 'ANALYTICS.PUBLIC.ORDERS' }],
    ['dataset:food_delivery:public.orders', { kind: 'dataset', namespace: 'food_delivery', name: 'public.orders' }],
    // names starting with a digit
    ['dataset:kafka://broker:9092:2024_events', { kind: 'dataset', namespace: 'kafka://broker:9092', name: '2024_events' }],
    ['dataset:gs://bucket:9/part-0001.parquet', { kind: 'dataset', namespace: 'gs://bucket', name: '9/part-0001.parquet' }],
    ['dataset:warehouse:1st_table', { kind: 'dataset', namespace: 'warehouse', name: '1st_table' }],
    // names holding colons
    ['dataset:kafka://broker:9092:topic:v1', { kind: 'dataset', namespace: 'kafka://broker:9092', name: 'topic:v1' }],
    ['dataset:bigquery:example.com:proj.ds.t', { kind: 'dataset', namespace: 'bigquery', name: 'example.com:proj.ds.t' }],
    ['dataset:s3://b:logs/2024-01-01T00:00:00Z.json', { kind: 'dataset', namespace: 's3://b', name: 'logs/2024-01-01T00:00:00Z.json' }],
    ['dataset:file:/tmp/a:b.csv', { kind: 'dataset', namespace: 'file', name: '/tmp/a:b.csv' }],
    // an AWS Glue catalog ARN namespace runs through its five fields
    ['dataset:arn:aws:glue:us-east-1:123456789012:table/db/t', { kind: 'dataset', namespace: 'arn:aws:glue:us-east-1:123456789012', name: 'table/db/t' }],
    ['datasetField:arn:aws-cn:glue:cn-north-1:123456789012:table/db/t:id', { kind: 'datasetField', namespace: 'arn:aws-cn:glue:cn-north-1:123456789012', name: 'table/db/t', field: 'id' }],
    ['dataset:arn:not-an-arn', { kind: 'dataset', namespace: 'arn', name: 'not-an-arn' }],
    // a namespace with user info and port
    ['dataset:hive://user@metastore:9083:db.t', { kind: 'dataset', namespace: 'hive://user@metastore:9083', name: 'db.t' }],
    // datasetField, with colons in the name
    ['datasetField:bigquery:example.com:proj.ds.t:amount', { kind: 'datasetField', namespace: 'bigquery', name: 'example.com:proj.ds.t', field: 'amount' }],
    ['datasetField:oracle://h:1521:s.t:id', { kind: 'datasetField', namespace: 'oracle://h:1521', name: 's.t', field: 'id' }],
    ['datasetField:kafka://b:9092:topic:v1:payload', { kind: 'datasetField', namespace: 'kafka://b:9092', name: 'topic:v1', field: 'payload' }],
    ['datasetField:s3://b:2024/x:col', { kind: 'datasetField', namespace: 's3://b', name: '2024/x', field: 'col' }],
    // jobs and runs
    ['job:airflow-prod:etl_orders.load', { kind: 'job', namespace: 'airflow-prod', name: 'etl_orders.load' }],
    ['job:airflow://scheduler:8080:dag.task', { kind: 'job', namespace: 'airflow://scheduler:8080', name: 'dag.task' }],
    ['job:spark:app:stage:1', { kind: 'job', namespace: 'spark', name: 'app:stage:1' }],
    ['run:3f5e83fa-3480-44ff-99c5-ff943904e5e8', { kind: 'run', runId: '3f5e83fa-3480-44ff-99c5-ff943904e5e8' }],
    ['run:run_id', { kind: 'run', runId: 'run_id' }],
  ];

  it.each(roundTrips)('parses %s', (id, parsed) => {
    expect(parseNodeId(id)).toEqual(parsed);
  });

  it.each(roundTrips)('formats back to %s', (id, parsed) => {
    expect(formatNodeId(parsed)).toBe(id);
    expect(formatNodeId(parseNodeId(id))).toBe(id);
  });

  it.each([
    [datasetId('s3://b', '2024/x'), 'dataset:s3://b:2024/x'],
    [datasetFieldId('bigquery', 'p.d.t', 'c'), 'datasetField:bigquery:p.d.t:c'],
    [jobId('ns', 'j'), 'job:ns:j'],
    [runId('r1'), 'run:r1'],
  ])('builder gives %s', (built, expected) => {
    expect(built).toBe(expected);
  });

  it.each([
    ['dataset:x:y', 'dataset'],
    ['datasetField:x:y:z', 'datasetField'],
    ['job:x:y', 'job'],
    ['run:1', 'run'],
  ] as const)('kind of %s is %s', (id, kind) => {
    expect(nodeKind(id)).toBe(kind);
  });

  it('gives the dataset of a field', () => {
    const parsed = parseNodeId('datasetField:oracle://h:1521:s.t:id');
    if (parsed.kind !== 'datasetField') throw new Error('expected a datasetField');
    expect(fieldDataset(parsed)).toBe('dataset:oracle://h:1521:s.t');
  });

  it.each([
    ['', /empty/],
    ['dataset', /no ":"/],
    ['dataset:', /no ":"/],
    ['dataset:ns', /no ":"/],
    ['dataset:ns:', /name is empty/],
    ['dataset::name', /namespace is empty/],
    ['dataset:s3://bucket', /no ":"/],
    ['dataset:s3://b:', /name is empty/],
    ['table:ns:name', /unknown kind "table"/],
    ['Dataset:ns:name', /unknown kind/],
    ['job:ns:', /name is empty/],
    ['run:', /run id is empty/],
    ['datasetField:ns:name', /no ":" between name and field/],
    ['datasetField:ns:name:', /field is empty/],
    ['datasetField:ns::col', /name is empty/],
  ])('rejects %j', (id, reason) => {
    expect(() => parseNodeId(id)).toThrow(NodeIdError);
    expect(() => parseNodeId(id)).toThrow(reason);
  });

  it('names the input in the error', () => {
    try {
      parseNodeId('table:x:y');
      throw new Error('expected a NodeIdError');
    } catch (error) {
      expect(error).toBeInstanceOf(NodeIdError);
      expect((error as NodeIdError).input).toBe('table:x:y');
    }
  });
});
