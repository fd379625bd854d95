import { canonicalJson } from './canonical-json';

describe('canonicalJson at any depth', () => {
  it('writes objects and arrays nested 10,000 and 100,000 deep without overflowing the stack', () => {
    for (const depth of [10_000, 100_000]) {
      let value: unknown = { leaf: true, a: 1 };
      for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { z: 0, facet: value } : [value, null];
      const text = canonicalJson(value);
      expect(text.startsWith('[{"facet":')).toBe(depth % 2 === 0);
      expect(text).toContain('{"a":1,"leaf":true}');
      expect(text.length).toBeGreaterThan(depth * 6);
      if (depth === 10_000) expect(JSON.parse(text)).toBeDefined();
    }
  });

  it('drops undefined members of objects, writes null for them in arrays, and follows toJSON at every level', () => {
    expect(canonicalJson({ b: { toJSON: () => ({ y: 2, x: [undefined, 1] }) }, a: undefined, c: [] , d: {} })).toBe('{"b":{"x":[null,1],"y":2},"c":[],"d":{}}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson([{}, [], [[]]])).toBe('[{},[],[[]]]');
    expect(canonicalJson({ only: undefined })).toBe('{}');
  });
});
