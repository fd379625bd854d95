import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AUTH_OFF, AuthAdminModule, AuthModule, createAuthRuntime, redactionProviders, type AuthRuntime } from '@lineage-hub/auth';
import { GatewayNodeFacts } from './redaction/gateway-node-facts.service';
import { SignInMethodsController } from './web/sign-in-methods.controller';
import { correlationMiddleware, DomainErrorFilter, MetricsModule } from '@lineage-hub/common';
import { FindingsController } from './findings/findings.controller';
import { FindingsFederationService } from './findings/findings-federation.service';
import { FreshnessRoutingService } from './findings/freshness-routing.service';
import { GATEWAY_CONFIG, type GatewayConfig } from './gateway.config';
import { GatewayHealthController } from './health/gateway-health.controller';
import { GatewayHealthService } from './health/gateway-health.service';
import { ImpactController } from './impact/impact.controller';
import { ImpactService } from './impact/impact.service';
import { IngestController } from './ingest/ingest.controller';
import { IngestRouterService } from './ingest/ingest-router.service';
import { MarquezController } from './marquez/marquez.controller';
import { MarquezDashboardService } from './marquez/marquez-dashboard.service';
import { MarquezFederationService } from './marquez/marquez-federation.service';
import { MarquezMergedReads } from './marquez/marquez-merged-reads.service';
import { MarquezLineageGraph } from './marquez/marquez-lineage-graph.service';
import { MarquezSearchV2Controller } from './marquez/marquez-search-v2.controller';
import { ShardFanOut } from './marquez/shard-fan-out.service';
import { OwnerInputVersions } from './marquez/owner-input-versions.service';
import { GatewayMetricsService } from './shards/gateway-metrics.service';
import { ShardClientService } from './shards/shard-client.service';
import { ShardRegistryService } from './shards/shard-registry.service';
import { AlertsForwardModule } from './alerts/alerts-forward.module';
import { ConnectorAdminModule } from './connector-admin/connector-admin.module';

@Module({})
export class GatewayModule implements NestModule {
  /** `auth` defaults to what the config says (off in plain test configs). */
  static forConfig(config: GatewayConfig, auth: AuthRuntime = createAuthRuntime(config.auth ?? AUTH_OFF)): DynamicModule {
    return {
      module: GatewayModule,
      imports: [AuthModule.forRoot(auth), AuthAdminModule, MetricsModule, ConnectorAdminModule, AlertsForwardModule],
      controllers: [ImpactController, MarquezController, MarquezSearchV2Controller, IngestController, GatewayHealthController, FindingsController, SignInMethodsController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        GatewayMetricsService,
        ShardClientService,
        ShardRegistryService,
        ImpactService,
        ShardFanOut,
        MarquezFederationService,
        MarquezMergedReads,
        MarquezLineageGraph,
        OwnerInputVersions,
        MarquezDashboardService,
        FindingsFederationService,
        FreshnessRoutingService,
        IngestRouterService,
        GatewayHealthService,
        GatewayNodeFacts,
        // Redaction of every read answer (libs/auth): the facts come from the shards (classification.of).
        ...redactionProviders(GatewayNodeFacts, auth),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(correlationMiddleware).forRoutes('*');
  }
}
