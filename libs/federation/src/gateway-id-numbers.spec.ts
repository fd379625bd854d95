import { GatewayIdNumbers, VERDICT_SHARDS } from './gateway-id-numbers';
import { acceptAllFilter, buildMembershipFilter, FILTER_SEED, hashId, loadMembershipFilter, type IdHash } from './membership-filter';

describe('GatewayIdNumbers', () => {
  it('numbers an id once, and numbers by a link dictionary only while the id under a number stays the same', () => {
    const numbering = new GatewayIdNumbers();
    const x = numbering.number('dataset:ns:x');
    expect(numbering.number('dataset:ns:x')).toBe(x);
    expect(numbering.peek('dataset:ns:nope')).toBe(-1);
    const dictionary = ['dataset:ns:a', 'dataset:ns:x'];
    const out = new Int32Array(2);
    numbering.numberRefs(['dataset:ns:x', 'dataset:ns:a'], dictionary, Int32Array.from([1, 0]), out);
    expect([...out].map((g) => numbering.ids[g])).toEqual(['dataset:ns:x', 'dataset:ns:a']);
    expect(out[0]).toBe(x);
    // the link's dictionary started again: the same numbers now name other ids
    dictionary.splice(0, 2, 'dataset:ns:x', 'dataset:ns:b');
    numbering.numberRefs(['dataset:ns:b', 'dataset:ns:x'], dictionary, Int32Array.from([1, 0]), out);
    expect([...out].map((g) => numbering.ids[g])).toEqual(['dataset:ns:b', 'dataset:ns:x']);
    expect(out[1]).toBe(x);
    expect(numbering.size).toBe(3);
  });

  it('caches an id hash per number under one seed, equal to hashing the id', () => {
    const numbering = new GatewayIdNumbers();
    const g = numbering.number('dataset:ns:a');
    const cache = numbering.hashes(7);
    const first = numbering.hashOf(cache, g, { seed: NaN, first: 0, second: 0 });
    const again = numbering.hashOf(cache, g, { seed: NaN, first: 0, second: 0 });
    const direct: IdHash = hashId({ seed: NaN, first: 0, second: 0 }, 'dataset:ns:a', 7);
    expect(first).toEqual(direct);
    expect(again).toEqual(direct);
    expect(numbering.hashes(8).hashed[g]).toBe(0);
  });

  it('numbers many ids once each, in the order first met, and finds each again as its table grows', () => {
    const numbering = new GatewayIdNumbers();
    const ids = Array.from({ length: 40_000 }, (_, i) => (i % 2 ? `dataset:wh${i % 8}:analytics.t${i}` : `job:etl-d${i % 8}:model_${i}`));
    // ids that are prefixes of others, and the empty id, are ids like any other
    ids.push('', 'd', 'dataset:wh1:analytics.t1', 'dataset:wh1:analytics.t');
    const unique = [...new Set(ids)];
    for (const id of ids) numbering.number(id);
    expect(numbering.size).toBe(unique.length);
    const wrong: string[] = [];
    for (let g = 0; g < unique.length; g++) if (numbering.ids[g] !== unique[g] || numbering.peek(unique[g]) !== g || numbering.number(unique[g]) !== g) wrong.push(unique[g]);
    expect(wrong).toEqual([]);
    // equal content from another string object is the same id
    expect(numbering.peek(['dataset:wh3:', 'analytics.t3'].join(''))).toBe(unique.indexOf('dataset:wh3:analytics.t3'));
    for (const id of ['dataset:wh1:analytics.t40000', 'dataset:wh1:analytics', 'x']) expect(numbering.peek(id)).toBe(-1);
    expect(numbering.size).toBe(unique.length);
  });

  it('keeps each id\'s hashes under the seed the shards\' filters are built with, equal to hashing the id', () => {
    const numbering = new GatewayIdNumbers();
    const ids = Array.from({ length: 3_000 }, (_, i) => `dataset:ns:t${i}`);
    for (const id of ids) numbering.number(id);
    // a filter as a shard builds it carries that seed (so routing reads the kept hashes)
    expect(loadMembershipFilter(buildMembershipFilter(ids.slice(0, 10))).seed).toBe(FILTER_SEED);
    const kept = numbering.hashes(FILTER_SEED);
    for (let g = 0; g < ids.length; g += 7) {
      const got = numbering.hashOf(kept, g, { seed: NaN, first: 0, second: 0 });
      expect(got).toEqual(hashId({ seed: NaN, first: 0, second: 0 }, ids[g], FILTER_SEED));
    }
  });

  it('lends place arrays back cleared', () => {
    const numbering = new GatewayIdNumbers();
    const places = numbering.borrowPlaces();
    places[3] = 5;
    places[9] = 1;
    numbering.returnPlaces(places, Int32Array.from([9, 3]), 2);
    const again = numbering.borrowPlaces();
    expect(again).toBe(places);
    expect(again.every((v) => v === 0)).toBe(true);
  });

  it('keeps filter verdicts per routing kind while the filters stand, clearing a refreshed filter\'s bits only', () => {
    const numbering = new GatewayIdNumbers();
    const g = numbering.number('dataset:ns:v');
    const [a, b, c] = [acceptAllFilter, { ...acceptAllFilter }, { ...acceptAllFilter }];
    const words = numbering.verdicts('downstream', [a, b])!;
    words[g] = 0b11 | (0b11 << VERDICT_SHARDS);
    expect(numbering.verdicts('downstream', [a, b])![g]).toBe(0b11 | (0b11 << VERDICT_SHARDS));
    expect(numbering.verdicts('upstream', [a, b])![g]).toBe(0);
    // shard 1's filter refreshed: only its bits go
    expect(numbering.verdicts('downstream', [a, c])![g]).toBe(0b01 | (0b01 << VERDICT_SHARDS));
    // another number of shards: all start again
    expect(numbering.verdicts('downstream', [a, c, b])![g]).toBe(0);
    expect(numbering.verdicts('downstream', Array.from({ length: VERDICT_SHARDS + 1 }, () => a))).toBeNull();
  });
});
