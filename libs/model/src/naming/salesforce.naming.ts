/**
 * Salesforce is not in the OpenLineage naming spec; the hub's choice (connectors/VENDOR-FORMATS.md 4.D):
 * namespace `salesforce://{my-domain}.my.salesforce.com` lower case, name = the sObject API name.
 */
import type { DatasetName } from './dataset-name';
import { formatNamespaceUri, type NamespaceUri } from './namespace-uri';

/** API-name suffixes Salesforce always spells in lower case (`Invoice__c`, `Event__e`, `Setting__mdt`). */
const LOWER_SUFFIX = /__(c|r|e|b|x|mdt)$/i;

export const salesforceDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('salesforce', uri.authority, uri.path.replace(/\/+$/, '')),
  name: name.trim().replace(LOWER_SUFFIX, (suffix) => suffix.toLowerCase()),
});
