import { DomainError } from './errors';
import {
  canonicalDataset,
  canonicalIdentifier,
  canonicalNodeId,
  type CaseRule,
  formatIdentifier,
  splitIdentifierParts,
} from './naming';

type Case = [namespace: string, name: string, expectedNamespace: string, expectedName: string];

describe('canonicalDataset', () => {
  const cases: Record<string, Case[]> = {
    snowflake: [
      ['snowflake://org-acct', 'analytics.public.orders', 'snowflake://org-acct', 'ANALYTICS.PUBLIC.ORDERS'],
      ['snowflake://org-acct', 'ANALYTICS.PUBLIC.ORDERS', 'snowflake://org-acct', 'ANALYTICS.PUBLIC.ORDERS'],
      ['snowflake://org-acct', 'Analytics.Public.Orders', 'snowflake://org-acct', 'ANALYTICS.PUBLIC.ORDERS'],
      ['SNOWFLAKE://Org-Acct', 'a.b.c', 'snowflake://org-acct', 'A.B.C'],
      ['snowflake://XY12345.US-EAST-1.AWS', 'db.s.t', 'snowflake://xy12345.us-east-1.aws', 'DB.S.T'],
      ['snowflake://Org-Acct.snowflakecomputing.com', 'db.s.t', 'snowflake://org-acct', 'DB.S.T'],
      ['snowflake://org-acct.privatelink.snowflakecomputing.com:443', 'db.s.t', 'snowflake://org-acct', 'DB.S.T'],
      ['snowflake://LOADER:pw@org-acct', 'db.s.t', 'snowflake://org-acct', 'DB.S.T'],
      // quoted parts keep their case; quotes stay only where reading back unquoted would change the part
      ['snowflake://org-acct', 'analytics.public."MyOrders"', 'snowflake://org-acct', 'ANALYTICS.PUBLIC."MyOrders"'],
      ['snowflake://org-acct', '"analytics"."public"."orders"', 'snowflake://org-acct', '"analytics"."public"."orders"'],
      ['snowflake://org-acct', '"ANALYTICS"."PUBLIC"."ORDERS"', 'snowflake://org-acct', 'ANALYTICS.PUBLIC.ORDERS'],
      ['snowflake://org-acct', 'db.public."My.Table"', 'snowflake://org-acct', 'DB.PUBLIC."My.Table"'],
      ['snowflake://org-acct', 'db.public."MY.TABLE"', 'snowflake://org-acct', 'DB.PUBLIC."MY.TABLE"'],
      ['snowflake://org-acct', 'db.public."say ""hi"""', 'snowflake://org-acct', 'DB.PUBLIC."say ""hi"""'],
      ['snowflake://org-acct', ' db.s.t ', 'snowflake://org-acct', 'DB.S.T'],
      ['snowflake://org-acct', 'db.s.t$1', 'snowflake://org-acct', 'DB.S.T$1'],
    ],
    redshift: [
      ['redshift://cluster.us-east-1:5439', 'dev.Public.Orders', 'redshift://cluster.us-east-1:5439', 'dev.public.orders'],
      ['REDSHIFT://Cluster.US-East-1:5439', 'DEV.PUBLIC.ORDERS', 'redshift://cluster.us-east-1:5439', 'dev.public.orders'],
      // Redshift folds quoted identifiers too (enable_case_sensitive_identifier off)
      ['redshift://cluster.us-east-1:5439', 'dev."Public"."Orders"', 'redshift://cluster.us-east-1:5439', 'dev.public.orders'],
      ['redshift://cluster.us-east-1', 'dev.public.orders', 'redshift://cluster.us-east-1:5439', 'dev.public.orders'],
      [
        'redshift://examplecluster.abc123xyz789.us-west-2.redshift.amazonaws.com:5439',
        'dev.public.orders',
        'redshift://examplecluster.us-west-2:5439',
        'dev.public.orders',
      ],
      ['redshift://cluster.us-east-1:5439', 'dev.public."a.b"', 'redshift://cluster.us-east-1:5439', 'dev.public."a.b"'],
      ['redshift://admin:pw@cluster.us-east-1:5439/Dev', 'public.orders', 'redshift://cluster.us-east-1:5439', 'dev.public.orders'],
      [
        'redshift://wg.123456789012.eu-west-1.redshift-serverless.amazonaws.com:5439',
        'dev.public.orders',
        'redshift://wg.eu-west-1:5439',
        'dev.public.orders',
      ],
    ],
    postgres: [
      ['postgres://DB.example.com:5432', 'Shop.Public.Orders', 'postgres://db.example.com:5432', 'shop.public.orders'],
      ['postgresql://db:5432', 'shop.public.orders', 'postgres://db:5432', 'shop.public.orders'],
      ['POSTGRESQL://db', 'shop.public.orders', 'postgres://db:5432', 'shop.public.orders'],
      ['postgres://db:5432/', 'shop.public.orders', 'postgres://db:5432', 'shop.public.orders'],
      ['postgres://db:5432', 'shop.public."OrderLines"', 'postgres://db:5432', 'shop.public."OrderLines"'],
      ['postgres://db:5432', '"shop"."public"."orders"', 'postgres://db:5432', 'shop.public.orders'],
      ['postgres://[::1]:5432', 'shop.public.orders', 'postgres://[::1]:5432', 'shop.public.orders'],
      ['postgres://[::1]', 'shop.public.orders', 'postgres://[::1]:5432', 'shop.public.orders'],
      // credentials never reach a node id
      ['postgres://etl:s3cret@DB:5432', 'shop.public.orders', 'postgres://db:5432', 'shop.public.orders'],
      ['postgresql://etl@db:5432', 'shop.public.orders', 'postgres://db:5432', 'shop.public.orders'],
      // a database in the namespace path moves into the name
      ['postgres://db:5432/Shop', 'public.orders', 'postgres://db:5432', 'shop.public.orders'],
      ['postgres://db:5432/shop?sslmode=require', 'public.orders', 'postgres://db:5432', 'shop.public.orders'],
      ['postgres://db:5432/shop', 'shop.public.orders', 'postgres://db:5432', 'shop.public.orders'],
      ['postgres://db:5432/shop', 'public."My.Orders"', 'postgres://db:5432', 'shop.public."My.Orders"'],
    ],
    mysql: [
      ['mysql://DB:3306', 'Shop.Orders', 'mysql://db:3306', 'shop.orders'],
      ['mysql://db', '`Shop`.`Orders`', 'mysql://db:3306', 'shop.orders'],
      ['mysql://root:pw@db:3306/Shop', 'Orders', 'mysql://db:3306', 'shop.orders'],
      ['mysql://db:3306', '"Shop"."Orders"', 'mysql://db:3306', 'shop.orders'],
    ],
    bigquery: [
      ['bigquery', 'my-project.Sales.Orders', 'bigquery', 'my-project.Sales.Orders'],
      ['BigQuery', 'my-project.sales.orders', 'bigquery', 'my-project.sales.orders'],
      ['bigquery', '`my-project.Sales.Orders`', 'bigquery', 'my-project.Sales.Orders'],
      ['bigquery', '`my-project`.`Sales`.`Orders`', 'bigquery', 'my-project.Sales.Orders'],
      ['bigquery', 'example.com:proj.ds.t', 'bigquery', 'example.com:proj.ds.t'],
      ['bigquery://', 'p.d.t', 'bigquery', 'p.d.t'],
      // legacy SQL spelling project:dataset.table
      ['bigquery', 'my-project:Sales.Orders', 'bigquery', 'my-project.Sales.Orders'],
      ['bigquery', 'example.com:proj:ds.t', 'bigquery', 'example.com:proj.ds.t'],
      ['bigquery', ' p.d.t$20240101 ', 'bigquery', 'p.d.t$20240101'],
    ],
    oracle: [
      ['Oracle://DBHost:1521', 'Schema.Table', 'oracle://dbhost:1521', 'SCHEMA.TABLE'],
      ['oracle://h:1521', 'hr."Employees"', 'oracle://h:1521', 'HR."Employees"'],
    ],
    'lower-case engines': [
      ['trino://Coordinator:8080/', 'Hive.Sales."Orders"', 'trino://coordinator:8080', 'hive.sales.orders'],
      ['awsathena://athena.US-EAST-1.amazonaws.com', 'AwsDataCatalog.Sales.Orders', 'awsathena://athena.us-east-1.amazonaws.com', 'awsdatacatalog.sales.orders'],
      ['databricks://Adb-123.azuredatabricks.net', 'Main.Sales.`Orders`', 'databricks://adb-123.azuredatabricks.net', 'main.sales.orders'],
    ],
    s3: [
      ['s3://bucket', 'path/to/file.parquet', 's3://bucket', 'path/to/file.parquet'],
      ['s3://bucket', '/path/to/file.parquet', 's3://bucket', 'path/to/file.parquet'],
      ['S3A://Bucket/', 'Data/Orders', 's3://bucket', 'Data/Orders'],
      ['s3n://bucket', 'x', 's3://bucket', 'x'],
      ['s3://bucket/warehouse/', 'orders', 's3://bucket', 'warehouse/orders'],
      // a directory dataset is one path with or without its trailing "/" (Spark/Iceberg/Delta table locations)
      ['s3://bucket/warehouse', '/orders/', 's3://bucket', 'warehouse/orders'],
      ['s3://bucket', '2024/x', 's3://bucket', '2024/x'],
    ],
    gcs: [
      ['gs://Bucket', '/data/file.csv', 'gs://bucket', 'data/file.csv'],
      ['gcs://bucket/', 'data', 'gs://bucket', 'data'],
    ],
    kafka: [
      ['kafka://Broker.Local:9092', 'Orders.Events', 'kafka://broker.local:9092', 'Orders.Events'],
      ['KAFKA://b1:9092,B2:9092', 'topic', 'kafka://b1:9092,b2:9092', 'topic'],
    ],
    azure: [
      ['abfss://Container@Account.dfs.core.windows.net', '/Path/X', 'abfss://container@account.dfs.core.windows.net', 'Path/X'],
      ['wasbs://c@a.blob.core.windows.net/raw/', 'x.parquet', 'wasbs://c@a.blob.core.windows.net', 'raw/x.parquet'],
    ],
    hive: [
      ['hive://Metastore:9083', 'Sales.Orders', 'hive://metastore:9083', 'sales.orders'],
      ['hive://metastore:9083', '`Sales`.`Orders`', 'hive://metastore:9083', 'sales.orders'],
      ['hive://spark@Metastore:9083', 'sales.orders', 'hive://metastore:9083', 'sales.orders'],
    ],
    salesforce: [
      ['salesforce://Acme.My.Salesforce.com', 'Account', 'salesforce://acme.my.salesforce.com', 'Account'],
      ['salesforce://acme.my.salesforce.com', 'Invoice__C', 'salesforce://acme.my.salesforce.com', 'Invoice__c'],
      ['salesforce://acme.my.salesforce.com', 'Invoice__c', 'salesforce://acme.my.salesforce.com', 'Invoice__c'],
      ['salesforce://acme.my.salesforce.com', 'Order_Event__E', 'salesforce://acme.my.salesforce.com', 'Order_Event__e'],
      ['salesforce://acme.my.salesforce.com', 'Setting__MDT', 'salesforce://acme.my.salesforce.com', 'Setting__mdt'],
      ['salesforce://acme.my.salesforce.com', 'Contact', 'salesforce://acme.my.salesforce.com', 'Contact'],
      ['salesforce://acme.my.salesforce.com/', ' Invoice__c ', 'salesforce://acme.my.salesforce.com', 'Invoice__c'],
      ['https://Acme.My.Salesforce.com', 'Account', 'salesforce://acme.my.salesforce.com', 'Account'],
      ['https://acme.my.salesforce.com:443/', 'Account', 'salesforce://acme.my.salesforce.com', 'Account'],
      ['salesforce://acme.lightning.force.com', 'Account', 'salesforce://acme.my.salesforce.com', 'Account'],
      ['https://acme--dev.sandbox.lightning.force.com', 'Case', 'salesforce://acme--dev.sandbox.my.salesforce.com', 'Case'],
      ['salesforce://acme.my.salesforce.com', 'Invoice__Share', 'salesforce://acme.my.salesforce.com', 'Invoice__Share'],
    ],
    other: [
      ['HDFS://NameNode:8020', '/user/Data', 'hdfs://namenode:8020', '/user/Data'],
      ['http://user:token@Host:8080/api', 'x', 'http://host:8080/api', 'x'],
      ['mssql://SQL01:1433', 'Sales.dbo.Orders', 'mssql://sql01:1433', 'Sales.dbo.Orders'],
      ['clickhouse://CH:8123/', 'Db.Events', 'clickhouse://ch:8123', 'Db.Events'],
      [' food_delivery ', 'public.orders', 'food_delivery', 'public.orders'],
      ['https://example.com/api', 'x', 'https://example.com/api', 'x'],
      ['food_delivery', 'public.Orders', 'food_delivery', 'public.Orders'],
      ['file', '/tmp/A.csv', 'file', '/tmp/A.csv'],
      // the spec's local file system namespace is `file`; `file:///` (empty host) names the same local host
      ['file:///', '/tmp/A.csv', 'file', '/tmp/A.csv'],
    ],
  };

  for (const [platform, table] of Object.entries(cases)) {
    it.each(table)(`${platform}: (%j, %j) -> (%j, %j)`, (namespace, name, expectedNamespace, expectedName) => {
      expect(canonicalDataset(namespace, name)).toEqual({ namespace: expectedNamespace, name: expectedName });
    });

    it.each(table)(`${platform}: canonical form of (%j, %j) is a fixed point`, (namespace, name) => {
      const once = canonicalDataset(namespace, name);
      expect(canonicalDataset(once.namespace, once.name)).toEqual(once);
    });
  }

  it('makes two spellings of one Snowflake table one dataset', () => {
    expect(canonicalDataset('snowflake://org-acct', 'analytics.public.orders')).toEqual(
      canonicalDataset('SNOWFLAKE://ORG-ACCT', 'ANALYTICS.PUBLIC.ORDERS'),
    );
  });

  it('keeps quoted mixed-case Snowflake tables apart from their unquoted spelling', () => {
    expect(canonicalDataset('snowflake://o-a', 'db.s."Orders"')).not.toEqual(canonicalDataset('snowflake://o-a', 'db.s.orders'));
  });
});

