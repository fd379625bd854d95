import { sortInPlace } from './small-sort';

describe('sortInPlace', () => {
  it('orders as Array.prototype.sort does, stably, short and long, for seeded lists with ties', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
    for (let n = 0; n < 60; n++) {
      const list = Array.from({ length: n }, (_, i) => ({ key: Math.floor(rnd() * 8), i }));
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      expect(sortInPlace([...list], byKey)).toEqual([...list].sort(byKey));
      const numbers = list.map((x) => x.key * 1000 - x.i);
      expect(sortInPlace([...numbers], (a, b) => a - b)).toEqual([...numbers].sort((a, b) => a - b));
    }
  });
});
