/**
 * Warehouses and databases, per the OpenLineage naming spec (https://openlineage.io/docs/spec/naming)
 * and connectors/VENDOR-FORMATS.md section D.
 */
import type { DatasetName } from './dataset-name';
import { canonicalDottedName, foldedDottedName } from './identifier-parts';
import { formatNamespaceUri, type NamespaceUri, withDefaultPort } from './namespace-uri';

const trimSlash = (path: string) => path.replace(/\/+$/, '');

/**
 * `snowflake://{org}-{account}` (or the legacy locator form), lower case, without a
 * `.snowflakecomputing.com` suffix; name `DB.SCHEMA.TABLE`, unquoted parts upper, quoted parts keep case.
 */
export const snowflakeDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('snowflake', uri.authority.replace(/\.snowflakecomputing\.com(:\d+)?$/, ''), trimSlash(uri.path)),
  name: canonicalDottedName(name.trim(), 'upper'),
});

const REDSHIFT_ENDPOINT = /^([^.@]+)\.[^.]+\.([a-z0-9-]+)\.redshift(?:-serverless)?\.amazonaws\.com(:\d+)?$/;

/**
 * `redshift://{cluster}.{region}:{port}` (a full AWS endpoint host is shortened to cluster.region, port
 * defaults to 5439); name `db.schema.table` folded to lower case, quoted parts too (Redshift folds quoted
 * identifiers unless enable_case_sensitive_identifier is on).
 */
export const redshiftDataset = (uri: NamespaceUri, name: string): DatasetName => {
  const endpoint = REDSHIFT_ENDPOINT.exec(uri.authority);
  const authority = endpoint ? `${endpoint[1]}.${endpoint[2]}${endpoint[3] ?? ''}` : uri.authority;
  return {
    namespace: formatNamespaceUri('redshift', withDefaultPort(authority, 5439), trimSlash(uri.path)),
    name: foldedDottedName(name.trim(), 'lower'),
  };
};

/** `postgres://host:port` (`postgresql://` accepted, port defaults to 5432); unquoted parts lower, quoted keep case. */
export const postgresDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('postgres', withDefaultPort(uri.authority, 5432), trimSlash(uri.path)),
  name: canonicalDottedName(name.trim(), 'lower'),
});

/** `mysql://host:port` (port defaults to 3306); name `db.table` lower case, backticks dropped. */
export const mysqlDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('mysql', withDefaultPort(uri.authority, 3306), trimSlash(uri.path)),
  name: foldedDottedName(name.trim(), 'lower', '`"'),
});

/** `hive://host:port`; name `db.table` lower case (Hive identifiers are case-insensitive), backticks dropped. */
export const hiveDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('hive', uri.authority, trimSlash(uri.path)),
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
  namespace: formatNamespaceUri('oracle', uri.authority, trimSlash(uri.path)),
  name: canonicalDottedName(name.trim(), 'upper'),
});

/**
 * Engines whose identifiers are case-insensitive and stored in lower case, quoted or not:
 * Trino (`trino://host:port`, `catalog.schema.table`), Athena (`awsathena://athena.{region}.amazonaws.com`,
 * `catalog.database.table`), Databricks Unity Catalog (`databricks://{workspace host}`, `catalog.schema.table`).
 */
export const lowerCaseEngineDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri(uri.scheme, uri.authority, trimSlash(uri.path)),
  name: foldedDottedName(name.trim(), 'lower', '"`'),
});
