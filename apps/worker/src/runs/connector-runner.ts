/**
 * Runs one connector-run job: pull from the stored cursor, deliver each batch to the domain's shard, then
 * save the batch's cursor, so a run killed midway resumes after the last delivered batch and a batch
 * delivered twice changes nothing at the shard. Coverage (windows, counts, gaps) is recorded per batch, and
 * when the run ends its coverage record goes to the domain's shard (`coverage.record`, run-coverage.ts): a run
 * that read everything waits for the shard to take it (a shard that does not answer retries the run); a run that
 * failed for good reports what it did read, best effort.
 * Errors, mapped to the neutral codes, become: transient -> BullMQ retry with backoff; rate-limited ->
 * the account pauses and the job is delayed (no attempt used); cursor-invalid -> the cursor is dropped,
 * the window it covered recorded as a gap, and the pull starts afresh; auth-failed/not-found ->
 * UnrecoverableError.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import {
  type ConnectorError,
  type ConnectorFactory,
  type CoverageGap,
  type Cursor,
  errorDisposition,
  isConnectorError,
  type PullBatch,
  toConnectorError,
} from '@lineage-hub/connector-sdk';
import { DomainError } from '@lineage-hub/model';
import type { ConnectorRegistry } from '../connector-registry';
import { type ConnectorInstance, resolveSecrets } from '../instances/connector-instance';
import { openSecrets, scrub, secretValues } from '../instances/connector-secrets';
import { newRunRecord, type RunRecord } from '../instances/connector-run.record';
import { DeliveryRefusedError } from '../delivery/shard-delivery';
import type { ConnectorRunJob } from '../queue-names';
import type { ConnectorPlatform } from '../worker-runtime';
import type { WorkerConfig } from '../worker.config';
import type { WorkerMetrics } from '../worker-metrics.service';
import { createRunContext, throttleBackoffMs, type RunCounters, withDeadline } from './run-context';
import { recordBatch } from './run-batch.record';
import { runCoverageRecords } from './run-coverage';

/** How long a job waits when another run of the same connector holds the run lock. */
const LOCK_BUSY_DELAY_MS = 2_000;

class RunLockLost extends Error {}

export class ConnectorRunner {
  private readonly logger = new Logger(ConnectorRunner.name);
  private readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly shutdown = new AbortController();

  constructor(
    private readonly platform: ConnectorPlatform,
    private readonly registry: ConnectorRegistry,
    private readonly config: WorkerConfig,
    private readonly metrics: WorkerMetrics,
  ) {}

  /** Stops runs at their next batch boundary; their jobs are put back to run again, no attempt used. */
  abortAll(): void {
    this.shutdown.abort();
  }

  async process(job: Job<ConnectorRunJob>, token?: string): Promise<{ state: string }> {
    const { store } = this.platform;
    const { connectorId } = job.data;
    const instance = await store.get(connectorId);
    if (!instance) throw new UnrecoverableError(`connector "${connectorId}" no longer exists`);
    if (!(await store.acquireRunLock(connectorId, this.owner, this.config.runLockMs))) {
      await job.moveToDelayed(Date.now() + LOCK_BUSY_DELAY_MS, token);
      throw new DelayedError(`connector "${connectorId}" is running elsewhere; this run waits`);
    }
    const renew = setInterval(() => {
      void store.renewRunLock(connectorId, this.owner, this.config.runLockMs).then((held) => {
        if (!held) lockLost.abort();
      }, () => undefined);
    }, Math.max(200, Math.floor(this.config.runLockMs / 3)));
    const lockLost = new AbortController();
    const signal = AbortSignal.any([this.shutdown.signal, lockLost.signal]);
    const run = (await store.getRun(job.id!)) ?? newRunRecord({ runId: job.id!, connectorId, kind: instance.kind, domain: instance.domain, trigger: job.data.trigger, queuedAt: job.timestamp });
    run.state = 'running';
    run.attempts = job.attemptsMade + 1;
    run.worker = this.owner;
    run.startedAt ??= Date.now();
    run.error = null;
    await store.saveRun(run);
    const factory = this.registry.get(instance.kind);
    let account: string | undefined;
    let secrets: string[] = [];
    try {
      if (!factory) throw new UnrecoverableError(`connector kind "${instance.kind}" is not registered in this worker`);
      let config: unknown;
      try {
        const resolved = resolveSecrets(openSecrets(instance.settings, this.config.secretBox, instance.id), this.config.secret);
        secrets = secretValues(instance.settings, resolved);
        config = factory.configSchema.parse(resolved);
      } catch (err) {
        throw new UnrecoverableError(`connector "${instance.id}" settings are no longer valid: ${(err as Error).message}`);
      }
      account = factory.accountKey(config);
      await this.pullAll(instance, factory, config, account, run, signal, job.data.window);
      if (signal.aborted) throw lockLost.signal.aborted ? new RunLockLost('run lock lost') : new RunLockLost('worker shutting down');
      await this.reportCoverage(run);
      run.state = 'succeeded';
      run.finishedAt = Date.now();
      await store.saveRun(run);
      this.metrics.runs.inc({ connector: connectorId, kind: instance.kind, state: 'succeeded' });
      return { state: run.state };
    } catch (err) {
      // no error text, run record or log line carries a secret (a vendor error may echo a connection string)
      if (err instanceof Error && secrets.length) err.message = scrub(err.message, secrets);
      return await this.failed(err, job, token, instance, factory, account, run);
    } finally {
      clearInterval(renew);
      await store.releaseRunLock(connectorId, this.owner).catch(() => undefined);
    }
  }

