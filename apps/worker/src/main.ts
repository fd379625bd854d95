import 'reflect-metadata';
import { runApp } from '@lineage-hub/common';
import { ConnectorFileError } from './instances/connector-file.loader';
import { loadWorkerConfig } from './worker.config';
import { startWorker } from './worker-app';

runApp('worker', {
  loadConfig: loadWorkerConfig,
  start: startWorker,
  explain: (err) => (err instanceof ConnectorFileError ? `invalid connector configuration: ${err.message}` : null),
});
