/**
 * Incremental pulls by time window. A connector keeps a watermark (epoch ms: everything before it has been
 * read and delivered) in its cursor, re-reads a small overlap, and dedupes on keys it remembers from it.
 */

export interface TimeWindow {
  from: number;
  to: number;
}

/** [from, to) cut into windows of at most `size` ms, oldest first. */
export const timeWindows = (from: number, to: number, size: number): TimeWindow[] => {
  if (!(size > 0)) throw new Error(`window size must be positive, got ${size}`);
  const out: TimeWindow[] = [];
  for (let start = from; start < to; start = Math.min(start + size, to)) out.push({ from: start, to: Math.min(start + size, to) });
  return out;
};

/** Reads a numeric watermark from an opaque cursor; undefined when absent or not a finite number. */
export const cursorNumber = (cursor: Record<string, unknown> | null | undefined, key: string): number | undefined => {
  const value = cursor?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};
