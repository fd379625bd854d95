/** Object stores and streams, per the OpenLineage naming spec (https://openlineage.io/docs/spec/naming). */
import type { DatasetName } from './dataset-name';
import { formatNamespaceUri, type NamespaceUri } from './namespace-uri';

/**
 * `s3://bucket` / `gs://bucket`: scheme and bucket lower case, no path or trailing slash on the namespace
 * (a path given in the namespace moves to the front of the name); name = object key without leading "/".
 */
const objectStoreDataset = (scheme: 's3' | 'gs') => (uri: NamespaceUri, name: string): DatasetName => {
  const prefix = uri.path.replace(/^\/+|\/+$/g, '');
  const key = name.replace(/^\/+/, '');
  return {
    namespace: formatNamespaceUri(scheme, uri.authority),
    name: prefix ? (key ? `${prefix}/${key}` : prefix) : key,
  };
};

/** `s3://bucket` (also from `s3a://`, `s3n://`). */
export const s3Dataset = objectStoreDataset('s3');

/** `gs://bucket` (also from `gcs://`). */
export const gcsDataset = objectStoreDataset('gs');

/**
 * Azure Data Lake / Blob (`abfss://{container}@{account}.dfs.core.windows.net`, also abfs, wasb, wasbs):
 * container and account lower case (Azure requires it), a namespace path moves into the name, no leading "/".
 */
export const azureStorageDataset = (uri: NamespaceUri, name: string): DatasetName => {
  const prefix = uri.path.replace(/^\/+|\/+$/g, '');
  const key = name.replace(/^\/+/, '');
  return {
    namespace: formatNamespaceUri(uri.scheme, uri.authority.toLowerCase()),
    name: prefix ? (key ? `${prefix}/${key}` : prefix) : key,
  };
};

/** `kafka://host:port` with the host lower case; name = the topic, kept as is. */
export const kafkaDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('kafka', uri.authority, uri.path.replace(/\/+$/, '')),
  name,
});
