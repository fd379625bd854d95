/** Small statistics over plain number arrays. */
import { sortInPlace } from './small-sort';

const ascending = (a: number, b: number): number => a - b;

/** Numbers in ascending order, in place (what quantile sorts a copy by). */
export const sortAscending = (values: number[]): number[] => sortInPlace(values, ascending);

/** quantile of values already in ascending order (no copy): several quantiles of one sample sort it once. */
export const sortedQuantile = (sorted: readonly number[], q: number): number | null => {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
};

/** The q-quantile (0..1) of the values, linear between closest ranks; null for no values. */
export const quantile = (values: readonly number[], q: number): number | null => (values.length === 0 ? null : sortedQuantile(sortAscending([...values]), q));

export const median = (values: readonly number[]): number | null => quantile(values, 0.5);
