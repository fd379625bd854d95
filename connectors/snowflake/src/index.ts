/** The Snowflake connector plugin: one ConnectorFactory, listed by the worker's composition root. */
import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { type SnowflakeConfig, snowflakeConfigSchema } from './snowflake.config';
import { SnowflakeConnector } from './snowflake.connector';
import { mapSnowflakeError } from './snowflake-error.mapper';

export const snowflakeConnectorFactory: ConnectorFactory<SnowflakeConfig> = {
  kind: 'snowflake',
  configSchema: snowflakeConfigSchema,
  accountKey: (config) => `snowflake:${config.account.toLowerCase()}`,
  mapError: mapSnowflakeError,
  create: (config) => new SnowflakeConnector(config),
  cursorAt: (_config, at) => ({ v: 1, ns: String(BigInt(Math.floor(at)) * 1_000_000n), after: '' }),
};

export { ACCOUNT_USAGE_LATENCY_MS, type SnowflakeConfig, snowflakeConfigSchema } from './snowflake.config';
export { ACCESS_HISTORY_SQL } from './snowflake.connector';
export { mapSnowflakeError } from './snowflake-error.mapper';
export { storedObjectDataset } from './snowflake-object.naming';
