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
 * `snowflake://{org}-{account}` (or the legacy locator form), lower case, without a
 * `.snowflakecomputing.com` suffix; name `DB.SCHEMA.TABLE`, unquoted parts upper, quoted parts keep case.
 */
export const snowflakeDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('snowflake', withoutUser(uri.authority).replace(/(\.privatelink)?\.snowflakecomputing\.com(:\d+)?$/, ''), trimSlash(uri.path)),
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

/** `hive://host:port`; name `db.table` lower case (Hive identifiers are case-insensitive), backticks dropped. */
export const hiveDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('hive', withoutUser(uri.authority), trimSlash(uri.path)),
  name: foldedDottedName(name.trim(), 'lower', '`'),
});

/** Legacy SQL `project:dataset.table` (also `example.com:project:dataset.table`): the last ":" before dataset.table. */
const LEGACY_BIGQUERY = /^(.+):([^.:]+\.[^.:]+)$/;

/**
 * Namespace `bigquery`; name `project.dataset.table` with its case kept and backticks dropped; the legacy SQL
 * spelling `project:dataset.table` becomes `project.dataset.table` (a domain-scoped `example.com:project` keeps its colon).
 */
export const bigqueryDataset = (name: string): DatasetName => {
  const plain = name.trim().replace(/`/g, '');
  const legacy = LEGACY_BIGQUERY.exec(plain);
  return { namespace: 'bigquery', name: legacy ? `${legacy[1]}.${legacy[2]}` : plain };
};

/** `oracle://host:port`; unquoted parts fold to upper case (Oracle's rule), quoted parts keep case. */
export const oracleDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('oracle', withoutUser(uri.authority), trimSlash(uri.path)),
  name: canonicalDottedName(name.trim(), 'upper'),
});

/**
 * Engines whose identifiers are case-insensitive and stored in lower case, quoted or not:
 * Trino (`trino://host:port`, `catalog.schema.table`), Athena (`awsathena://athena.{region}.amazonaws.com`,
 * `catalog.database.table`), Databricks Unity Catalog (`databricks://{workspace host}`, `catalog.schema.table`).
 */
export const lowerCaseEngineDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri(uri.scheme, withoutUser(uri.authority), trimSlash(uri.path)),
  name: foldedDottedName(name.trim(), 'lower', '"`'),
});
