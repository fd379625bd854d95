/**
 * Runs alerting in this worker process: the BullMQ worker that drains deliveries, the evaluation on its
 * interval (one process at a time, by a Redis lock), and a sweep that re-queues pending deliveries (after a
 * restart or a lost Redis nothing in the store is forgotten).
 */
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { QUEUES, type AlertDrainJob } from '../queue-names';
import { redisOptionsFromUrl } from '../redis-options';
import { WorkerRuntime } from '../worker-runtime';
import type { EvaluationResult } from './alert-evaluator';
import { AlertsRuntime } from './alerts.runtime';

const SWEEP_MS = 2_000;
const LOCK_MS = 120_000;

@Injectable()
export class AlertsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertsScheduler.name);
  private worker: Worker<AlertDrainJob> | null = null;
  private timers: NodeJS.Timeout[] = [];
  private evaluating: Promise<EvaluationResult> | null = null;

  constructor(
    private readonly runtime: AlertsRuntime,
    private readonly workerRuntime: WorkerRuntime,
  ) {}

  onApplicationBootstrap(): void {
    const { config } = this.runtime;
    if (this.runtime.queue && this.runtime.drain) {
      const drain = this.runtime.drain;
      this.worker = new Worker<AlertDrainJob>(
        QUEUES.alertDeliveries,
        async (job, token) => {
          const outcome = await drain.drain(job.data.alertId, job.data.receiver, (await this.runtime.routes()).receivers);
          if (outcome.done) return;
          await job.moveToDelayed(Date.now() + outcome.retryInMs, token);
          throw new DelayedError();
        },
        {
          connection: redisOptionsFromUrl(config.redisUrl!, { maxRetriesPerRequest: null }),
          prefix: this.workerRuntime.connections.bullPrefix,
          concurrency: config.concurrency,
          lockDuration: config.runLockMs,
          stalledInterval: config.runLockMs,
          maxStalledCount: 1_000,
        },
      );
      this.worker.on('error', (err) => this.logger.warn({ msg: 'alert delivery worker error', error: err.message }));
      this.every(SWEEP_MS, () => this.runtime.sweep());
    }
    if (config.alerts.intervalMs > 0) this.every(config.alerts.intervalMs, () => this.evaluate());
  }

  private every(ms: number, fn: () => Promise<unknown>): void {
    const tick = () =>
      fn()
        .catch((err: Error) => this.logger.warn({ msg: 'alerting task failed', error: err.message }))
        .finally(() => {
          if (this.timers.length) this.timers.push(setTimeout(tick, ms));
        });
    this.timers.push(setTimeout(tick, ms));
  }

  /** One evaluation now (shared if one is already running here; serialised across processes by a Redis lock). */
  evaluate(): Promise<EvaluationResult> {
    this.evaluating ??= this.evaluateLocked().finally(() => (this.evaluating = null));
    return this.evaluating;
  }

  private async evaluateLocked(): Promise<EvaluationResult> {
    const redis = this.workerRuntime.enabled ? this.workerRuntime.platform.redis : null; // 503 while Redis is away
    const key = `${this.runtime.config.prefix}:alerts:evaluating`;
    const token = randomUUID();
    if (redis) {
      const deadline = Date.now() + LOCK_MS;
      while ((await redis.set(key, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
        if (Date.now() > deadline) throw new Error('another worker holds the alert evaluation lock');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    try {
      const result = await this.runtime.evaluator!.evaluate(await this.runtime.routes());
      for (const d of result.deliveries) await this.runtime.enqueueDrain(d.alertId, d.receiver);
      this.runtime.metrics.evaluations.inc({ result: result.complete ? 'complete' : 'partial' });
      this.runtime.metrics.setCounts(await this.countsByState());
      return result;
    } catch (err) {
      this.runtime.metrics.evaluations.inc({ result: 'failed' });
      throw err;
    } finally {
      if (redis && (await redis.get(key)) === token) await redis.del(key);
    }
  }

  private async countsByState() {
    const rows = await this.runtime.store.driver.query<{ status: string; severity: string; n: number }>('SELECT status, severity, COUNT(*) AS n FROM alert_state GROUP BY status, severity');
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  async onApplicationShutdown(): Promise<void> {
    const timers = this.timers;
    this.timers = [];
    for (const t of timers) clearTimeout(t);
    await this.evaluating?.catch(() => undefined);
    await this.worker?.close().catch(() => undefined);
    this.worker = null;
  }
}
