import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AUTH_OFF, authOffProblem, createAuthRuntime, prepareHttpEdge } from '@lineage-hub/auth';
import { JsonLogger, useJsonBodies } from '@lineage-hub/common';
import type { AddressInfo } from 'node:net';
import { GatewayModule } from './gateway.module';
import { serveWebUi } from './web/web-ui';
import type { GatewayConfig } from './gateway.config';

export interface RunningGateway {
  app: NestExpressApplication;
  url: string;
  close(): Promise<void>;
}

/** Starts the gateway HTTP API (tests and the hub launcher call this; main.ts reads the env first). */
export const startGateway = async (config: GatewayConfig): Promise<RunningGateway> => {
  const authConfig = config.auth ?? AUTH_OFF;
  const refused = authOffProblem(authConfig, [{ name: 'the gateway', host: config.host }]);
  if (refused) throw new Error(refused);
  const logger = new JsonLogger('gateway', process.stdout, config.logLevel);
  const auth = createAuthRuntime(authConfig, { onAuditError: (error) => logger.error({ msg: 'audit write failed', error: String(error) }, 'Audit') });
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forConfig(config, auth), { logger, bufferLogs: false, bodyParser: false });
  prepareHttpEdge(app, auth);
  // The shards' body rule: JSON content types only (415), gzip/deflate inflated, MAX_BODY_BYTES after inflation (413).
  useJsonBodies(app, config.maxBodyBytes);
  app.enableShutdownHooks();
  // static files before init: Nest's not-found handler, registered at init, would otherwise answer `/` first
  serveWebUi(app, config, logger);
  await app.init();
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host}:${address.port}`;
  logger.log({ msg: 'gateway listening', url, shards: config.shards.map((s) => s.domain), redis: Boolean(config.redisUrl), auth: auth.enabled }, 'Gateway');
  return { app, url, close: () => app.close() };
};
