/**
 * Alerting's parts, made once per worker process: the alert store (opened and migrated at start), the routes
 * document (ALERTS_FILE loaded and validated at start; a bad file stops the start naming the field), the
 * gateway client, the notifiers, and, when Redis is there, the delivery queue and the per-receiver limiter.
 */
import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { NotifierRegistry, parseAlertRoutes, parseAlertRoutesYaml, type AlertRoutes, type SecretResolver } from '@lineage-hub/alerts';
import { MetricsService } from '@lineage-hub/common';
import { DomainError } from '@lineage-hub/model';
import { alertDrainJobId, JOBS, QUEUES, type AlertDrainJob } from '../queue-names';
import { redisOptionsFromUrl } from '../redis-options';
import { WorkerRuntime } from '../worker-runtime';
import { WORKER_CONFIG, type WorkerConfig } from '../worker.config';
import { AlertDeliveryDrain } from './alert-delivery.drain';
import { AlertEvaluator } from './alert-evaluator';
import { AlertStore } from './alert-store';
import { AlertsMetrics } from './alerts.metrics';
import { GatewayClient } from './gateway.client';
import { ReceiverRateWindow } from './receiver-rate.window';

@Injectable()
export class AlertsRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertsRuntime.name);
  private storeValue: AlertStore | null = null;
  readonly notifiers = new NotifierRegistry();
  readonly gateway: GatewayClient;
  readonly metrics: AlertsMetrics;
  readonly secrets: SecretResolver;
  queue: Queue<AlertDrainJob> | null = null;
  drain: AlertDeliveryDrain | null = null;
  evaluator: AlertEvaluator | null = null;

  constructor(
    @Inject(WORKER_CONFIG) readonly config: WorkerConfig,
    private readonly worker: WorkerRuntime,
    metrics: MetricsService,
  ) {
    this.gateway = new GatewayClient(config.alerts.gatewayUrl, config.alerts.httpTimeoutMs, config.auth.serviceToken, config.alerts.lineageCacheMs);
    this.metrics = new AlertsMetrics(metrics);
    this.secrets = (ref) => {
      if (typeof ref === 'string') return ref;
      try {
        return config.secret(ref.env);
      } catch {
        return undefined; // not on the allow-list: delivery says the secret is not set
      }
    };
  }

  get store(): AlertStore {
    if (!this.storeValue) throw new DomainError('unavailable', 'the alert store is not open');
    return this.storeValue;
  }

  async onModuleInit(): Promise<void> {
    const settings = this.config.alerts;
    // the file is read and validated before the store opens: a bad file leaves nothing open behind it
    let fileRoutes: AlertRoutes | null = null;
    if (settings.routesFile) {
      let text: string;
      try {
        text = readFileSync(settings.routesFile, 'utf8');
      } catch (err) {
        throw new DomainError('invalid-argument', `ALERTS_FILE: cannot read ${settings.routesFile}: ${(err as Error).message}`, 'ALERTS_FILE');
      }
      try {
        fileRoutes = parseAlertRoutesYaml(text);
      } catch (err) {
        throw new DomainError('invalid-argument', `ALERTS_FILE ${settings.routesFile}: ${(err as Error).message}`, (err as DomainError).field);
      }
    }
    this.storeValue = await AlertStore.open(settings.storeUrl);
    if (fileRoutes) await this.store.putRoutes(fileRoutes, Date.now());
    this.evaluator = new AlertEvaluator(this.gateway, this.store);
    this.logger.log({ msg: 'alert store ready', store: settings.storeUrl.replace(/\/\/[^@]*@/, '//***@'), routesFile: settings.routesFile ?? null });
  }

  onApplicationBootstrap(): void {
    if (!this.worker.enabled) {
      this.logger.warn({ msg: 'alert delivery is disabled until REDIS_URL is set: notifications wait in the alert store' });
      return;
    }
    const platform = this.worker.connections;
    this.queue = new Queue<AlertDrainJob>(QUEUES.alertDeliveries, { connection: redisOptionsFromUrl(this.config.redisUrl!, { maxRetriesPerRequest: null }), prefix: platform.bullPrefix });
    this.drain = new AlertDeliveryDrain(this.store, this.notifiers, new ReceiverRateWindow(platform.redis, this.config.prefix), this.metrics, this.config.alerts, this.secrets);
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.queue = null;
    await this.storeValue?.close().catch(() => undefined);
    this.storeValue = null;
  }

  /** The routes document in force (the store is shared by every worker process, so it is read each time). */
  async routes(): Promise<AlertRoutes> {
    const stored = await this.store.routes();
    return parseAlertRoutes(stored?.doc ?? {});
  }

  async enqueueDrain(alertId: string, receiver: string): Promise<void> {
    if (!this.queue) return;
    await this.queue.add(JOBS.alertDrain, { alertId, receiver }, { jobId: alertDrainJobId(alertId, receiver), removeOnComplete: true, removeOnFail: 1000, attempts: 1_000_000, backoff: { type: 'exponential', delay: 1000 } });
  }

  /** Makes sure every pending delivery has a drain queued (after a restart, a lost Redis, or a race with a running drain). */
  async sweep(): Promise<number> {
    if (!this.queue) return 0;
    const streams = await this.store.pendingStreams();
    for (const s of streams) await this.enqueueDrain(s.alertId, s.receiver);
    return streams.length;
  }
}
