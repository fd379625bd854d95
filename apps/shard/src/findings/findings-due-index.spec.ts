import type { FreshnessState, NodeId } from '@lineage-hub/model';
import { DueIndex } from './findings-due-index';

const ds = (n: number) => `dataset:snowflake://acme:T_${n}` as NodeId;
const state = (n: number, expectedBy: number | null, status: FreshnessState['status'] = 'fresh'): FreshnessState => ({
  dataset: ds(n),
  state: 'learned',
  source: 'learned',
  status,
  lastUpdate: 0,
  expectedBy,
  usualGapMs: null,
  updates: 7,
  policy: null,
});

/** What the store answers: expected_by set, at or before now, status not stale (or escalatesAt passed), over the latest state per dataset. */
const dueByScan = (latest: Map<NodeId, FreshnessState>, now: number): NodeId[] =>
  [...latest.values()]
    .filter((s) => (s.expectedBy !== null && s.expectedBy <= now && s.status !== 'stale') || (s.escalatesAt !== undefined && s.escalatesAt <= now))
    .map((s) => s.dataset)
    .sort();

describe('DueIndex', () => {
  it('answers what the store would: due, not stale, the latest state of each dataset', () => {
    const index = new DueIndex();
    index.record([state(1, 100), state(2, 200), state(3, 150, 'stale'), state(4, null), state(5, 50)]);
    expect(index.due(40)).toEqual([]);
    expect(index.due(150).sort()).toEqual([ds(1), ds(5)]);
    expect(index.due(150).sort()).toEqual([ds(1), ds(5)]); // still due until a state says otherwise
    index.record([state(1, 400), state(5, 60, 'stale'), state(2, 120)]);
    expect(index.due(150)).toEqual([ds(2)]);
    expect(index.due(1000).sort()).toEqual([ds(1), ds(2)]);
  });

  it('a dataset stale at a warn level is due when it turns error, and no more once it has', () => {
    const index = new DueIndex();
    index.record([{ ...state(1, 100, 'stale'), escalatesAt: 300 }]);
    expect(index.due(200)).toEqual([]);
    expect(index.due(300)).toEqual([ds(1)]);
    index.record([state(1, 100, 'stale')]);
    expect(index.due(1000)).toEqual([]);
  });

  it('matches a scan of the latest states through many seeded rounds, and stays small', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    const index = new DueIndex();
    const latest = new Map<NodeId, FreshnessState>();
    for (let round = 0; round < 200; round++) {
      const now = round * 100;
      const states = Array.from({ length: 50 }, () => {
        const n = Math.floor(rnd() * 300);
        const r = rnd();
        const s = state(n, r < 0.1 ? null : now + Math.floor(rnd() * 2_000) - 300, r > 0.9 ? 'stale' : 'fresh');
        return r > 0.95 ? { ...s, escalatesAt: now + Math.floor(rnd() * 2_000) - 300 } : s;
      });
      index.record(states);
      for (const s of states) latest.set(s.dataset, s);
      expect(index.due(now).sort()).toEqual(dueByScan(latest, now));
    }
    expect(index.size).toBeLessThanOrEqual(300);
  });
});
