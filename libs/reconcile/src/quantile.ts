/** Small statistics over plain number arrays. */

/** The q-quantile (0..1) of the values, linear between closest ranks; null for no values. */
export const quantile = (values: readonly number[], q: number): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
};

export const median = (values: readonly number[]): number | null => quantile(values, 0.5);
