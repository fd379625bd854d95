/** The Salesforce connector plugin: one ConnectorFactory, listed by the worker's composition root. */
import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { type SalesforceConfig, salesforceConfigSchema } from './salesforce.config';
import { SalesforceConnector } from './salesforce.connector';
import { mapSalesforceError } from './salesforce-error.mapper';

export const salesforceConnectorFactory: ConnectorFactory<SalesforceConfig> = {
  kind: 'salesforce',
  configSchema: salesforceConfigSchema,
  /** The API allocation is per org: one limiter per My Domain. */
  accountKey: (config) => `salesforce:${config.myDomain.toLowerCase()}`,
  mapError: mapSalesforceError,
  create: (config) => new SalesforceConnector(config),
  cursorAt: (_config, at) => ({ v: 1, writesFrom: Math.floor(at) }),
};

export { type SalesforceConfig, salesforceConfigSchema } from './salesforce.config';
export { mapSalesforceError } from './salesforce-error.mapper';
export { formulaFieldPaths } from './formula-references';
