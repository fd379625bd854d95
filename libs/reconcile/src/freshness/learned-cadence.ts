/**
 * A dataset's freshness learned from its own history. The gap that follows an update depends on when the update
 * happened (an hourly-on-weekdays table waits all weekend after its Friday update), so gaps are kept per hour of
 * week (UTC) of the update that opened them. The expected next update after the last one L is
 * L + allowance(quantile of the gaps that followed updates at L's hour of week, widened to neighbouring hours,
 * then to all hours, when too few were seen there). The allowance is the quantile times a margin, and at least
 * the quantile plus a floor (tiny variance must not make a minute late an alarm). A change of cadence (the
 * recent gaps' median off by more than `changeRatio` from the earlier ones') restarts learning from the change.
 */
import type { FreshnessModel, NodeId } from '@lineage-hub/model';
import type { ReconcileConfig } from '../reconcile.types';
import { sortAscending, sortedQuantile } from '../quantile';

const HOUR = 3_600_000;
const WEEK_HOURS = 168;
/** Monday 00:00 UTC is hour 0 (1970-01-01 was a Thursday: hour 72 of its week). */
export const hourOfWeek = (t: number): number => (Math.floor(t / HOUR) + 72) % WEEK_HOURS;

/** Most updates a model learns from (the most recent). */
const MAX_UPDATES = 2_000;
/** Fewest gaps in an hour-of-week neighbourhood before falling back to wider ones. */
const MIN_BUCKET = 2;
const NONE: readonly number[] = [];

type FreshnessConfig = ReconcileConfig['freshness'];

/** Insert into an ascending array. */
const insertSorted = (arr: number[], v: number) => {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, v);
};

const sortedMedian = (arr: readonly number[]): number => {
  const n = arr.length;
  return n % 2 ? arr[(n - 1) / 2] : (arr[n / 2 - 1] + arr[n / 2]) / 2;
};

/** Index of the first gap of the current cadence. */
const cadenceStart = (gaps: readonly number[], cfg: FreshnessConfig): number => {
  const k = cfg.changeWindow;
  let start = 0;
  // `before` holds gaps[start, end - k) sorted; the recent window is gaps[end - k, end)
  let before: number[] = [];
  for (let end = 2 * k; end <= gaps.length; end++) {
    const entering = end - k - 1;
    if (entering >= start) insertSorted(before, gaps[entering]);
    if (before.length < k) continue;
    const b = sortedMedian(before);
    const recent = sortedMedian(gaps.slice(end - k, end).sort((x, y) => x - y));
    const ratio = recent / Math.max(b, 1);
    if (ratio > cfg.changeRatio || ratio < 1 / cfg.changeRatio) {
      // the new cadence starts at the first recent gap nearer (in ratio) to the recent median than to the old one
      let i = end - k;
      while (i < end - 1 && Math.abs(Math.log(gaps[i] / recent)) > Math.abs(Math.log(gaps[i] / b))) i++;
      start = i;
      before = gaps.slice(start, end - k).sort((x, y) => x - y);
    }
  }
  return start;
};

const allowance = (q: number, cfg: FreshnessConfig): number => Math.max(q * cfg.margin, q + cfg.minSlackMs, q * (1 + cfg.minSlackRatio));

/**
 * A dataset's cadence learned from its update times (any order; updates closer than `burstMs` count once, at the
 * latest): the expected gap after an update at each hour of week is computed when asked (gapAt), so judging the
 * dataset now (expectedBy: the one hour of its last update) costs no table of 168 hours; model() is the whole of it.
 */
export class LearnedCadence {
  readonly state: FreshnessModel['state'];
  readonly updates: number;
  readonly lastUpdate: number | null;
  readonly learnedSince: number | null;
  readonly usualGapMs: number | null;
  private readonly gaps: number[];
  /** Gaps by the hour of week of the update that opened them; sparse (a daily table fills 7 of 168 hours). */
  private readonly buckets = new Map<number, number[]>();
  private readonly overallGap: number | null;

