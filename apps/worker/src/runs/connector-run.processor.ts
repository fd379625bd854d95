/** Hosts the BullMQ worker that processes connector-run jobs in this process. */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { CONNECTOR_REGISTRY, type ConnectorRegistry } from '../connector-registry';
import { QUEUES, type ConnectorRunJob } from '../queue-names';
import { redisOptionsFromUrl } from '../redis-options';
import { WorkerMetrics } from '../worker-metrics.service';
import { WorkerRuntime } from '../worker-runtime';
import { WORKER_CONFIG, type WorkerConfig } from '../worker.config';
import { ConnectorRunner } from './connector-runner';

@Injectable()
export class ConnectorRunProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectorRunProcessor.name);
  private worker: Worker<ConnectorRunJob> | null = null;
  private runner: ConnectorRunner | null = null;

  constructor(
    private readonly runtime: WorkerRuntime,
    private readonly metrics: WorkerMetrics,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(CONNECTOR_REGISTRY) private readonly registry: ConnectorRegistry,
  ) {}

  get running(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  onApplicationBootstrap(): void {
    if (!this.runtime.enabled) return;
    const platform = this.runtime.connections;
    this.runner = new ConnectorRunner(platform, this.registry, this.config, this.metrics);
    const runner = this.runner;
    this.worker = new Worker<ConnectorRunJob>(QUEUES.connectorRuns, (job, token) => runner.process(job, token), {
      connection: redisOptionsFromUrl(this.config.redisUrl!, { maxRetriesPerRequest: null }),
      prefix: platform.bullPrefix,
      concurrency: this.config.concurrency,
      lockDuration: this.config.runLockMs,
      stalledInterval: this.config.runLockMs,
      maxStalledCount: 5,
    });
    this.worker.on('error', (err) => this.logger.warn({ msg: 'bullmq worker error', error: err.message }));
    this.logger.log({ msg: 'processing connector runs', queue: QUEUES.connectorRuns, concurrency: this.config.concurrency });
  }

  async onApplicationShutdown(): Promise<void> {
    this.runner?.abortAll();
    await this.worker?.close().catch(() => undefined);
    this.worker = null;
  }
}
