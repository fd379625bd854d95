export { redshiftConnectorFactory } from './redshift.factory';
export { redshiftConfigSchema, type RedshiftConfig } from './redshift.config';
export { RedshiftConnector, REDSHIFT_PRODUCER } from './redshift.connector';
export { mapRedshiftError } from './redshift-errors';
export { rebuildQueryText } from './redshift-text';
