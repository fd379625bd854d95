/**
 * Cooperative time slices for long ingest work: `await slice.pause()` between steps gives the event loop back
 * (setImmediate, after pending I/O) once the current slice has run SLICE_MS, so reads served by the same process
 * wait at most about one slice behind a large batch instead of the whole batch. A pause within a slice costs
 * nothing but a clock read.
 */
import { performance } from 'node:perf_hooks';

/** How long ingest work runs before it lets other requests in (ms). */
export const SLICE_MS = 4;

/** Items of a batch's folding loops between two looks at the transaction's time slice (`await tx.pause?.()`). */
export const PAUSE_EVERY = 32;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Milliseconds the event loop has waited for I/O since the process started (libuv's idle time). */
const idleMs = (): number => performance.eventLoopUtilization().idle;

export class TimeSlice {
  private started = performance.now();
  private idleAtStart = idleMs();

  constructor(private readonly budgetMs: number = SLICE_MS) {}

  /**
   * True when the slice has run its budget (the caller should pause). Work that awaited I/O meanwhile (a PostgreSQL
   * transaction waiting for its answers) already let the event loop serve others: when the loop waited since the
   * slice began, a new slice begins now instead, so such work does not pause for nothing (every statement of a
   * PostgreSQL transaction after its first 4 ms waited for a turn, though the loop had been free between them).
   */
  due(): boolean {
    const now = performance.now();
    if (now - this.started < this.budgetMs) return false;
    const idle = idleMs();
    if (idle > this.idleAtStart) {
      this.started = now;
      this.idleAtStart = idle;
      return false;
    }
    return true;
  }

  /** Yields to the event loop if the slice has run its budget; resolves at once otherwise. */
  async pause(): Promise<void> {
    if (!this.due()) return;
    await nextTurn();
    this.started = performance.now();
    this.idleAtStart = idleMs();
  }
}

/** items.map(fn) in time slices (fn is synchronous; the order and results are those of map). */
export const mapInSlices = async <T, R>(items: readonly T[], fn: (item: T, index: number) => R, slice = new TimeSlice()): Promise<R[]> => {
  const out: R[] = new Array(items.length);
  for (let i = 0; i < items.length; i += 1) {
    out[i] = fn(items[i], i);
    if (slice.due()) await slice.pause(); // no await (a promise and a microtask per item) within a slice
  }
  return out;
};
