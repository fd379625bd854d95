/** Object stores, file systems and streams, per the OpenLineage naming spec (https://openlineage.io/docs/spec/naming). */
import type { DatasetName } from './dataset-name';
import { formatNamespaceUri, type NamespaceUri, withDefaultPort } from './namespace-uri';

/**
 * A path without trailing "/": a directory dataset (a table location written by Spark, Iceberg or Delta) is one
 * dataset whether or not a producer ends it with a slash. A bare "/" is kept.
 */
const withoutTrailingSlash = (path: string): string => (/^\/+$/.test(path) ? path : path.replace(/\/+$/, ''));

/**
 * Object stores (`s3://bucket`, `gs://bucket`, Azure `abfss://container@account...`): scheme and authority lower
 * case, no path or trailing slash on the namespace (a path given in the namespace moves to the front of the name);
 * name = object key without leading or trailing "/".
 */
const objectStoreDataset = (namespaceOf: (uri: NamespaceUri) => string) => (uri: NamespaceUri, name: string): DatasetName => {
  const prefix = uri.path.replace(/^\/+|\/+$/g, '');
  const key = name.trim().replace(/^\/+|\/+$/g, '');
  return { namespace: namespaceOf(uri), name: prefix ? (key ? `${prefix}/${key}` : prefix) : key };
};

/** `s3://bucket` (also from `s3a://`, `s3n://`). */
export const s3Dataset = objectStoreDataset((uri) => formatNamespaceUri('s3', uri.authority));

/** `gs://bucket` (also from `gcs://`). */
export const gcsDataset = objectStoreDataset((uri) => formatNamespaceUri('gs', uri.authority));

/**
 * Azure Data Lake / Blob (`abfss://{container}@{account}.dfs.core.windows.net`, also abfs, wasb, wasbs):
 * container and account lower case (Azure requires it), a namespace path moves into the name, no leading "/".
 */
export const azureStorageDataset = objectStoreDataset((uri) => formatNamespaceUri(uri.scheme, uri.authority.toLowerCase()));

/**
 * `hdfs://{namenode host}:{namenode port}`, name = the path as given, without a trailing "/". A namespace path is
 * kept (Spark names a table by its warehouse directory there, `hdfs://nn/user/hive/warehouse` + `db.table`).
 */
export const hdfsDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('hdfs', uri.authority, uri.path.replace(/\/+$/, '')),
  name: withoutTrailingSlash(name.trim()),
});

/**
 * Files: the local file system is the namespace `file` (also `file:///...` and `file://localhost/...`, which name
 * the local host), a remote one `file://{host}`; name = the absolute path. A path in the namespace is the directory a
 * relative name is in; an absolute name is kept as given.
 */
export const fileDataset = (uri: NamespaceUri, name: string): DatasetName => {
  const host = uri.authority === 'localhost' ? '' : uri.authority;
  const path = name.trim();
  const directory = uri.path.replace(/\/+$/, '');
  return {
    namespace: host ? formatNamespaceUri('file', host) : 'file',
    name: withoutTrailingSlash(path.startsWith('/') || !directory ? path : `${directory}/${path}`),
  };
};

/**
 * `kafka://{bootstrap server host}:{port}` with the host lower case and the port defaulting to 9092 (a broker's);
 * name = the topic, kept as is.
 */
export const kafkaDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri(
    'kafka',
    uri.authority
      .split(',')
      .map((server) => withDefaultPort(server.trim(), 9092))
      .join(','),
    uri.path.replace(/\/+$/, ''),
  ),
  name,
});

const PUBSUB_RESOURCE = /^projects\/([^/]+)\/(topics|subscriptions)\/([^/]+)$/;

/**
 * Namespace `pubsub`; name `topic:{projectId}:{topicId}` or `subscription:{projectId}:{subscriptionId}`. The
 * resource name Google's APIs print (`projects/{p}/topics/{t}`, `projects/{p}/subscriptions/{s}`) is the same
 * topic or subscription and becomes the spec's spelling.
 */
export const pubsubDataset = (name: string): DatasetName => {
  const trimmed = name.trim();
  const resource = PUBSUB_RESOURCE.exec(trimmed);
  if (!resource) return { namespace: 'pubsub', name: trimmed };
  const kind = resource[2] === 'topics' ? 'topic' : 'subscription';
  return { namespace: 'pubsub', name: `${kind}:${resource[1]}:${resource[3]}` };
};