describe('identifier parts', () => {
  it.each([
    ['a.b.c', '"', ['a', 'b', 'c']],
    ['"My.Table"', '"', ['"My.Table"']],
    ['db."My.Table".x', '"', ['db', '"My.Table"', 'x']],
    ['db."a""b.c"', '"', ['db', '"a""b.c"']],
    ['`p.d.t`', '`', ['`p.d.t`']],
    ['`p`.`d`.`t`', '`', ['`p`', '`d`', '`t`']],
    ['[dbo].[My.Table]', '[', ['[dbo]', '[My.Table]']],
    ['`a.b`', '"', ['`a', 'b`']],
    ['a..b', '"', ['a', '', 'b']],
  ])('splits %j (quotes %j)', (name, quotes, parts) => {
    expect(splitIdentifierParts(name, { quotes })).toEqual(parts);
  });

  it.each([
    ['orders', 'upper', 'ORDERS'],
    ['Orders', 'upper', 'ORDERS'],
    ['orders', 'lower', 'orders'],
    ['ORDERS', 'lower', 'orders'],
    ['Orders', 'keep', 'Orders'],
    ['"Orders"', 'upper', '"Orders"'],
    ['"ORDERS"', 'upper', 'ORDERS'],
    ['"orders"', 'lower', 'orders'],
    ['"Orders"', 'lower', '"Orders"'],
    ['"Orders"', 'keep', 'Orders'],
    ['"My.Table"', 'keep', '"My.Table"'],
    ['`Orders`', 'keep', 'Orders'],
    ['[Orders]', 'keep', 'Orders'],
    ['"a""b"', 'keep', '"a""b"'],
    ['  orders ', 'upper', 'ORDERS'],
    ['2024_events', 'upper', '2024_EVENTS'],
  ] as Array<[string, CaseRule, string]>)('canonicalIdentifier(%j, %s) = %j', (part, rule, expected) => {
    expect(canonicalIdentifier(part, rule)).toBe(expected);
  });

  it.each([
    ['ORDERS', 'upper', 'ORDERS'],
    ['MyTable', 'upper', '"MyTable"'],
    ['orders', 'lower', 'orders'],
    ['My.Table', 'keep', '"My.Table"'],
    ['', 'keep', '""'],
  ] as Array<[string, CaseRule, string]>)('formatIdentifier(%j, %s) = %j', (exact, rule, expected) => {
    expect(formatIdentifier(exact, rule)).toBe(expected);
  });
});