  constructor(
    readonly dataset: NodeId,
    updateTimes: readonly number[],
    private readonly cfg: FreshnessConfig,
  ) {
    // one load seen twice (the observed write and the end of the run that made it) is one update
    const sorted = sortAscending([...updateTimes]);
    const merged: number[] = [];
    for (const t of sorted) if (merged.length === 0 || t - merged[merged.length - 1] > cfg.burstMs) merged.push(t);
    else merged[merged.length - 1] = t;
    const times = merged.length > MAX_UPDATES ? merged.slice(-MAX_UPDATES) : merged;
    const allGaps: number[] = [];
    for (let i = 1; i < times.length; i++) allGaps.push(times[i] - times[i - 1]);
    const startGap = cadenceStart(allGaps, cfg);
    const used = startGap === 0 ? times : times.slice(startGap);
    this.gaps = startGap === 0 ? allGaps : allGaps.slice(startGap);
    for (let i = 1; i < used.length; i++) {
      const h = hourOfWeek(used[i - 1]);
      const list = this.buckets.get(h);
      if (list) list.push(used[i] - used[i - 1]);
      else this.buckets.set(h, [used[i] - used[i - 1]]);
    }
    // the quantile and the median of the gaps from one sorted copy
    const sortedGaps = sortAscending([...this.gaps]);
    const overall = sortedQuantile(sortedGaps, cfg.quantile);
    this.overallGap = overall === null ? null : Math.round(allowance(overall, cfg));
    this.state = used.length >= cfg.minUpdates ? 'learned' : 'learning';
    this.updates = used.length;
    this.lastUpdate = times.length ? times[times.length - 1] : null;
    this.learnedSince = used.length ? used[0] : null;
    this.usualGapMs = sortedQuantile(sortedGaps, 0.5);
  }

  /**
   * The allowed gap after an update at hour of week `h`: from the narrowest neighbourhood (hour, +-1, +-2) with
   * MIN_BUCKET gaps, else from all gaps; counted from the bucket sizes before any sample is built, so the many
   * hours with too few gaps nearby (most of a daily table's week) cost no allocation.
   */
  gapAt(h: number): number | null {
    if (this.gaps.length < MIN_BUCKET) return this.overallGap;
    const n0 = this.size(h);
    const n1 = n0 + this.size(h - 1) + this.size(h + 1);
    const n2 = n1 + this.size(h - 2) + this.size(h + 2);
    const width = n0 >= MIN_BUCKET ? 0 : n1 >= MIN_BUCKET ? 1 : n2 >= MIN_BUCKET ? 2 : -1;
    if (width < 0) return this.overallGap;
    const sample: number[] = [];
    for (let d = -width; d <= width; d++) for (const g of this.buckets.get((h + d + WEEK_HOURS) % WEEK_HOURS) ?? NONE) sample.push(g);
    return Math.round(allowance(sortedQuantile(sortAscending(sample), this.cfg.quantile)!, this.cfg));
  }

  /** When the next update is due (null while learning or without history): learnedExpectedBy of model(). */
  expectedBy(): number | null {
    if (this.state !== 'learned' || this.lastUpdate === null) return null;
    const gap = this.gapAt(hourOfWeek(this.lastUpdate));
    return gap === null ? null : this.lastUpdate + gap;
  }

  /** The model: every hour of week's gap. */
  model(): FreshnessModel {
    // sized once (pushed, the array would keep spare capacity: ~450 bytes more per model held)
    const gapByHourOfWeek = new Array<number | null>(WEEK_HOURS);
    for (let h = 0; h < WEEK_HOURS; h++) gapByHourOfWeek[h] = this.gapAt(h);
    return {
      dataset: this.dataset,
      state: this.state,
      updates: this.updates,
      lastUpdate: this.lastUpdate,
      learnedSince: this.learnedSince,
      gapByHourOfWeek,
      usualGapMs: this.usualGapMs,
    };
  }

  /** Gaps opened at hour of week `h` (the bucket's length: no table of 168 counts per dataset). */
  private size(h: number): number {
    return this.buckets.get((h + WEEK_HOURS) % WEEK_HOURS)?.length ?? 0;
  }
}

/** Learn the model from update times (any order; updates closer than `burstMs` count once, at the latest). */
export const learnFreshnessModel = (dataset: NodeId, updateTimes: readonly number[], cfg: FreshnessConfig): FreshnessModel =>
  new LearnedCadence(dataset, updateTimes, cfg).model();

/** When the next update is due under a learned model (null while learning or without history). */
export const learnedExpectedBy = (model: FreshnessModel | LearnedCadence): number | null => {
  if (model instanceof LearnedCadence) return model.expectedBy();
  if (model.state !== 'learned' || model.lastUpdate === null) return null;
  const gap = model.gapByHourOfWeek[hourOfWeek(model.lastUpdate)];
  return gap === null ? null : model.lastUpdate + gap;
};
