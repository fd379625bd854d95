import { GatewayIdNumbers, VERDICT_SHARDS } from './gateway-id-numbers';
import { acceptAllFilter, hashId, type IdHash } from './membership-filter';

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