describe('canonicalNodeId', () => {
  it.each([
    ['dataset:snowflake://Org-Acct:analytics.public.orders', 'dataset:snowflake://org-acct:ANALYTICS.PUBLIC.ORDERS'],
    ['dataset:SNOWFLAKE://ORG-ACCT:ANALYTICS.PUBLIC.ORDERS', 'dataset:snowflake://org-acct:ANALYTICS.PUBLIC.ORDERS'],
    ['datasetField:snowflake://org-acct:db.s."Mixed":Amount', 'datasetField:snowflake://org-acct:DB.S."Mixed":Amount'],
    ['dataset:postgresql://DB:5432:Shop.Public.Orders', 'dataset:postgres://db:5432:shop.public.orders'],
    ['dataset:s3a://Bucket:/2024/x', 'dataset:s3://bucket:2024/x'],
    // project ids are lower case by construction; dataset and table names are case-sensitive
    ['dataset:bigquery:Proj.DS.T', 'dataset:bigquery:proj.DS.T'],
    ['datasetField:bigquery:example.com:proj.ds.t:amount', 'datasetField:bigquery:example.com:proj.ds.t:amount'],
    ['dataset:redshift://C.US-EAST-1:5439:Dev.Public.Orders', 'dataset:redshift://c.us-east-1:5439:dev.public.orders'],
    ['job:Airflow-Prod:ETL.Load', 'job:Airflow-Prod:ETL.Load'],
    ['run:ABC-123', 'run:ABC-123'],
  ])('%s -> %s', (id, expected) => {
    expect(canonicalNodeId(id)).toBe(expected);
    expect(canonicalNodeId(canonicalNodeId(id))).toBe(expected);
  });

  it.each(['', 'dataset:ns', 'table:x:y', 'datasetField:ns:name', 'run:'])('rejects %j as invalid-argument on nodeId', (id) => {
    try {
      canonicalNodeId(id);
      throw new Error('expected a DomainError');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'invalid-argument', field: 'nodeId' });
    }
  });
});
