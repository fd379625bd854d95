import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AUTH_OFF, AuditController, AuditQueryService, AuthModule, createAuthRuntime, EXTRA_CHAIN_VERIFIER, redactionProviders, type AuthRuntime } from '@lineage-hub/auth';
import { ClassificationRpcController } from './classification/classification-rpc.controller';
import { NodeClassificationService } from './classification/node-classification.service';
import { DomainErrorFilter, MetricsModule } from '@lineage-hub/common';
import { eventValidatorProvider } from './ingest/event-validator.provider';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { LineageController } from './marquez/lineage.controller';
import { LineageGraphService } from './graph/lineage-graph.service';
import { LineageQueryService } from './graph/lineage-query.service';
import { LINEAGE_STORE, lineageStoreProvider } from './graph/lineage-store.provider';
import type { LineageStore } from '@lineage-hub/store';
import { MarquezController } from './marquez/marquez.controller';
import { MarquezReadService } from './marquez/marquez-read.service';
import { MarquezSearchV2Controller } from './marquez/marquez-search-v2.controller';
import { MarquezSearchV2Service } from './marquez/marquez-search-v2.service';
import { MarquezStatsService } from './marquez/marquez-stats.service';
import { MembershipFilterService } from './graph/membership-filter.service';
import { ObservedWritesController } from './observed-writes/observed-writes.controller';
import { SHARD_CONFIG, type ShardConfig } from './shard.config';
import { ShardEndpoints } from './shard-endpoints';
import { ShardInfoService } from './rpc/shard-info.service';
import { ShardMetrics } from './health/shard-metrics.service';
import { ShardRpcController } from './rpc/shard-rpc.controller';
import { DeliveryRpcController } from './ingest/delivery.rpc-controller';
import { ShardReadsRpcController } from './rpc/shard-reads.rpc-controller';
import { FindingsController } from './findings/findings.controller';
import { FindingsEvaluator } from './findings/findings-evaluator.service';
import { FindingsMetrics } from './findings/findings-metrics.service';
import { FindingsQueryService } from './findings/findings-query.service';
import { FindingsRpcController } from './findings/findings-rpc.controller';
import { FindingsScheduler } from './findings/findings-scheduler.service';
import { findingsSettingsProvider } from './findings/findings-settings.provider';
import { DerivedVerifyController } from './integrity/derived-verify.controller';
import { DerivedVerifyService } from './integrity/derived-verify.service';

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
        MarquezSearchV2Controller,
        ObservedWritesController,
        HealthController,
        ShardRpcController,
        ShardReadsRpcController,
        DeliveryRpcController,
        FindingsController,
        FindingsRpcController,
        ClassificationRpcController,
        DerivedVerifyController,
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
        MarquezStatsService,
        MarquezSearchV2Service,
        MembershipFilterService,
        ShardEndpoints,
        ShardInfoService,
        HealthService,
        findingsSettingsProvider(config),
        FindingsMetrics,
        FindingsEvaluator,
        FindingsQueryService,
        FindingsScheduler,
        AuditQueryService,
        DerivedVerifyService,
        NodeClassificationService,
        // The redaction interceptor (libs/auth) learns restricted nodes from this shard's store.
        ...redactionProviders(NodeClassificationService, auth),
        // POST /api/v1/audit/verify also verifies this shard's event chain.
        { provide: EXTRA_CHAIN_VERIFIER, useFactory: (store: LineageStore) => async () => ({ events: await store.verifyChain() }), inject: [LINEAGE_STORE] },
      ],
      exports: [LineageGraphService, ShardEndpoints],
    };
  }
}
