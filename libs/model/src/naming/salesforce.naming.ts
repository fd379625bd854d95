/**
 * Salesforce is not in the OpenLineage naming spec; the hub's choice (connectors/VENDOR-FORMATS.md 4.D):
 * namespace `salesforce://{my-domain}.my.salesforce.com` lower case, name = the sObject API name.
 */
import type { DatasetName } from './dataset-name';
import { formatNamespaceUri, type NamespaceUri } from './namespace-uri';

/** API-name suffixes Salesforce always spells in lower case (`Invoice__c`, `Event__e`, `Setting__mdt`). */
const LOWER_SUFFIX = /__(c|r|e|b|x|mdt)$/i;

/** Lightning hosts name the same org as its My Domain host: `acme.lightning.force.com` -> `acme.my.salesforce.com`. */
const myDomainHost = (host: string): string => host.replace(/\.lightning\.force\.com$/, '.my.salesforce.com');

/** `https://acme.my.salesforce.com` or `https://acme.lightning.force.com` (an instance URL) names a Salesforce org. */
export const isSalesforceHost = (host: string): boolean => /\.(my\.salesforce\.com|lightning\.force\.com)(:\d+)?$/.test(host);

/**
 * `salesforce://{my-domain}.my.salesforce.com`, lower case (an https instance URL or a Lightning host is turned
 * into it; no path); name = the sObject API name, with the suffixes Salesforce spells in lower case normalised.
 */
export const salesforceDataset = (uri: NamespaceUri, name: string): DatasetName => ({
  namespace: formatNamespaceUri('salesforce', myDomainHost(uri.authority.replace(/:443$/, ''))),
  name: name.trim().replace(LOWER_SUFFIX, (suffix) => suffix.toLowerCase()),
});
