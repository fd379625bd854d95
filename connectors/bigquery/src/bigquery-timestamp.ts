/**
 * TIMESTAMP values of INFORMATION_SCHEMA.JOBS as they reach the connector: the SDK's BigQueryTimestamp `{value}` (ISO
 * text with up to 6 fraction digits), BigQuery's canonical text form (`2024-05-02 09:00:05.123456 UTC`, `+00`
 * offsets), epoch integers (REST `statistics.*Time` are ms as strings; the wire's int64 TIMESTAMP is µs), Date or number.
 */
const textOf = (value: unknown): string =>
  typeof value === 'object' && value !== null && 'value' in value ? String((value as { value: unknown }).value) : String(value);

/** Epoch digits: 13 or fewer are ms, 14 to 16 are µs (µs of any date after 1973 have 16 digits). */
const EPOCH_DIGITS = /^-?\d+$/;

/** µs since epoch, exact (BigInt), or null when the value is no timestamp. */
export const toMicros = (value: unknown): bigint | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? BigInt(Math.round(value * 1000)) : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : BigInt(value.getTime()) * 1000n;
  const text = textOf(value).trim();
  if (EPOCH_DIGITS.test(text)) return text.replace('-', '').length > 13 ? BigInt(text) : BigInt(text) * 1000n;
  // Seconds to the ms by Date.parse (which understands "T"/" ", "Z", "UTC", "+00", "+0000"), fraction digits exact.
  const fraction = /\d{2}:\d{2}:\d{2}\.(\d+)/.exec(text);
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return null;
  const wholeSeconds = BigInt(Math.floor(ms / 1000)) * 1_000_000n;
  return wholeSeconds + BigInt((fraction?.[1] ?? '').padEnd(6, '0').slice(0, 6));
};

/** ms since epoch, or null when the value is no timestamp. */
export const toMillis = (value: unknown): number | null => {
  const us = toMicros(value);
  return us === null ? null : Number(us / 1000n);
};
