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

export class TimeSlice {
  private started = performance.now();

  constructor(private readonly budgetMs: number = SLICE_MS) {}

  /** True when the slice has run its budget (the caller should pause). */
  due(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  /** Yields to the event loop if the slice has run its budget; resolves at once otherwise. */
  async pause(): Promise<void> {
    if (!this.due()) return;
    await nextTurn();
    this.started = performance.now();
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
