/**
 * A ConnectorContext for connector tests: counts what went through schedule(), can hold every request
 * behind a gate (to prove no vendor request bypasses the limiter), can space requests, and records
 * budgets and logs. The worker's real context adds the Redis-backed limiter.
 */
import type { ConnectorContext, Cursor, Connector, PullBatch } from '../connector.contract';

export interface TestContextOptions {
  connectorId?: string;
  /** A fixed clock (epoch ms); defaults to Date.now. */
  now?: number | (() => number);
  /** Minimum spacing between scheduled requests, ms. */
  minTimeMs?: number;
  /** Start closed: schedule() waits until open() is called. */
  gated?: boolean;
  signal?: AbortSignal;
  /** An explicit window to read (see ConnectorContext.window). */
  window?: { from: number; to: number };
}

export interface TestContext extends ConnectorContext {
  /** Requests that went through schedule() (started). */
  readonly scheduled: number;
  readonly budgets: Array<{ used: number; max: number }>;
  readonly logs: Array<{ level: string; msg: string; meta?: Record<string, unknown> }>;
  /** Start times of scheduled requests. */
  readonly starts: number[];
  open(): void;
}

export const testContext = (options: TestContextOptions = {}): TestContext => {
  let scheduled = 0;
  let last = 0;
  let release: () => void = () => undefined;
  let gate: Promise<void> = options.gated ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  let chain: Promise<unknown> = Promise.resolve();
  const budgets: Array<{ used: number; max: number }> = [];
  const logs: Array<{ level: string; msg: string; meta?: Record<string, unknown> }> = [];
  const starts: number[] = [];
  const now = typeof options.now === 'function' ? options.now : options.now !== undefined ? () => options.now as number : () => Date.now();
  const ctx: TestContext = {
    connectorId: options.connectorId ?? 'test-connector',
    get scheduled() {
      return scheduled;
    },
    budgets,
    logs,
    starts,
    open() {
      release();
      gate = Promise.resolve();
    },
    async schedule<T>(fn: () => Promise<T>): Promise<T> {
      await gate;
      if (options.minTimeMs) {
        const turn = chain.then(async () => {
          const wait = last + options.minTimeMs! - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          last = Date.now();
        });
        chain = turn;
        await turn;
      }
      scheduled += 1;
      starts.push(Date.now());
      return fn();
    },
    reportBudget(budget) {
      budgets.push(budget);
    },
    now,
    signal: options.signal,
    ...(options.window ? { window: options.window } : {}),
    log(level, msg, meta) {
      logs.push({ level, msg, meta });
    },
  };
  return ctx;
};

export interface PullResult {
  batches: PullBatch[];
  events: Record<string, any>[];
  writes: PullBatch['observedWrites'];
  /** The cursor of the last batch (or the input cursor when none came). */
  cursor: Cursor | null;
}

/** Runs a pull to the end (or `maxBatches`) and gathers what it yielded. */
export const collectPull = async (
  connector: Connector,
  cursor: Cursor | null,
  ctx: ConnectorContext,
  maxBatches = Number.POSITIVE_INFINITY,
): Promise<PullResult> => {
  const batches: PullBatch[] = [];
  if (maxBatches > 0) {
    for await (const batch of connector.pull(cursor, ctx)) {
      batches.push(batch);
      if (batches.length >= maxBatches) break;
    }
  }
  return {
    batches,
    events: batches.flatMap((b) => b.events),
    writes: batches.flatMap((b) => b.observedWrites),
    cursor: batches.length ? batches[batches.length - 1].cursor : cursor,
  };
};
