import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { AUTH_OFF, authOffProblem, createAuthRuntime, prepareHttpEdge, type AuthRuntime } from '@lineage-hub/auth';
import { correlationMiddleware, JsonLogger, useJsonBodies } from '@lineage-hub/common';
import { startShardRegistration, type ShardRegistrationHandle, parseAdvertise } from '@lineage-hub/federation';
import { LineageGraphService } from './graph/lineage-graph.service';
import type { ShardConfig } from './shard.config';
import { ShardEndpoints } from './shard-endpoints';
import { ShardModule } from './shard.module';
import { serveLeanExpand } from './rpc/lean-expand.server';
import { installSingleEventRoute } from './ingest/single-event.http-route';

export interface RunningShard {
  httpUrl: string;
  rpcPort: number;
  domain: string;
  close(): Promise<void>;
}

/**
 * Starts a shard (HTTP API + TCP microservice) in this process. Ports 0 pick free ones; the returned
 * httpUrl/rpcPort say which. Used by main.ts, tests, benches and the hub launcher.
 */
export async function startShard(config: ShardConfig, options: { logger?: JsonLogger } = {}): Promise<RunningShard> {
  const authConfig = config.auth ?? AUTH_OFF;
  const host = config.host ?? '127.0.0.1';
  const refused = authOffProblem(authConfig, [
    { name: 'the HTTP API', host },
    { name: 'the RPC server', host: config.rpcHost },
  ]);
  if (refused) throw new Error(refused);
  const logger = options.logger ?? new JsonLogger('shard', process.stdout, config.logLevel);
  const auth = createAuthRuntime(authConfig, { onAuditError: (error) => logger.error({ msg: 'audit write failed', error: String(error) }, 'Audit') });
  const app = await NestFactory.create<NestExpressApplication>(ShardModule.forRoot(config, auth), {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  app.use(correlationMiddleware);
  prepareHttpEdge(app, auth);
  // JSON content types only (415 otherwise); gzip/deflate bodies are inflated and the limit applies to the
  // inflated size, so a compressed bomb is refused with 413 as well. The gateway applies the same rule.
  useJsonBodies(app, config.maxBodyBytes);
  app.connectMicroservice<MicroserviceOptions>(
    // A frame is capped (characters buffered per connection) so a peer declaring a huge frame is cut off.
    { transport: Transport.TCP, options: { host: config.rpcHost, port: config.rpcPort, maxBufferSize: Math.max(1 << 20, config.maxBodyBytes * 2) } },
    { inheritAppConfig: true },
  );

  try {
    return await listen(app, config, auth, logger);
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
}

async function listen(app: NestExpressApplication, config: ShardConfig, auth: AuthRuntime, logger: JsonLogger): Promise<RunningShard> {
  await app.get(LineageGraphService).load();
  await app.init();
  // POST /api/v1/lineage (one event per request, the hot route) served in front of express (single-event.http-route.ts)
  installSingleEventRoute(app, config.maxBodyBytes);

  await app.startAllMicroservices();
  const rpcServer = app.getMicroservices()[0].unwrap<Server>();
  const rpcPort = (rpcServer.address() as AddressInfo).port;
  // lineage.expand as binary frames beside the Nest patterns (advertised in shard.version/shard.info/registration)
  const lean = await serveLeanExpand(app, config, auth, logger);
  await app.listen(config.port, config.host ?? '127.0.0.1');
  const httpPort = (app.getHttpServer().address() as AddressInfo).port;
  const httpUrl = `http://127.0.0.1:${httpPort}`;

  const endpoints = app.get(ShardEndpoints);
  endpoints.httpUrl = httpUrl;
  endpoints.rpc = config.advertise ? parseAdvertise(config.advertise) : { host: '127.0.0.1', port: rpcPort };
  endpoints.expandPort = lean?.port;

  let registration: ShardRegistrationHandle | null = null;
  if (config.redisUrl) {
    const graph = app.get(LineageGraphService);
    registration = await startShardRegistration({
      redisUrl: config.redisUrl,
      domain: config.domain,
      rpc: endpoints.rpc,
      httpUrl,
      expandPort: lean?.port,
      version: () => graph.version,
      onError: (() => {
        let last = '';
        return (error: Error) => {
          if (error.message !== last) logger.warn({ msg: 'redis error: the shard registers when Redis is reachable', error: error.message }, 'ShardApp');
          last = error.message;
        };
      })(),
    });
  }
  logger.log({ msg: 'shard started', domain: config.domain, httpUrl, rpcPort, expandPort: lean?.port ?? null, store: redactUrl(config.storeUrl) }, 'ShardApp');

  let closing: Promise<void> | null = null;
  return {
    httpUrl,
    rpcPort,
    domain: config.domain,
    close: () => {
      closing ??= (async () => {
        await registration?.stop().catch(() => undefined);
        await lean?.close();
        await app.close();
      })();
      return closing;
    },
  };
}

const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
