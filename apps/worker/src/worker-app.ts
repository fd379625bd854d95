import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { AUTH_OFF, authOffProblem, createAuthRuntime, prepareHttpEdge } from '@lineage-hub/auth';
import { JsonLogger } from '@lineage-hub/common';
import type { WorkerConfig } from './worker.config';
import { WorkerModule } from './worker.module';

export interface RunningWorker {
  app: NestExpressApplication;
  url: string;
  close(): Promise<void>;
}

/** Starts the worker (HTTP: admin API, /health, /metrics; BullMQ processing). Tests, benches and the hub call this. */
export const startWorker = async (config: WorkerConfig, options: { factories?: ConnectorFactory[]; logger?: JsonLogger } = {}): Promise<RunningWorker> => {
  const authConfig = config.auth ?? AUTH_OFF;
  const refused = authOffProblem(authConfig, [{ name: 'the worker', host: config.host }]);
  if (refused) throw new Error(refused);
  const logger = options.logger ?? new JsonLogger('worker', process.stdout, config.logLevel);
  const auth = createAuthRuntime(authConfig, { onAuditError: (error) => logger.error({ msg: 'audit write failed', error: String(error) }, 'Audit') });
  const app = await NestFactory.create<NestExpressApplication>(WorkerModule.forRoot(config, options.factories, auth), { logger, bufferLogs: false });
  prepareHttpEdge(app, auth);
  app.useBodyParser('json', { limit: '1mb' });
  app.enableShutdownHooks();
  try {
    await app.listen(config.port, config.host);
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${address.port}`;
  logger.log({ msg: 'worker listening', url, redis: Boolean(config.redisUrl) }, 'Worker');
  return { app, url, close: () => app.close() };
};
