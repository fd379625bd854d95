/**
 * The time buckets of Marquez's dashboard (/api/v1/stats/*): `DAY` is the 24 hours ending with the current one
 * (hour boundaries, UTC); `WEEK` is the 7 days ending with today in the caller's time zone (local midnights, so a
 * day is 23 or 25 hours across a DST change). Boundaries are epoch ms; bucket i is [b[i], b[i + 1]).
 */
import { invalidArgument } from '@lineage-hub/model';

export type StatsPeriod = 'DAY' | 'WEEK';

const HOUR = 3_600_000;

/** An IANA time zone the runtime knows ("Europe/Paris", "UTC"); anything else is an invalid-argument naming `timezone`. */
export const checkTimeZone = (timezone: string): string => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw invalidArgument('timezone', `must be an IANA time zone such as "UTC" or "Europe/Paris", got "${timezone}"`);
  }
};

/** The zone's offset from UTC at `at`, in ms (local = UTC + offset). */
const offsetAt = (timezone: string, at: number): number => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(at))
      .filter((p) => p.type !== 'literal')
      .map((p) => [p.type, Number(p.value)]),
  );
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return local - Math.floor(at / 1000) * 1000;
};

/** The instant of local midnight starting the given calendar day (month 0-based, day may overflow) in the zone. */
const localMidnight = (timezone: string, year: number, month: number, day: number): number => {
  const wall = Date.UTC(year, month, day);
  const guess = wall - offsetAt(timezone, wall);
  return wall - offsetAt(timezone, guess);
};

export const statsBoundaries = (period: StatsPeriod, now: number, timezone = 'UTC'): number[] => {
  if (period === 'DAY') {
    const hour = Math.floor(now / HOUR) * HOUR;
    return Array.from({ length: 25 }, (_, i) => hour - 23 * HOUR + i * HOUR);
  }
  const local = new Date(now + offsetAt(timezone, now));
  const [y, m, d] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  return Array.from({ length: 8 }, (_, i) => localMidnight(timezone, y, m, d - 6 + i));
};
