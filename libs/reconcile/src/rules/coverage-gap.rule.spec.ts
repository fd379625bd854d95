import { CoverageIndex } from '../coverage-index';
import { DEFAULT_RECONCILE_CONFIG } from '../reconcile.config';
import type { CoverageFact } from '../reconcile.types';
import { H, M, MONDAY } from '../testing/fact-builders';
import { coverageGaps } from './coverage-gap.rule';

const rec = (over: Partial<CoverageFact>): CoverageFact => ({ connectorId: 'c', platform: 'snowflake', namespace: 'snowflake://acme', from: MONDAY, to: MONDAY + 10 * H, gaps: [], recordedAt: MONDAY + 10 * H, ...over });

describe('coverage-gap', () => {
  it.each([
    { name: 'Snowflake 3 h behind is its normal latency (+1 h schedule slack)', records: [rec({})], now: MONDAY + 13 * H + 59 * M, expect: [] },
    { name: 'Snowflake 4 h behind and more is a gap', records: [rec({})], now: MONDAY + 14 * H + M, expect: ['coverage-gap|c|behind'] },
    { name: 'BigQuery 2 h behind is a gap', records: [rec({ platform: 'bigquery', namespace: 'bigquery' })], now: MONDAY + 12 * H, expect: ['coverage-gap|c|behind'] },
    { name: 'a recorded gap', records: [rec({ gaps: [{ from: MONDAY + H, to: MONDAY + 2 * H }] })], now: MONDAY + 10 * H, expect: [`coverage-gap|c|gap:${MONDAY + H}-${MONDAY + 2 * H}`] },
    {
      name: 'a recorded gap a later run filled',
      records: [rec({ gaps: [{ from: MONDAY + H, to: MONDAY + 2 * H }] }), rec({ from: MONDAY, to: MONDAY + 3 * H, recordedAt: MONDAY + 11 * H })],
      now: MONDAY + 11 * H,
      expect: [],
    },
  ])('$name', ({ records, now, expect: keys }) => {
    expect(coverageGaps(new CoverageIndex(records), DEFAULT_RECONCILE_CONFIG, now).map((d) => d.key)).toEqual(keys);
  });
});
