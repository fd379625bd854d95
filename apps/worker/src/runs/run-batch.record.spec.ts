import type { PullBatch } from '@lineage-hub/connector-sdk';
import { newRunRecord } from '../instances/connector-run.record';
import { MAX_WINDOWS_KEPT, recordBatch } from './run-batch.record';

const batch = (windowStart: number, windowEnd: number, extra: Partial<PullBatch['coverage']> = {}): PullBatch => ({
  events: [{}, {}] as PullBatch['events'],
  observedWrites: [{}] as PullBatch['observedWrites'],
  cursor: {},
  coverage: { windowStart, windowEnd, rowsRead: 5, gaps: [], ...extra },
});
const run = () => newRunRecord({ runId: 'r1', connectorId: 'c1', kind: 'redshift', domain: 'sales', trigger: 'schedule', queuedAt: 0 });

describe('recordBatch', () => {
  it('adds the batch to the counts, the windows and the span of a run that keeps its cursor', () => {
    const r = run();
    recordBatch(r, batch(100, 200), [], { requests: 3, rateLimitWaits: 1 }, true);
    recordBatch(r, batch(50, 150, { columnLineage: { statements: 4, withColumns: 3, reason: 'no sql' } }), [], { requests: 5, rateLimitWaits: 1 }, true);
    expect(r.counts).toEqual({ rowsRead: 10, events: 4, observedWrites: 2, batches: 2, requests: 5, rateLimitWaits: 1 });
    expect(r.coverage.windows.map((w) => [w.from, w.to, w.rowsRead, w.events, w.observedWrites])).toEqual([
      [100, 200, 5, 2, 1],
      [50, 150, 5, 2, 1],
    ]);
    expect(r.coverage.windowsCovered).toBe(2);
    expect(r.window).toEqual({ from: 50, to: 200 });
    expect(r.coverage.columnLineage).toEqual({ statements: 4, withColumns: 3, reason: 'no sql' });
  });

  it("leaves a backfill's window as it was asked", () => {
    const r = run();
    r.window = { from: 0, to: 10 };
    recordBatch(r, batch(100, 200), [], { requests: 0, rateLimitWaits: 0 }, false);
    expect(r.window).toEqual({ from: 0, to: 10 });
  });

  it("returns the batch's gaps, with a partial one naming the events the shard refused", () => {
    const r = run();
    const own = { kind: 'cap-hit' as const, from: 100, to: 150, reason: 'budget' };
    const refused = [1, 2, 3, 4].map((i) => ({ reason: `bad ${i}` }));
    const gaps = recordBatch(r, batch(100, 200, { gaps: [own] }), refused, { requests: 0, rateLimitWaits: 0 }, true);
    expect(gaps).toEqual([own, { kind: 'partial', from: 100, to: 200, reason: 'the shard refused 4 event(s): bad 1; bad 2; bad 3' }]);
    expect(r.coverage.windows[0].gaps).toEqual(gaps);
    expect(r.coverage.gaps).toEqual([]); // the caller records them (with its metrics and log)
  });

  it('keeps the newest windows in detail and counts them all', () => {
    const r = run();
    for (let i = 0; i < MAX_WINDOWS_KEPT + 5; i++) recordBatch(r, batch(i * 10, i * 10 + 10), [], { requests: 0, rateLimitWaits: 0 }, true);
    expect(r.coverage.windows).toHaveLength(MAX_WINDOWS_KEPT);
    expect(r.coverage.windows[0].from).toBe(50);
    expect(r.coverage.windowsCovered).toBe(MAX_WINDOWS_KEPT + 5);
    expect(r.counts.batches).toBe(MAX_WINDOWS_KEPT + 5);
  });
});
