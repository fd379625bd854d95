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

/** Namespace `bigquery`; name `project.dataset.table` with its case kept and backticks dropped. */
export const bigqueryDataset = (name: string): DatasetName => ({
  namespace: 'bigquery',
  name: name.trim().replace(/`/g, ''),
});
