import type { FreshnessPolicy, NodeId } from '@lineage-hub/model';
import { DEFAULT_RECONCILE_CONFIG } from '../reconcile.config';
import { updateTimes } from '../evaluate';
import { ds, H, jb, M, MONDAY, run, write } from '../testing/fact-builders';
import { evaluateFreshness } from './freshness-evaluator';
import { hourOfWeek, learnFreshnessModel } from './learned-cadence';

const D = 'dataset:snowflake://acme:MART.T' as NodeId;
const cfg = DEFAULT_RECONCILE_CONFIG.freshness;
const DAY = 24 * H;
const verdict = (times: number[], now: number, policy: FreshnessPolicy | null = null, coveredUntil: number | null = null) =>
  evaluateFreshness({ dataset: D, model: learnFreshnessModel(D, times, cfg), policy, coveredUntil, now });

/** Hourly 08:00-18:00 UTC on weekdays, `weeks` weeks from MONDAY, with a few minutes of jitter. */
const weekdayHourly = (weeks: number): number[] => {
  const out: number[] = [];
  for (let d = 0; d < weeks * 7; d++) {
    if (d % 7 >= 5) continue;
    for (let h = 8; h <= 18; h++) out.push(MONDAY + d * DAY + h * H + ((d * 7 + h * 13) % 5) * M);
  }
  return out;
};

describe('learned freshness', () => {
  it('hour of week: Monday 00:00 UTC is 0', () => {
    expect(hourOfWeek(MONDAY)).toBe(0);
    expect(hourOfWeek(MONDAY + 5 * DAY + 10 * H)).toBe(130);
  });

  it('stays learning below 7 updates, then learns', () => {
    const six = [0, 1, 2, 3, 4, 5].map((i) => MONDAY + i * H);
    expect(verdict(six, MONDAY + 30 * DAY)).toMatchObject({ state: 'learning', status: 'unknown' });
    expect(verdict([...six, MONDAY + 6 * H], MONDAY + 30 * DAY)).toMatchObject({ state: 'learned', status: 'stale' });
  });

  it('an hourly-on-weekdays dataset raises nothing on Saturday and Sunday, and is late on a Monday without updates', () => {
    const times = weekdayHourly(3);
    const saturday = MONDAY + 3 * 7 * DAY - 2 * DAY + 12 * H; // after the 3rd Friday
    expect(verdict(times, saturday).status).toBe('fresh');
    expect(verdict(times, saturday + DAY + 10 * H).status).toBe('fresh'); // Sunday 22:00
    const midweek = times.filter((t) => t < MONDAY + 2 * 7 * DAY + 2 * DAY + 12 * H); // stops Wednesday noon of week 3
    expect(verdict(midweek, MONDAY + 2 * 7 * DAY + 2 * DAY + 12 * H + 30 * M).status).toBe('fresh');
    expect(verdict(midweek, MONDAY + 2 * 7 * DAY + 2 * DAY + 15 * H)).toMatchObject({ status: 'stale', source: 'learned' });
  });

  it('guards tiny variance: an exactly hourly dataset is not late a minute after the hour', () => {
    const times = Array.from({ length: 48 }, (_, i) => MONDAY + i * H);
    const last = times[times.length - 1];
    expect(verdict(times, last + H + M).status).toBe('fresh');
    expect(verdict(times, last + H + 14 * M).status).toBe('fresh');
    expect(verdict(times, last + 2 * H).status).toBe('stale');
  });

  it('a change of cadence re-learns from recent history', () => {
    const daily = Array.from({ length: 20 }, (_, i) => MONDAY + i * DAY);
    const start = daily[daily.length - 1];
    const hourly = Array.from({ length: 12 }, (_, i) => start + (i + 1) * H);
    const model = learnFreshnessModel(D, [...daily, ...hourly], cfg);
    expect(model.learnedSince).toBeGreaterThan(MONDAY + 18 * DAY);
    // with the old daily cadence 5 hours of silence would be normal; hourly it is late
    expect(verdict([...daily, ...hourly], hourly[hourly.length - 1] + 5 * H).status).toBe('stale');
  });

  it('says expected by, last update, usual gap and source', () => {
    const times = Array.from({ length: 10 }, (_, i) => MONDAY + i * 6 * H);
    const v = verdict(times, MONDAY + 200 * H);
    expect(v).toMatchObject({ status: 'stale', source: 'learned', lastUpdate: times[9], usualGapMs: 6 * H, updates: 10 });
    expect(v.expectedBy).toBeGreaterThan(times[9] + 6 * H);
  });
});

