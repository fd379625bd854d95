/** One BullMQ job scheduler per enabled connector instance; manual runs as jobs with deterministic ids. */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JobsOptions } from 'bullmq';
import { parseDuration, type ConnectorInstance } from '../instances/connector-instance';
import { newRunRecord, type RunRecord } from '../instances/connector-run.record';
import { backfillJobId, JOBS, manualRunJobId, schedulerId, type ConnectorRunJob } from '../queue-names';
import { WorkerRuntime } from '../worker-runtime';
import { WORKER_CONFIG, type WorkerConfig } from '../worker.config';

@Injectable()
export class ConnectorScheduler {
  private readonly logger = new Logger(ConnectorScheduler.name);

  constructor(
    private readonly runtime: WorkerRuntime,
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
  ) {}

  private get jobOptions(): JobsOptions {
    return {
      attempts: this.config.runAttempts,
      backoff: { type: 'exponential', delay: this.config.runBackoffMs },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    };
  }

  /** Creates, updates or (when disabled) removes the instance's scheduler. */
  async sync(instance: ConnectorInstance): Promise<void> {
    const { queue } = this.runtime.platform;
    if (!instance.enabled) {
      await queue.removeJobScheduler(schedulerId(instance.id));
      return;
    }
    const repeat =
      'every' in instance.schedule
        ? { every: parseDuration(instance.schedule.every)! }
        : { pattern: instance.schedule.cron, ...(instance.schedule.tz ? { tz: instance.schedule.tz } : {}) };
    const data: ConnectorRunJob = { connectorId: instance.id, trigger: 'schedule' };
    await queue.upsertJobScheduler(schedulerId(instance.id), repeat, { name: JOBS.connectorRun, data, opts: this.jobOptions });
    this.logger.log({ msg: 'connector scheduled', connectorId: instance.id, ...repeat });
  }

  async remove(connectorId: string): Promise<void> {
    await this.runtime.platform.queue.removeJobScheduler(schedulerId(connectorId));
  }

  /** Schedulers whose connector no longer exists are removed. */
  async prune(known: Set<string>): Promise<void> {
    const { queue } = this.runtime.platform;
    for (const scheduler of await queue.getJobSchedulers(0, -1)) {
      const id = scheduler.key.replace(/^connector__/, '');
      if (scheduler.key.startsWith('connector__') && !known.has(id)) await queue.removeJobScheduler(scheduler.key);
    }
  }

  /**
   * Queues a run now; asking twice within the same second is one run. With a window, a backfill / re-run of
   * exactly [from, to) (one job per connector and window while it is queued or running).
   */
  async runNow(instance: ConnectorInstance, window?: { from: number; to: number }): Promise<RunRecord> {
    const { queue, store } = this.runtime.platform;
    const now = Date.now();
    let jobId = window ? backfillJobId(instance.id, window) : manualRunJobId(instance.id, now);
    const existing = await store.getRun(jobId);
    if (existing && (existing.state === 'queued' || existing.state === 'running')) return existing;
    // The same second's run already finished: this is a new request, not a double submit.
    if (existing) jobId = `${jobId}__${now % 1000}`;
    const trigger = window ? 'backfill' : 'manual';
    const run = newRunRecord({ runId: jobId, connectorId: instance.id, kind: instance.kind, domain: instance.domain, trigger, queuedAt: now });
    if (window) run.window = { ...window };
    await store.saveRun(run);
    const data: ConnectorRunJob = { connectorId: instance.id, trigger, ...(window ? { window } : {}) };
    await queue.add(JOBS.connectorRun, data, { ...this.jobOptions, jobId });
    return run;
  }
}
