/**
 * Warehouses and databases, per the OpenLineage naming spec (https://openlineage.io/docs/spec/naming)
 * and connectors/VENDOR-FORMATS.md section D.
 */
import type { DatasetName } from './dataset-name';
import { canonicalDottedName, foldedDottedName, splitIdentifierParts } from './identifier-parts';
import { formatNamespaceUri, type NamespaceUri, withDefaultPort, withoutUser } from './namespace-uri';

const trimSlash = (path: string) => path.replace(/\/+$/, '');

/**
 * Some producers put the database in the namespace path (`postgres://h:5432/shop` + `public.orders`).
 * The spec's namespace is host:port only, so a name with fewer than `parts` parts gets the database in front.
 */
const databaseFromPath = (uri: NamespaceUri, name: string, parts: number, quotes = '"'): string => {
  const database = uri.path.replace(/[?#].*$/, '').replace(/^\/+|\/+$/g, '');
  if (!database || database.includes('/')) return name;
  return splitIdentifierParts(name, { quotes }).length < parts ? `${database}.${name}` : name;
};

/**
 * The account part of a Snowflake namespace: `{org}-{account}` or a legacy `{locator}` is kept as is; a legacy
 * `{locator}.{region}` without a cloud is an AWS region (Snowflake spells the cloud of every other region) and gets
 * `.aws`, as the spec's reference client does (client/java SnowflakeUtils): `xy12345.us-east-1` -> `xy12345.us-east-1.aws`.
 * (That client also turns a bare locator into `{locator}.us-west-1.aws`; a bare name cannot be told from a shorthand
 * account name here, and the spec lists region and cloud as optional, so it is kept.)
 */
const snowflakeAccount = (host: string): string => {
  const account = host.replace(/(\.privatelink)?\.snowflakecomputing\.com(:\d+)?$/, '');
  return account.split('.').length === 2 ? `${account}.aws` : account;
};

/**
 * `snowflake://{org}-{account}` (or the legacy locator form `{locator}.{region}.{cloud}`), lower case, without a
 * `.snowflakecomputing.com` suffix; name `DB.SCHEMA.TABLE`, unquoted parts upper, quoted parts keep case.
 */
export const snowflakeDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('snowflake', snowflakeAccount(withoutUser(uri.authority)), trimSlash(uri.path)),
  name: canonicalDottedName(name.trim(), 'upper'),
});

const REDSHIFT_ENDPOINT = /^([^.@]+)\.[^.]+\.([a-z0-9-]+)\.redshift(?:-serverless)?\.amazonaws\.com(:\d+)?$/;

/**
 * `redshift://{cluster}.{region}:{port}` (a full AWS endpoint host is shortened to cluster.region, port
 * defaults to 5439); name `db.schema.table` folded to lower case, quoted parts too (Redshift folds quoted
 * identifiers unless enable_case_sensitive_identifier is on).
 */
export const redshiftDataset = (uri: NamespaceUri, name: string): DatasetName => {
  const host = withoutUser(uri.authority);
  const endpoint = REDSHIFT_ENDPOINT.exec(host);
  const authority = endpoint ? `${endpoint[1]}.${endpoint[2]}${endpoint[3] ?? ''}` : host;
  return {
    namespace: formatNamespaceUri('redshift', withDefaultPort(authority, 5439)),
    name: foldedDottedName(databaseFromPath(uri, name.trim(), 3), 'lower'),
  };
};

/**
 * `postgres://host:port` (`postgresql://` accepted, port defaults to 5432, a `/database` path moves into the name);
 * unquoted parts lower, quoted keep case.
 */
export const postgresDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('postgres', withDefaultPort(withoutUser(uri.authority), 5432)),
  name: canonicalDottedName(databaseFromPath(uri, name.trim(), 3), 'lower'),
});

/**
 * `mysql://host:port` (port defaults to 3306, a `/database` path moves into the name); name `db.table`
 * lower case, backticks dropped.
 */
export const mysqlDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('mysql', withDefaultPort(withoutUser(uri.authority), 3306)),
  name: foldedDottedName(databaseFromPath(uri, name.trim(), 2, '`"'), 'lower', '`"'),
});

/**
 * `hive://host:port` (port defaults to 9083, the metastore's thrift port); name `db.table` lower case (Hive
 * identifiers are case-insensitive), backticks dropped.
 */
export const hiveDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('hive', withDefaultPort(withoutUser(uri.authority), 9083), trimSlash(uri.path)),
  name: foldedDottedName(name.trim(), 'lower', '`'),
});

/** Legacy SQL `project:dataset.table` (also `example.com:project:dataset.table`): the last ":" before dataset.table. */
const LEGACY_BIGQUERY = /^(.+):([^.:]+\.[^.:]+)$/;