  private async pullAll(
    instance: ConnectorInstance,
    factory: ConnectorFactory,
    config: unknown,
    account: string,
    run: RunRecord,
    signal: AbortSignal,
    window?: { from: number; to: number },
  ): Promise<void> {
    const { store, limiters } = this.platform;
    const counters: RunCounters = { requests: 0, rateLimitWaits: 0 };
    const ctx = createRunContext({
      connectorId: instance.id,
      account,
      rate: instance.rateLimit,
      limiters,
      mapError: factory.mapError,
      metrics: this.metrics,
      logger: this.logger,
      signal,
      counters,
      requestTimeoutMs: this.config.requestTimeoutMs,
    });
    // A backfill / re-run reads exactly its window, is recorded with it, and never moves the cursor.
    if (window) {
      ctx.window = window;
      run.window = { ...window };
    }
    let restartedAfterBadCursor = false;
    let lostFrom: number | null = null;
    for (;;) {
      const stored = await store.getCursor(instance.id);
      const connector = factory.create(config);
      run.coverage.namespace ??= connector.namespace;
      let firstBatch = true;
      try {
        for await (const batch of connector.pull(stored?.cursor ?? null, ctx)) {
          if (lostFrom !== null && firstBatch) {
            if (batch.coverage.windowStart > lostFrom)
              batch.coverage.gaps.unshift(cursorGap(lostFrom, batch.coverage.windowStart, 'the stored cursor was refused; the pull restarted from the connector\'s initial window'));
            lostFrom = null;
          }
          firstBatch = false;
          await this.deliver(instance, batch, run, counters, !window);
          if (signal.aborted) return;
        }
        if (lostFrom !== null) {
          this.addGaps(instance, run, [cursorGap(lostFrom, Date.now(), 'the stored cursor was refused and the fresh pull read nothing')]);
          await store.saveRun(run);
        }
        return;
      } catch (err) {
        const mapped = toConnectorError(err, factory.mapError);
        if (mapped.code !== 'cursor-invalid' || restartedAfterBadCursor || isDelivery(err) || window) throw err;
        restartedAfterBadCursor = true;
        lostFrom = stored?.watermark ?? null;
        this.logger.warn({ msg: 'cursor refused; starting afresh and recording the gap', connectorId: instance.id, error: mapped.message, watermark: lostFrom });
        await store.saveCursor(instance.id, null, null, Date.now());
      } finally {
        // a connection stuck on a request that timed out may never close cleanly: give up on it after the same deadline
        await withDeadline(connector.close?.() ?? Promise.resolve(), this.config.requestTimeoutMs, () => new Error('close timed out')).catch(() => undefined);
        run.counts.requests = counters.requests;
        run.counts.rateLimitWaits = counters.rateLimitWaits;
      }
    }
  }

  /** Delivery first, then the cursor: a crash between the two re-delivers one batch, which the shard dedupes. */
  private async deliver(instance: ConnectorInstance, batch: PullBatch, run: RunRecord, counters: RunCounters, keepCursor: boolean): Promise<void> {
    const { store, delivery } = this.platform;
    const outcome = await delivery.deliver(instance.domain, batch);
    if (keepCursor) {
      await store.saveCursor(instance.id, batch.cursor as Cursor, batch.coverage.windowEnd, Date.now());
      this.metrics.watermark(instance.id, batch.coverage.windowEnd);
    }
    const gaps = recordBatch(run, batch, outcome.eventsRefused, counters, keepCursor);
    this.addGaps(instance, run, gaps);
    this.metrics.rowsRead.inc({ connector: instance.id }, batch.coverage.rowsRead);
    this.metrics.events.inc({ connector: instance.id }, batch.events.length);
    this.metrics.observedWrites.inc({ connector: instance.id }, batch.observedWrites.length);
    await store.saveRun(run);
  }

