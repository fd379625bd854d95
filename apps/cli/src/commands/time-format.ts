import { UsageError } from '../cli-io';

/** Times as the hub gives them (ISO-8601 text or epoch milliseconds) -> ISO-8601 text. */
export const isoTime = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === 'string' && value) return value;
  return undefined;
};

const UNIT_MS = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 } as const;
type Unit = keyof typeof UNIT_MS;

/** `30m`, `6h`, `7d` (in the units a flag allows) -> milliseconds; undefined for anything else. */
export const durationMs = (value: string, units: readonly Unit[] = ['s', 'm', 'h', 'd']): number | undefined => {
  const m = /^(\d+)([smhd])$/.exec(value);
  return m && units.includes(m[2] as Unit) ? Number(m[1]) * UNIT_MS[m[2] as Unit] : undefined;
};

/** A `--since`/`--until` value: ISO-8601, epoch ms, or a duration back from now (`30m`, `6h`, `7d`). */
export const parseTimeArg = (value: string, flag: string): string => {
  const ago = durationMs(value);
  if (ago !== undefined) return new Date(Date.now() - ago).toISOString();
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${flag}: "${value}" is not a time (ISO-8601, epoch ms, or 30m/6h/7d ago)`);
  return new Date(ms).toISOString();
};
