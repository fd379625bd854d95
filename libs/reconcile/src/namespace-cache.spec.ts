import { NAMESPACE_CACHE_IDS } from './node-parts';
import { NamespaceCache } from './namespace-cache';

/** A cache whose parse counts its calls: the namespace is the id's text before its last ':'. */
const counted = (capacity: number) => {
  const parsed: string[] = [];
  const cache = new NamespaceCache(capacity, (id) => {
    parsed.push(id);
    return id.slice(0, id.lastIndexOf(':'));
  });
  return { cache, parsed };
};

describe('NamespaceCache', () => {
  it("parses each id of a 100,000-dataset shard once, however often the rules ask (the module's size)", () => {
    const { cache, parsed } = counted(NAMESPACE_CACHE_IDS);
    const ids = Array.from({ length: 100_000 }, (_, i) => `warehouse-${i % 7}:table_${i}`);
    let wrong = 0;
    for (let pass = 0; pass < 3; pass += 1) ids.forEach((id, i) => (wrong += cache.get(id) === `warehouse-${i % 7}` ? 0 : 1));
    expect(wrong).toBe(0);
    expect(parsed.length).toBe(100_000);
  });

  it('keeps the ids in use across a turnover: a working set of `capacity` ids is parsed once among ever new ids', () => {
    const { cache, parsed } = counted(100);
    const hot = Array.from({ length: 50 }, (_, i) => `hot:${i}`);
    for (let round = 0; round < 40; round += 1) {
      for (const id of hot) cache.get(id);
      for (let k = 0; k < 50; k += 1) cache.get(`cold-${round}:${k}`); // 2,000 ids seen once: 20 turnovers
    }
    expect(parsed.filter((id) => id.startsWith('hot:')).length).toBe(50);
    expect(parsed.length).toBe(50 + 40 * 50);
  });

  it('holds at most two generations of ids', () => {
    const { cache } = counted(100);
    for (let i = 0; i < 10_000; i += 1) {
      cache.get(`ns:${i}`);
      expect(cache.size).toBeLessThanOrEqual(200);
    }
  });
});
