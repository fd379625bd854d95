import type { NodeId } from '@lineage-hub/model';
import { DEFAULT_RECONCILE_CONFIG } from '../reconcile.config';
import { H, M, MONDAY } from '../testing/fact-builders';
import { hourOfWeek, LearnedCadence, learnedExpectedBy, learnFreshnessModel } from './learned-cadence';

const D = 'dataset:snowflake://acme:MART.T' as NodeId;
const cfg = DEFAULT_RECONCILE_CONFIG.freshness;
const DAY = 24 * H;

/** A small seeded generator (mulberry32): the same histories every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

/** Histories of every shape the model meets: none, a few, daily, hourly on weekdays, a change of cadence, bursts, jitter. */
const histories = (): number[][] => {
  const rnd = random(11);
  const out: number[][] = [[], [MONDAY], [MONDAY, MONDAY + 5 * M], [MONDAY, MONDAY + DAY, MONDAY + 2 * DAY]];
  for (let k = 0; k < 60; k++) {
    const times: number[] = [];
    const every = [H, 6 * H, DAY, 7 * DAY][k % 4];
    const n = 3 + Math.floor(rnd() * 80);
    let t = MONDAY + Math.floor(rnd() * 7 * DAY);
    for (let i = 0; i < n; i++) {
      t += (k % 3 === 0 && i > n / 2 ? 4 : 1) * every + Math.floor((rnd() - 0.5) * 20 * M); // a third change cadence halfway
      if (k % 5 === 0 && hourOfWeek(t) >= 120) continue; // no weekends
      times.push(t);
      if (rnd() < 0.1) times.push(t + Math.floor(rnd() * 3 * M)); // a burst: one update seen twice
    }
    out.push(k % 2 ? times.reverse() : times);
  }
  return out;
};

describe('LearnedCadence', () => {
  it('answers each hour of week as the model does, and the expected next update as learnedExpectedBy of the model', () => {
    for (const times of histories()) {
      const cadence = new LearnedCadence(D, times, cfg);
      const model = learnFreshnessModel(D, times, cfg);
      expect(cadence.model()).toEqual(model);
      for (let h = 0; h < 168; h++) expect(cadence.gapAt(h)).toBe(model.gapByHourOfWeek[h]);
      expect(cadence.expectedBy()).toBe(learnedExpectedBy(model));
      expect(learnedExpectedBy(cadence)).toBe(learnedExpectedBy(model));
      expect([cadence.state, cadence.updates, cadence.lastUpdate, cadence.learnedSince, cadence.usualGapMs]).toEqual([
        model.state,
        model.updates,
        model.lastUpdate,
        model.learnedSince,
        model.usualGapMs,
      ]);
    }
  });

  it('learns a daily table: learned after 7 updates, the next one expected a day and an allowance after the last', () => {
    const times = Array.from({ length: 10 }, (_, i) => MONDAY + i * DAY + 6 * H);
    const cadence = new LearnedCadence(D, times, cfg);
    expect(cadence.state).toBe('learned');
    expect(cadence.lastUpdate).toBe(times[9]);
    const due = cadence.expectedBy()!;
    expect(due).toBeGreaterThan(times[9] + DAY);
    expect(due).toBeLessThan(times[9] + 2 * DAY);
  });
});