describe('policy freshness', () => {
  const last = MONDAY + 5 * H;
  it.each([
    { name: 'warnAfter not passed', policy: { dataset: D, warnAfter: '6h' }, now: last + 5 * H, status: 'fresh', level: undefined, escalatesAt: undefined },
    { name: 'warnAfter passed', policy: { dataset: D, warnAfter: '6h', errorAfter: '12h' }, now: last + 7 * H, status: 'stale', level: 'warn', escalatesAt: last + 12 * H },
    { name: 'warnAfter passed, no errorAfter', policy: { dataset: D, warnAfter: '6h' }, now: last + 7 * H, status: 'stale', level: 'warn', escalatesAt: undefined },
    { name: 'errorAfter passed', policy: { dataset: D, warnAfter: '6h', errorAfter: '12h' }, now: last + 13 * H, status: 'stale', level: 'error', escalatesAt: undefined },
    { name: 'errorAfter alone passed', policy: { dataset: D, errorAfter: '12h' }, now: last + 13 * H, status: 'stale', level: 'error', escalatesAt: undefined },
  ])('$name', ({ policy, now, status, level, escalatesAt }) => {
    const v = verdict([last], now, policy);
    expect(v.status).toBe(status);
    expect(v.level).toBe(level);
    expect(v.source).toBe('policy');
    // when a warn turns error with nothing new (the evaluation due then)
    expect(v.escalatesAt).toBe(escalatesAt);
  });

  const berlin6: FreshnessPolicy = { dataset: D, deadline: { cron: '0 6 * * 1-5', timeZone: 'Europe/Berlin' } };
  it('deadline weekdays by 06:00 Europe/Berlin (05:00 UTC in winter)', () => {
    const tuesday = MONDAY + DAY; // last update Monday 03:00 UTC -> due Tuesday 05:00 UTC
    const v = verdict([MONDAY + 3 * H], tuesday + 5 * H + M, berlin6);
    expect(v).toMatchObject({ status: 'stale', expectedBy: tuesday + 5 * H });
    expect(verdict([MONDAY + 3 * H], tuesday + 4 * H + 59 * M, berlin6).status).toBe('fresh');
  });

  it('a deadline on weekdays raises nothing on Saturday after a Friday update', () => {
    const friday = MONDAY + 4 * DAY + 4 * H;
    expect(verdict([friday], MONDAY + 5 * DAY + 12 * H, berlin6).status).toBe('fresh');
    expect(verdict([friday], MONDAY + 7 * DAY + 5 * H + M, berlin6).status).toBe('stale');
  });

  it('a policy wins over the learned cadence', () => {
    const times = Array.from({ length: 10 }, (_, i) => MONDAY + i * H);
    expect(verdict(times, MONDAY + 12 * H, { dataset: D, warnAfter: '1d' }).status).toBe('fresh');
  });
});

describe('a connector behind suppresses staleness', () => {
  it('judges lateness only up to what the connector has read', () => {
    const times = Array.from({ length: 10 }, (_, i) => MONDAY + i * H);
    const now = MONDAY + 20 * H;
    expect(verdict(times, now, null, null).status).toBe('stale');
    expect(verdict(times, now, null, MONDAY + 10 * H).status).toBe('fresh');
    expect(verdict(times, now, null, now).status).toBe('stale');
  });
});

describe('updateTimes: one load seen twice counts once', () => {
  const T = ds('MART.T');
  const load = (k: number) => run({ runId: `r${k}`, job: jb('load'), startedAt: MONDAY + k * DAY, endedAt: MONDAY + k * DAY + 40 * M, outputs: [T] });
  it.each([
    ['a write inside a completed run is that run', [write({ dataset: T, at: MONDAY + 2 * M })], [load(0)], [MONDAY + 40 * M]],
    ['a write outside every run is its own update', [write({ dataset: T, at: MONDAY + 5 * H })], [load(0)], [MONDAY + 40 * M, MONDAY + 5 * H]],
    ['a write in a run still open counts (the run has no end yet)', [write({ dataset: T, at: MONDAY + 2 * M })], [{ ...load(0), state: 'START' as const, endedAt: null }], [MONDAY + 2 * M]],
    ['a DELETE is no update', [write({ dataset: T, at: MONDAY + 5 * H, operation: 'DELETE' })], [], []],
  ])('%s', (_name, writes, runs, expected) => {
    expect(updateTimes(writes, runs, 5 * M, MONDAY + 7 * DAY).sort((a, b) => a - b)).toEqual(expected);
  });

  it('daily runs whose writes land 8 minutes before their end learn a daily cadence, not an 8-minute one', () => {
    const runs = Array.from({ length: 10 }, (_, k) => load(k));
    const writes = runs.map((r) => write({ dataset: T, at: r.startedAt! + 32 * M }));
    const model = learnFreshnessModel(T, updateTimes(writes, runs, 5 * M, MONDAY + 10 * DAY), cfg);
    expect(model).toMatchObject({ state: 'learned', updates: 10, usualGapMs: DAY });
  });
});
