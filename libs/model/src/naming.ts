/**
 * Dataset naming: the one place that turns any spelling of a dataset reference into the canonical
 * `{namespace, name}` of the OpenLineage naming spec, so the same table reached by two routes is one node.
 * Every path into the hub (ingest, connectors, query parameters, CLI) goes through `canonicalDataset`
 * or `canonicalNodeId`.
 */
import { DomainError } from './errors';
import type { DatasetName, PlatformNaming } from './naming/dataset-name';
import { formatNamespaceUri, parseNamespaceUri } from './naming/namespace-uri';
import { isSalesforceHost, salesforceDataset } from './naming/salesforce.naming';
import {
  azureStorageDataset,
  fileDataset,
  gcsDataset,
  hdfsDataset,
  kafkaDataset,
  pubsubDataset,
  s3Dataset,
} from './naming/storage.naming';
import {
  bigqueryDataset,
  db2Dataset,
  GLUE_CATALOG_ARN,
  glueDataset,
  hiveDataset,
  lowerCaseEngineDataset,
  mysqlDataset,
  oracleDataset,
  postgresDataset,
  redshiftDataset,
  snowflakeDataset,
  sqlServerDataset,
  teradataDataset,
} from './naming/warehouse.naming';
import { formatNodeId, type NodeId, NodeIdError, parseNodeId } from './node-id';

export type { DatasetName } from './naming/dataset-name';
export {
  canonicalIdentifier,
  canonicalDottedName,
  formatIdentifier,
  splitIdentifierParts,
  unquoteIdentifier,
  type CaseRule,
} from './naming/identifier-parts';
export { parseNamespaceUri, type NamespaceUri } from './naming/namespace-uri';
export { salesforceDataset } from './naming/salesforce.naming';
export {
  azureStorageDataset,
  fileDataset,
  gcsDataset,
  hdfsDataset,
  kafkaDataset,
  pubsubDataset,
  s3Dataset,
} from './naming/storage.naming';
export {
  bigqueryDataset,
  db2Dataset,
  glueDataset,
  hiveDataset,
  lowerCaseEngineDataset,
  mysqlDataset,
  oracleDataset,
  postgresDataset,
  redshiftDataset,
  snowflakeDataset,
  sqlServerDataset,
  teradataDataset,
} from './naming/warehouse.naming';

/** Scheme (lower case) -> the platform's canonicalisation. Aliases map onto the spec's scheme. */
const BY_SCHEME: Record<string, PlatformNaming> = {
  snowflake: snowflakeDataset,
  redshift: redshiftDataset,
  postgres: postgresDataset,
  postgresql: postgresDataset,
  mysql: mysqlDataset,
  hive: hiveDataset,
  oracle: oracleDataset,
  db2: db2Dataset,
  teradata: teradataDataset,
  mssql: sqlServerDataset,
  sqlserver: sqlServerDataset,
  trino: lowerCaseEngineDataset,
  awsathena: lowerCaseEngineDataset,
  databricks: lowerCaseEngineDataset,
  bigquery: (_uri, name) => bigqueryDataset(name),
  s3: s3Dataset,
  s3a: s3Dataset,
  s3n: s3Dataset,
  gs: gcsDataset,
  gcs: gcsDataset,
  kafka: kafkaDataset,
  salesforce: salesforceDataset,
  abfs: azureStorageDataset,
  abfss: azureStorageDataset,
  wasb: azureStorageDataset,
  wasbs: azureStorageDataset,
  hdfs: hdfsDataset,
  file: fileDataset,
};

/** Any other platform: scheme and host lower case, trailing "/" of the namespace dropped, the rest kept. */
const genericDataset: PlatformNaming = (uri, name) => ({
  namespace: formatNamespaceUri(uri.scheme, uri.authority, uri.path.replace(/\/+$/, '')),
  name,
});

/**
 * Namespaces without "scheme://": BigQuery's `bigquery`, Pub/Sub's `pubsub`, the local file system's `file` (any
 * case) and a Glue catalog ARN have rules; any other (a producer's own namespace, `food_delivery`) is kept.
 */
const bareNamespaceDataset = (namespace: string, name: string): DatasetName => {
  switch (namespace.toLowerCase()) {
    case 'bigquery':
      return bigqueryDataset(name);
    case 'pubsub':
      return pubsubDataset(name);
    case 'file':
      return fileDataset({ scheme: 'file', authority: '', path: '' }, name);
  }
  return GLUE_CATALOG_ARN.test(namespace) ? glueDataset(namespace, name) : { namespace, name };
};

/** The canonical `{namespace, name}` of a dataset reference; the platform is chosen by the namespace scheme. */
export const canonicalDataset = (namespace: string, name: string): DatasetName => {
  const uri = parseNamespaceUri(namespace.trim());
  if (!uri) return bareNamespaceDataset(namespace.trim(), name);
  if ((uri.scheme === 'https' || uri.scheme === 'http') && isSalesforceHost(uri.authority)) return salesforceDataset(uri, name);
  return (BY_SCHEME[uri.scheme] ?? genericDataset)(uri, name);
};

/**
 * Parses a node id, canonicalises the namespace and name of dataset and datasetField ids (job and run ids
 * are kept), and formats it again. Throws `DomainError('invalid-argument', ..., 'nodeId')` on a bad id.
 */
export const canonicalNodeId = (id: string): NodeId => {
  let parsed;
  try {
    parsed = parseNodeId(id);
  } catch (error) {
    if (error instanceof NodeIdError) throw new DomainError('invalid-argument', error.message, 'nodeId');
    throw error;
  }
  if (parsed.kind === 'dataset' || parsed.kind === 'datasetField') {
    const { namespace, name } = canonicalDataset(parsed.namespace, parsed.name);
    return formatNodeId({ ...parsed, namespace, name });
  }
  return formatNodeId(parsed);
};
