import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AUTH_OFF, AuditController, AuditQueryService, AuthModule, createAuthRuntime, EXTRA_CHAIN_VERIFIER, type AuthRuntime } from '@lineage-hub/auth';
import { DomainErrorFilter, MetricsModule } from '@lineage-hub/common';
import { eventValidatorProvider } from './event-validator.provider';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { LineageController } from './lineage.controller';
import { LineageGraphService } from './lineage-graph.service';
import { LineageQueryService } from './lineage-query.service';
import { lineageStoreProvider } from './lineage-store.provider';
import { MarquezController } from './marquez.controller';
import { MarquezReadService } from './marquez-read.service';
import { MembershipFilterService } from './membership-filter.service';
import { ObservedWritesController } from './observed-writes.controller';
import { SHARD_CONFIG, type ShardConfig } from './shard.config';
import { ShardEndpoints } from './shard-endpoints';
import { ShardInfoService } from './shard-info.service';
import { ShardMetrics } from './shard-metrics.service';
import { ShardRpcController } from './shard-rpc.controller';

/** One domain's shard: OpenLineage ingest, the store and index, Marquez reads, and the gateway's RPC endpoint. */
@Module({})
export class ShardModule {
  static forRoot(config: ShardConfig, auth: AuthRuntime = createAuthRuntime(config.auth ?? AUTH_OFF)): DynamicModule {
    return {
      module: ShardModule,
      imports: [AuthModule.forRoot(auth), MetricsModule],
      controllers: [
        IngestController,
        LineageController,
        MarquezController,
        ObservedWritesController,
        HealthController,
        ShardRpcController,
        AuditController,
      ],
      providers: [
        { provide: SHARD_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        lineageStoreProvider,
        eventValidatorProvider,
        LineageGraphService,
        ShardMetrics,
        IngestService,
        LineageQueryService,
        MarquezReadService,
        MembershipFilterService,
        ShardEndpoints,
        ShardInfoService,
        HealthService,
        AuditQueryService,
        // POST /api/v1/audit/verify also verifies this shard's event chain.
        { provide: EXTRA_CHAIN_VERIFIER, useFactory: (graph: LineageGraphService) => async () => ({ events: await graph.store.verifyChain() }), inject: [LineageGraphService] },
      ],
      exports: [LineageGraphService, ShardEndpoints],
    };
  }
}
