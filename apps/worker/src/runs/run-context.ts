/**
 * The ConnectorContext a run hands its connector: every vendor request goes through the account's shared
 * limiter; a request the vendor throttles waits (the whole account pauses, across processes) and is tried
 * again a few times before the run itself is delayed.
 */
import type { Logger } from '@nestjs/common';
import { type ConnectorContext, ConnectorError, toConnectorError } from '@lineage-hub/connector-sdk';
import type { AccountLimiters, RateLimit } from '../limits/account-limiters';
import type { WorkerMetrics } from '../worker-metrics.service';
import { sqlColumnLineage } from './sql-lineage.adapter';

/** A throttled request waits in place this many times; beyond, or for longer waits, the run is delayed. */
const IN_PLACE_RETRIES = 3;
const IN_PLACE_MAX_WAIT_MS = 60_000;
/** Budget use (e.g. Salesforce api-usage) at which the account pauses. */
const BUDGET_PAUSE_RATIO = 0.9;
const BUDGET_PAUSE_MS = 60_000;

export interface RunCounters {
  requests: number;
  rateLimitWaits: number;
}

/**
 * The error a vendor request that never answers ends with (a socket accepted and silent, a query stuck): a
 * transient ConnectorError, so the run is retried with backoff instead of looking alive for minutes.
 */
export class VendorRequestTimeoutError extends ConnectorError {
  constructor(connectorId: string, timeoutMs: number) {
    super(
      'transient',
      `vendor request timed out: connector "${connectorId}" got no answer within ${timeoutMs} ms ` +
        '(worker setting VENDOR_REQUEST_TIMEOUT_MS; with `npm start`, worker.requestTimeoutMs in apps/hub/hub.config.yaml)',
    );
  }
}

/** Resolves or rejects as `work` does, or rejects with `onTimeout()` once `ms` have passed (the work is abandoned). */
export const withDeadline = <T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref?.();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
};

export const throttleBackoffMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** attempt);

export const createRunContext = (deps: {
  connectorId: string;
  account: string;
  rate: RateLimit;
  limiters: AccountLimiters;
  mapError: (err: unknown) => ConnectorError;
  metrics: WorkerMetrics;
  logger: Logger;
  signal: AbortSignal;
  counters: RunCounters;
  /** Longest a single vendor request may go without an answer. */
  requestTimeoutMs: number;
}): ConnectorContext => {
  const { connectorId, account, rate, limiters, metrics, counters, signal } = deps;
  const labels = { connector: connectorId, account };
  const waited = (ms: number) => {
    counters.rateLimitWaits += 1;
    metrics.rateLimitWaits.inc(labels);
    metrics.rateLimitWaitSeconds.inc(labels, ms / 1000);
  };
  return {
    connectorId,
    signal,
    now: () => Date.now(),
    async schedule<T>(fn: () => Promise<T>, opts?: { weight?: number }): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        try {
          return await limiters.schedule(
            account,
            rate,
            async () => {
              counters.requests += 1;
              metrics.requests.inc({ connector: connectorId });
              return withDeadline(fn(), deps.requestTimeoutMs, () => new VendorRequestTimeoutError(connectorId, deps.requestTimeoutMs));
            },
            { weight: opts?.weight, signal, onPause: waited },
          );
        } catch (err) {
          const mapped = toConnectorError(err, deps.mapError);
          const wait = mapped.retryAfterMs ?? throttleBackoffMs(attempt);
          if (mapped.code !== 'rate-limited' || attempt >= IN_PLACE_RETRIES || wait > IN_PLACE_MAX_WAIT_MS || signal.aborted) throw err;
          deps.logger.warn({ msg: 'vendor asked to slow down; pausing the account', connectorId, account, waitMs: wait, attempt });
          await limiters.pause(account, wait);
        }
      }
    },
    reportBudget(budget) {
      if (budget.max > 0 && budget.used / budget.max >= BUDGET_PAUSE_RATIO) {
        deps.logger.warn({ msg: 'vendor budget nearly spent; pausing the account', connectorId, account, ...budget });
        void limiters.pause(account, BUDGET_PAUSE_MS);
      }
    },
    log(level, msg, meta) {
      const line = { msg, connectorId, ...(meta ?? {}) };
      if (level === 'error') deps.logger.error(line);
      else if (level === 'warn') deps.logger.warn(line);
      else if (level === 'debug') deps.logger.debug(line);
      else deps.logger.log(line);
    },
    sqlLineage: sqlColumnLineage,
  };
};
