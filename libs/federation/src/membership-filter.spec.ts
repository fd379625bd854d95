import { buildDirectionalFilters, buildMembershipFilter, DEFAULT_FILTER_ERROR_RATE, hashId, type IdHash, loadMembershipFilter } from './membership-filter';

describe('membership filter', () => {
  const ids = Array.from({ length: 20_000 }, (_, i) => `dataset:snowflake://acme:DB.S.T${i}`);

  it('never misses an id it holds, survives JSON, and keeps false positives near the target rate', () => {
    const filter = loadMembershipFilter(JSON.parse(JSON.stringify(buildMembershipFilter(ids))));
    expect(ids.every((id) => filter.mayHold(id))).toBe(true);
    let falsePositives = 0;
    const probes = 100_000;
    for (let i = 0; i < probes; i++) if (filter.mayHold(`dataset:bigquery:p.d.t${i}`)) falsePositives++;
    expect(falsePositives / probes).toBeLessThan(DEFAULT_FILTER_ERROR_RATE * 5);
    expect(filter.items).toBe(ids.length);
  });

  it('answers the same for an id hashed once (hashId) as for the id, across filters with the same seed', () => {
    const held = ids.slice(0, 5_000);
    const a = loadMembershipFilter(buildMembershipFilter(held));
    const b = loadMembershipFilter(buildMembershipFilter(ids.slice(2_500, 7_500)));
    expect(a.seed).toBe(b.seed);
    const hash: IdHash = { seed: NaN, first: 0, second: 0 };
    const probes = [...ids.slice(0, 10_000), ...Array.from({ length: 20_000 }, (_, i) => `job:x:${i}`)];
    for (const id of probes) {
      hashId(hash, id, a.seed!);
      expect([a.mayHoldHash!(hash), b.mayHoldHash!(hash)]).toEqual([a.mayHold(id), b.mayHold(id)]);
    }
    expect(held.every((id) => a.mayHoldHash!(hashId(hash, id, a.seed!)))).toBe(true);
  });

  it('builds directional filters from edge ends', () => {
    const { downstream, upstream } = buildDirectionalFilters([
      { from: 'dataset:a:x', to: 'job:j:1' },
      { from: 'job:j:1', to: 'dataset:a:y' },
    ]);
    const down = loadMembershipFilter(downstream);
    const up = loadMembershipFilter(upstream);
    expect([down.mayHold('dataset:a:x'), down.mayHold('job:j:1'), down.mayHold('dataset:a:y')]).toEqual([true, true, false]);
    expect([up.mayHold('dataset:a:x'), up.mayHold('job:j:1'), up.mayHold('dataset:a:y')]).toEqual([false, true, true]);
  });

  it('refuses a filter it cannot read', () => {
    expect(() => loadMembershipFilter({ kind: 'cuckoo' as 'bloom', data: {}, items: 0 })).toThrow('unsupported membership filter kind');
    expect(() => loadMembershipFilter({ ...buildMembershipFilter(['a']), hashing: 'md5' })).toThrow('unsupported membership filter hashing');
  });
});
