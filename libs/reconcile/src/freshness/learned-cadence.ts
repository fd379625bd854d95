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
import { holdShape } from '../shape-hold';

const HOUR = 3_600_000;
const WEEK_HOURS = 168;
/** Monday 00:00 UTC is hour 0 (1970-01-01 was a Thursday: hour 72 of its week). */
export const hourOfWeek = (t: number): number => (Math.floor(t / HOUR) + 72) % WEEK_HOURS;

/** Most updates a model learns from (the most recent). */
const MAX_UPDATES = 2_000;
/** Fewest gaps in an hour-of-week neighbourhood before falling back to wider ones. */
const MIN_BUCKET = 2;

type FreshnessConfig = ReconcileConfig['freshness'];

/**
 * Scratch arrays reused by every cadence learned (one dataset after another, never two at once: nothing here awaits),
 * so learning a dataset's cadence makes no intermediate arrays: the gaps, the cadence-change windows and the
 * quantile samples live here only while a constructor or gapAt runs, and never escape it.
 */
const GAPS: number[] = [];
const BEFORE: number[] = [];
const RECENT: number[] = [];
const SAMPLE: number[] = [];
const APART: number[] = [];

/** Insert into an ascending array (in place, no splice: splice allocates the array of what it removed). */
const insertSorted = (arr: number[], v: number) => {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  arr.push(v);
  for (let i = arr.length - 1; i > lo; i--) arr[i] = arr[i - 1];
  arr[lo] = v;
};

const sortedMedian = (arr: readonly number[]): number => {
  const n = arr.length;
  return n % 2 ? arr[(n - 1) / 2] : (arr[n / 2 - 1] + arr[n / 2]) / 2;
};

/** `into` := src[from, to) in ascending order. */
const sortedCopy = (into: number[], src: readonly number[], from: number, to: number): number[] => {
  into.length = 0;
  for (let i = from; i < to; i++) into.push(src[i]);
  return sortAscending(into);
};

/** Index of the first gap of the current cadence. */
const cadenceStart = (gaps: readonly number[], cfg: FreshnessConfig): number => {
  const k = cfg.changeWindow;
  let start = 0;
  // `before` holds gaps[start, end - k) sorted; the recent window is gaps[end - k, end)
  const before = BEFORE;
  before.length = 0;
  for (let end = 2 * k; end <= gaps.length; end++) {
    const entering = end - k - 1;
    if (entering >= start) insertSorted(before, gaps[entering]);
    if (before.length < k) continue;
    const b = sortedMedian(before);
    const recent = sortedMedian(sortedCopy(RECENT, gaps, end - k, end));
    const ratio = recent / Math.max(b, 1);
    if (ratio > cfg.changeRatio || ratio < 1 / cfg.changeRatio) {
      // the new cadence starts at the first recent gap nearer (in ratio) to the recent median than to the old one
      let i = end - k;
      while (i < end - 1 && Math.abs(Math.log(gaps[i] / recent)) > Math.abs(Math.log(gaps[i] / b))) i++;
      start = i;
      sortedCopy(before, gaps, start, end - k);
    }
  }
  return start;
};

const allowance = (q: number, cfg: FreshnessConfig): number => Math.max(q * cfg.margin, q + cfg.minSlackMs, q * (1 + cfg.minSlackRatio));

