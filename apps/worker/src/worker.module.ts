import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { ConnectorFactory } from '@lineage-hub/connector-sdk';
import { AUTH_OFF, AuthModule, createAuthRuntime, redactionProviders, type AuthRuntime } from '@lineage-hub/auth';
import { correlationMiddleware, DomainErrorFilter, MetricsModule } from '@lineage-hub/common';
import { ALERTS_CONTROLLERS, ALERTS_PROVIDERS } from './alerts/alerts.providers';
import { WorkerNodeFacts } from './alerts/worker-node-facts.service';
import { CONNECTOR_FACTORIES, CONNECTOR_REGISTRY, ConnectorRegistry } from './connector-registry';
import { ConnectorAdminService } from './admin/connector-admin.service';
import { ConnectorsController } from './admin/connectors.controller';
import { ConnectorRunProcessor } from './runs/connector-run.processor';
import { ConnectorScheduler } from './runs/connector-scheduler.service';
import { WorkerHealthController } from './worker-health.controller';
import { WorkerHealthService } from './worker-health.service';
import { WorkerMetrics } from './worker-metrics.service';
import { WorkerRuntime } from './worker-runtime';
import { WORKER_CONFIG, type WorkerConfig } from './worker.config';

@Module({})
export class WorkerModule implements NestModule {
  /** `factories` defaults to the composition root's list (tests add fakes). A duplicate kind fails here. */
  static forRoot(config: WorkerConfig, factories: ConnectorFactory[] = CONNECTOR_FACTORIES, auth: AuthRuntime = createAuthRuntime(config.auth ?? AUTH_OFF)): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AuthModule.forRoot(auth), MetricsModule],
      controllers: [ConnectorsController, WorkerHealthController, ...ALERTS_CONTROLLERS],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: CONNECTOR_REGISTRY, useValue: new ConnectorRegistry(factories) },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        WorkerRuntime,
        WorkerMetrics,
        ConnectorScheduler,
        ConnectorRunProcessor,
        ConnectorAdminService,
        WorkerHealthService,
        ...ALERTS_PROVIDERS,
        // alerts name datasets and jobs: the worker's own reads are redacted like the gateway's
        WorkerNodeFacts,
        ...redactionProviders(WorkerNodeFacts, auth),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlationMiddleware).forRoutes('*');
  }
}
