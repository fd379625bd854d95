import 'reflect-metadata';
import { ConfigError } from '@lineage-hub/common';
import { ConnectorFileError } from './connectors/connector-file.loader';
import { loadWorkerConfig } from './worker.config';
import { startWorker } from './worker-app';

async function main() {
  let config;
  try {
    config = loadWorkerConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`worker: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const worker = await startWorker(config);
  const stop = (signal: string) => {
    process.stderr.write(`worker: ${signal}, shutting down\n`);
    worker.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConnectorFileError) {
    process.stderr.write(`worker: invalid connector configuration: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`worker: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