/** Hours apart on the week's circle (0..84). */
const hoursApart = (a: number, b: number): number => {
  const d = a > b ? a - b : b - a;
  return d > WEEK_HOURS / 2 ? WEEK_HOURS - d : d;
};

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
  /** The update times learned from, ascending: the current cadence's are times[first..]; gap i follows times[i]. */
  private readonly times: number[];
  private readonly first: number;
  /**
   * Gaps by the hour of week of the update that opened them; sparse (a daily table fills 7 of 168 hours). Built
   * only by model() (168 hours asked): one hour (expectedBy) is answered by a pass over the gaps, with no map.
   */
  private buckets: Map<number, number[]> | null = null;
  private readonly overallGap: number | null;

  /**
   * @param own the caller hands `updateTimes` over: it is sorted and merged in place (no copy) and must not be used
   *   after (an evaluation's update times, made for this cadence alone).
   */
  constructor(
    readonly dataset: NodeId,
    updateTimes: readonly number[],
    private readonly cfg: FreshnessConfig,
    own = false,
  ) {
    holdShape(this);
    const sorted = sortAscending(own ? (updateTimes as number[]) : updateTimes.slice());
    // one load seen twice (the observed write and the end of the run that made it) is one update: merged in place
    let n = 0;
    for (let i = 0; i < sorted.length; i++) {
      const t = sorted[i];
      if (n === 0 || t - sorted[n - 1] > cfg.burstMs) sorted[n++] = t;
      else sorted[n - 1] = t;
    }
    sorted.length = n;
    const times = n > MAX_UPDATES ? sorted.slice(-MAX_UPDATES) : sorted;
    const gaps = GAPS;
    gaps.length = 0;
    for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
    const startGap = cadenceStart(gaps, cfg);
    this.times = times;
    this.first = startGap;
    // the quantile and the median of the current cadence's gaps from one sorted copy
    const sortedGaps = sortedCopy(SAMPLE, gaps, startGap, gaps.length);
    const overall = sortedQuantile(sortedGaps, cfg.quantile);
    this.overallGap = overall === null ? null : Math.round(allowance(overall, cfg));
    const used = times.length - startGap;
    this.state = used >= cfg.minUpdates ? 'learned' : 'learning';
    this.updates = used;
    this.lastUpdate = times.length ? times[times.length - 1] : null;
    this.learnedSince = used ? times[startGap] : null;
    this.usualGapMs = sortedQuantile(sortedGaps, 0.5);
  }

  /**
   * The allowed gap after an update at hour of week `h`: from the narrowest neighbourhood (hour, +-1, +-2) with
   * MIN_BUCKET gaps, else from all gaps; counted before any sample is built, so the many hours with too few gaps
   * nearby (most of a daily table's week) cost no allocation.
   */
  gapAt(h: number): number | null {
    const { times, first } = this;
    const last = times.length - 1; // gaps: first .. last-1
    if (last - first < MIN_BUCKET) return this.overallGap;
    let n0: number;
    let n1: number;
    let n2: number;
    if (this.buckets) {
      n0 = this.size(h);
      n1 = n0 + this.size(h - 1) + this.size(h + 1);
      n2 = n1 + this.size(h - 2) + this.size(h + 2);
    } else {
      // each gap's distance from h, kept for the sample (one hourOfWeek per gap)
      const apart = APART;
      apart.length = 0;
      n0 = n1 = n2 = 0;
      for (let i = first; i < last; i++) {
        const d = hoursApart(hourOfWeek(times[i]), h);
        apart.push(d);
        if (d === 0) n0++;
        else if (d === 1) n1++;
        else if (d === 2) n2++;
      }
      n1 += n0;
      n2 += n1;
    }
    const width = n0 >= MIN_BUCKET ? 0 : n1 >= MIN_BUCKET ? 1 : n2 >= MIN_BUCKET ? 2 : -1;
    if (width < 0) return this.overallGap;
    const sample = SAMPLE;
    sample.length = 0;
    if (this.buckets) {
      for (let d = -width; d <= width; d++) {
        const list = this.buckets.get((h + d + WEEK_HOURS) % WEEK_HOURS);
        if (list) for (let j = 0; j < list.length; j++) sample.push(list[j]);
      }
    } else for (let i = first; i < last; i++) if (APART[i - first] <= width) sample.push(times[i + 1] - times[i]);
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
    if (!this.buckets) {
      const buckets = new Map<number, number[]>();
      const { times } = this;
      for (let i = this.first + 1; i < times.length; i++) {
        const h = hourOfWeek(times[i - 1]);
        const list = buckets.get(h);
        if (list) list.push(times[i] - times[i - 1]);
        else buckets.set(h, [times[i] - times[i - 1]]);
      }
      this.buckets = buckets;
    }
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
    return this.buckets!.get((h + WEEK_HOURS) % WEEK_HOURS)?.length ?? 0;
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