/**
 * Namespace `bigquery`; name `project.dataset.table`, project id lower case, dataset and table case kept, backticks dropped; the legacy SQL
 * spelling `project:dataset.table` becomes `project.dataset.table` (a domain-scoped `example.com:project` keeps its colon).
 */
export const bigqueryDataset = (name: string): DatasetName => {
  const plain = name.trim().replace(/`/g, '');
  const legacy = LEGACY_BIGQUERY.exec(plain);
  return { namespace: 'bigquery', name: lowerProjectId(legacy ? `${legacy[1]}.${legacy[2]}` : plain) };
};

/**
 * Project ids are lower case by construction (and a domain prefix is a host name), so the project part, everything
 * before `dataset.table`, is lower-cased; dataset and table names are case-sensitive and kept.
 */
const lowerProjectId = (name: string): string => {
  const parts = name.split('.');
  if (parts.length < 3) return name;
  return [parts.slice(0, -2).join('.').toLowerCase(), ...parts.slice(-2)].join('.');
};

/**
 * `oracle://host:port` (port defaults to 1521, the listener's; a `/service` path moves into the name); name
 * `{serviceName}.{schema}.{table}`, unquoted parts fold to upper case (Oracle's rule), quoted parts keep case.
 */
export const oracleDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('oracle', withDefaultPort(withoutUser(uri.authority), 1521)),
  name: canonicalDottedName(databaseFromPath(uri, name.trim(), 3), 'upper'),
});

/**
 * `db2://host:port` (port defaults to 50000, a `/database` path moves into the name); name
 * `{database}.{schema}.{table}`, unquoted parts fold to upper case (Db2's rule), quoted parts keep case.
 */
export const db2Dataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('db2', withDefaultPort(withoutUser(uri.authority), 50000)),
  name: canonicalDottedName(databaseFromPath(uri, name.trim(), 3), 'upper'),
});

/**
 * `teradata://host:port` (port defaults to 1025, a `/database` path moves into the name); name `{database}.{table}`
 * in lower case: Teradata names are not case specific, quoted or not.
 */
export const teradataDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('teradata', withDefaultPort(withoutUser(uri.authority), 1025)),
  name: foldedDottedName(databaseFromPath(uri, name.trim(), 2), 'lower'),
});

/**
 * SQL Server: `mssql://host:port` with `{database}.{schema}.{table}` (a `/database` path moves into the name), and
 * Azure Synapse's `sqlserver://host:port` with `{schema}.{table}`. Port defaults to 1433 (connection properties after
 * `;` are kept after it); `[bracket]` and `"double"` quotes are dropped; case is kept (collations decide it).
 */
export const sqlServerDataset = (uri: NamespaceUri, name: string): DatasetName => {
  const authority = withoutUser(uri.authority);
  const semicolon = authority.indexOf(';');
  const host = semicolon < 0 ? authority : authority.slice(0, semicolon);
  const properties = semicolon < 0 ? '' : authority.slice(semicolon);
  const scheme = uri.scheme === 'sqlserver' ? 'sqlserver' : 'mssql';
  return {
    namespace: formatNamespaceUri(scheme, withDefaultPort(host, 1433) + properties, scheme === 'mssql' ? '' : trimSlash(uri.path)),
    name: canonicalDottedName(scheme === 'mssql' ? databaseFromPath(uri, name.trim(), 3, '"[') : name.trim(), 'keep', '"['),
  };
};

/**
 * Engines whose identifiers are case-insensitive and stored in lower case, quoted or not:
 * Trino (`trino://host:port`, `catalog.schema.table`), Athena (`awsathena://athena.{region}.amazonaws.com`,
 * `catalog.database.table`), Databricks Unity Catalog (`databricks://{workspace host}`, `catalog.schema.table`).
 */
export const lowerCaseEngineDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri(uri.scheme, withoutUser(uri.authority), trimSlash(uri.path)),
  name: foldedDottedName(name.trim(), 'lower', '"`'),
});

/** `arn:{partition}:glue:{region}:{account id}` (the AWS Glue Data Catalog's namespace). */
export const GLUE_CATALOG_ARN = /^arn:aws(-[a-z]+)*:glue:/i;

/**
 * AWS Glue: namespace `arn:aws:glue:{region}:{account id}`, name `table/{database name}/{table name}`, all lower
 * case: ARNs spell partition, service and region in lower case, and Glue stores database and table names in lower case.
 */
export const glueDataset = (namespace: string, name: string): DatasetName => ({
  namespace: namespace.trim().replace(/\/+$/, '').toLowerCase(),
  name: name.trim().toLowerCase(),
});
