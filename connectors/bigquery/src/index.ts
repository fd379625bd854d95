/** The BigQuery connector plugin: one ConnectorFactory, listed by the worker's composition root. */
import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { type BigQueryConfig, bigqueryConfigSchema } from './bigquery.config';
import { BigQueryConnector } from './bigquery.connector';
import { mapBigQueryError } from './bigquery-error.mapper';

export const bigqueryConnectorFactory: ConnectorFactory<BigQueryConfig> = {
  kind: 'bigquery',
  configSchema: bigqueryConfigSchema,
  /** Quotas are per project (and per user); the first project is the billing one the limiter is keyed by. */
  accountKey: (config) => `bigquery:${config.projects.map((p) => p.projectId).sort().join(',')}`,
  mapError: mapBigQueryError,
  create: (config) => new BigQueryConnector(config),
  cursorAt: (config, at) => ({
    v: 1,
    positions: Object.fromEntries(
      config.projects.flatMap((p) => p.regions.map((r) => [`${p.projectId}/${r}`, { t: String(BigInt(Math.floor(at)) * 1000n), after: '' }])),
    ),
  }),
};

export { type BigQueryConfig, bigqueryConfigSchema } from './bigquery.config';
export { mapBigQueryError } from './bigquery-error.mapper';
export { shardFamily } from './bigquery-jobs.mapper';
