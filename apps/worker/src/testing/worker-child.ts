/**
 * A real worker process for tests and the bench: the composition root's factories plus the fake vendor,
 * configured from the environment like main.ts. Prints one JSON line `{"ready": url}` once listening.
 */
import 'reflect-metadata';
import { CONNECTOR_FACTORIES } from '../connector-registry';
import { loadWorkerConfig } from '../worker.config';
import { startWorker } from '../worker-app';
import { fakeVendorConnectorFactory } from './fake-vendor.connector';

const main = async () => {
  const worker = await startWorker(loadWorkerConfig(), { factories: [...CONNECTOR_FACTORIES, fakeVendorConnectorFactory] });
  process.stdout.write(`${JSON.stringify({ ready: worker.url, pid: process.pid })}\n`);
  const stop = () => void worker.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
};

main().catch((err) => {
  process.stderr.write(`worker-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