  /** Files the run's coverage with the shard of its domain; throws what delivery throws (transient: the run retries). */
  private async reportCoverage(run: RunRecord): Promise<void> {
    const records = runCoverageRecords(run);
    if (records.length === 0) return;
    await this.platform.delivery.recordCoverage(run.domain, records);
    run.coverage.reportedAt = Date.now();
  }

  /** A run that failed for good still read what it read: report it if the shard answers, never fail over it. */
  private async reportCoverageBestEffort(run: RunRecord): Promise<void> {
    await this.reportCoverage(run).catch((err: Error) =>
      this.logger.warn({ msg: 'coverage of a failed run not reported', connectorId: run.connectorId, runId: run.runId, error: err.message }),
    );
  }

  private addGaps(instance: ConnectorInstance, run: RunRecord, gaps: CoverageGap[]) {
    for (const gap of gaps) {
      run.coverage.gaps.push(gap);
      run.coverage.complete = false;
      this.metrics.gaps.inc({ connector: instance.id, kind: gap.kind });
      this.logger.warn({ msg: 'coverage gap recorded', connectorId: instance.id, ...gap });
    }
  }

  private async failed(
    err: unknown,
    job: Job<ConnectorRunJob>,
    token: string | undefined,
    instance: ConnectorInstance,
    factory: ConnectorFactory | undefined,
    account: string | undefined,
    run: RunRecord,
  ): Promise<never> {
    const { store, limiters } = this.platform;
    const labels = { connector: instance.id, kind: instance.kind };
    if (err instanceof RunLockLost || this.shutdown.signal.aborted) {
      run.state = 'queued';
      run.error = { code: 'interrupted', message: (err as Error).message };
      await store.saveRun(run);
      await job.moveToDelayed(Date.now() + 100, token);
      throw new DelayedError('run interrupted; it will resume from the last delivered batch');
    }
    if (err instanceof UnrecoverableError || err instanceof DeliveryRefusedError || err instanceof DomainError) {
      this.metrics.failures.inc({ ...labels, code: 'permanent' });
      return this.finalFailure(run, labels, 'permanent', (err as Error).message);
    }
    const mapped: ConnectorError = factory ? toConnectorError(err, factory.mapError) : (err as ConnectorError);
    const code = isConnectorError(mapped) ? mapped.code : 'transient';
    this.metrics.failures.inc({ ...labels, code });
    run.error = { code, message: mapped.message };
    switch (errorDisposition(code)) {
      case 'throttle': {
        const delay = mapped.retryAfterMs ?? throttleBackoffMs(job.attemptsMade + 2);
        if (account) await limiters.pause(account, delay).catch(() => undefined);
        run.state = 'throttled';
        await store.saveRun(run);
        this.logger.warn({ msg: 'vendor throttled the run; delayed', connectorId: instance.id, delayMs: delay });
        await job.moveToDelayed(Date.now() + delay, token);
        throw new DelayedError(`throttled by the vendor; resumes in ${delay} ms`);
      }
      case 'unrecoverable':
      case 'reset-cursor':
        return this.finalFailure(run, labels, code, mapped.message);
      case 'retry': {
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        run.state = last ? 'failed' : 'retrying';
        if (last) {
          run.finishedAt = Date.now();
          run.coverage.complete = false;
          await this.reportCoverageBestEffort(run);
        }
        await store.saveRun(run);
        if (last) this.metrics.runs.inc({ ...labels, state: 'failed' });
        this.logger.warn({ msg: last ? 'run failed, no attempts left' : 'run failed; BullMQ retries with backoff', connectorId: instance.id, code, error: mapped.message });
        throw mapped;
      }
    }
  }

  private async finalFailure(run: RunRecord, labels: { connector: string; kind: string }, code: string, message: string): Promise<never> {
    run.state = 'failed';
    run.finishedAt = Date.now();
    // A failed run did not read everything it was meant to: its coverage is never complete.
    run.coverage.complete = false;
    run.error = { code, message };
    await this.reportCoverageBestEffort(run);
    await this.platform.store.saveRun(run);
    this.metrics.runs.inc({ ...labels, state: 'failed' });
    this.logger.error({ msg: 'run failed permanently', connectorId: labels.connector, code, error: message });
    throw new UnrecoverableError(message);
  }
}

const cursorGap = (from: number, to: number, reason: string): CoverageGap => ({ kind: 'cursor-invalid', from, to, reason });
const isDelivery = (err: unknown) => err instanceof DeliveryRefusedError;
