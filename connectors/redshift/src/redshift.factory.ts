import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { redshiftConfigSchema, type RedshiftConfig } from './redshift.config';
import { RedshiftConnector } from './redshift.connector';
import { mapRedshiftError } from './redshift-errors';

/** The Redshift connector plugin: STL_* (provisioned) or SYS_* (serverless) through `pg`. */
export const redshiftConnectorFactory: ConnectorFactory<RedshiftConfig> = {
  kind: 'redshift',
  configSchema: redshiftConfigSchema,
  /** One limiter per cluster endpoint and user (Redshift's connection limits are per cluster and per user). */
  accountKey: (config) => `redshift:${config.host}:${config.port}:${config.user}`,
  mapError: mapRedshiftError,
  create: (config) => new RedshiftConnector(config),
  cursorAt: (_config, at) => ({ watermark: at, seen: [] }),
};
