import type { NodeId } from '@lineage-hub/model';
import { LineageIndex, type TraversalOptions } from '@lineage-hub/graph';
import { columnarExpandAnswer, decodeColumnar } from './columnar-expand';
import { compactColumns } from './packed-expand';
import { decodeLeanAnswer, encodeLeanAnswer, LeanAnswerError, LeanIdNumbering, plainJsonBytes } from './lean-expand-codec';
import { encodeFrame, LEAN_ANSWER, LEAN_EXPAND, LeanFrameError, LeanFrameReader } from './lean-expand-frame';
import { column, ds, edge, fld, identity, job } from './testing/lineage-edges.fixtures';

/** Dataset and column edges, an observed edge, a null-job column edge, and ids with non-ASCII characters. */
const index = () => {
  const i = new LineageIndex();
  i.load({
    groups: [
      { owner: job('j1'), edges: [edge(ds('a'), job('j1'), 'reads'), edge(job('j1'), ds('bé"\\'), 'writes', 'observed')], columnEdges: [column(fld('a', 'x'), fld('bé"\\', 'y'), job('j1'), identity)] },
      { owner: job('j2'), edges: [edge(ds('bé"\\'), job('j2'), 'reads'), edge(job('j2'), ds('c💡'), 'writes')], columnEdges: [column(fld('bé"\\', 'y'), fld('c💡', 'z'), null, [{ type: 'INDIRECT', subtype: 'JOIN' }])] },
      { owner: job('j3'), edges: [edge(ds('c💡'), job('j3'), 'reads'), edge(job('j3'), ds('d'), 'writes')], columnEdges: [] },
    ],
    aliases: [],
    lifecycle: [],
    version: 7,
  });
  return i;
};

const queries: Array<[NodeId, TraversalOptions]> = [
  [ds('a'), { direction: 'downstream', depth: 2, maxNodes: 100 }],
  [ds('d'), { direction: 'upstream', depth: 5, maxNodes: 100 }],
  [fld('a', 'x'), { direction: 'downstream', depth: 2, maxNodes: 100 }],
  [ds('a'), { direction: 'downstream', depth: 5, maxNodes: 3 }],
];

describe('lean expand answers', () => {
  it("round trip: every answer decodes to exactly traverse()'s answer, ids sent as strings once per connection", () => {
    const g = index();
    const numbering = new LeanIdNumbering();
    const dictionary: string[] = [];
    for (const round of [1, 2]) {
      for (const [seed, options] of queries) {
        const plain = g.traverse([{ id: seed, distance: 0 }], options);
        const compact = g.traverseCompact([{ id: seed, distance: 0 }], options);
        const payload = encodeLeanAnswer({ version: 7, truncated: compact.truncated, unknownSeeds: ['dataset:ns:nope'], columns: compactColumns(compact) }, numbering);
        const before = dictionary.length;
        const answer = columnarExpandAnswer(decodeLeanAnswer(payload, dictionary, 'd1'));
        expect(decodeColumnar(answer.columnar)).toEqual({ nodes: plain.nodes, edges: plain.edges, frontier: plain.frontier });
        expect(answer).toMatchObject({ domain: 'd1', version: 7, truncated: plain.truncated, unknownSeeds: ['dataset:ns:nope'] });
        if (round === 2) expect(dictionary.length).toBe(before); // every id known: none sent again
      }
    }
    expect(new Set(dictionary).size).toBe(dictionary.length);
  });

  it('an answer given as traverseCompact() itself is written as the same bytes as its packed columns, after the room left', () => {
    const g = index();
    const viaColumns = new LeanIdNumbering();
    const direct = new LeanIdNumbering();
    const options: TraversalOptions[] = [{ direction: 'downstream', depth: 5, maxNodes: 100, unordered: true }, ...queries.map(([, o]) => o)];
    for (const round of [1, 2]) {
      for (const [i, [seed]] of queries.entries()) {
        for (const [k, o] of options.entries()) {
          const compact = g.traverseCompact([{ id: seed, distance: 0 }], o);
          const unknownSeeds = (i + k + round) % 2 ? ['dataset:ns:nope'] : [];
          const expected = encodeLeanAnswer({ version: 7, truncated: compact.truncated, unknownSeeds, columns: compactColumns(compact) }, viaColumns, 9);
          const got = encodeLeanAnswer({ version: 7, truncated: compact.truncated, unknownSeeds, columns: null, compact }, direct, 9);
          expect(got.length).toBe(expected.length);
          expect(got.subarray(9)).toEqual(expected.subarray(9));
          expect(got.subarray(0, 9)).toEqual(Buffer.alloc(9));
        }
      }
    }
  });

  it("an answer given as traverseHeldNumbers() (no ids array) is written as the same bytes as traverseHeld()'s packed columns", () => {
    // ASCII-only ids (new ids written straight into the frame) and ids JSON escapes or that are not ASCII (JSON.stringify)
    const plain = new LineageIndex();
    plain.load({
      groups: [
        { owner: job('p1'), edges: [edge(ds('a'), job('p1'), 'reads'), edge(job('p1'), ds('b'), 'writes', 'observed')], columnEdges: [column(fld('a', 'x'), fld('b', 'y'), job('p1'), identity)] },
        { owner: job('p2'), edges: [edge(ds('b'), job('p2'), 'reads'), edge(ds('a'), job('p2'), 'reads'), edge(job('p2'), ds('c'), 'writes')], columnEdges: [column(fld('b', 'y'), fld('c', 'z'), null, identity)] },
      ],
      aliases: [],
      lifecycle: [],
      version: 3,
    });
    for (const g of [plain, index()]) {
      const viaColumns = new LeanIdNumbering();
      const direct = new LeanIdNumbering();
      const seedSets: NodeId[][] = [[ds('a')], [ds('nope'), ds('b')], [fld('a', 'x')], [ds('d'), ds('c'), ds('a')], [ds('c💡')], [ds('nope')]];
      const options: TraversalOptions[] = [
        { direction: 'downstream', depth: 5, maxNodes: 100, unordered: true },
        { direction: 'upstream', depth: 5, maxNodes: 100, unordered: true },
        { direction: 'downstream', depth: 5, maxNodes: 2, unordered: true },
      ];
      for (const round of [1, 2]) {
        for (const ids of seedSets) {
          for (const o of options) {
            const seeds = ids.map((id, k) => ({ id, distance: k % 2 }));
            const held = g.traverseHeld(seeds, o);
            const numbered = g.traverseHeldNumbers(seeds, o);
            expect(numbered.unknownSeeds).toEqual(held.unknownSeeds);
            expect(numbered.nodeCount).toBe(held.ids.length);
            expect([...numbered.nodeNumbers].map((k) => numbered.idTable[k])).toEqual([...held.ids, ...held.jobs]);
            const expected = encodeLeanAnswer({ version: 7, truncated: held.truncated, unknownSeeds: held.unknownSeeds, columns: compactColumns(held) }, viaColumns, 9);
            const got = encodeLeanAnswer({ version: 7, truncated: numbered.truncated, unknownSeeds: numbered.unknownSeeds, columns: null, compact: numbered }, direct, 9);
            expect(got.subarray(9)).toEqual(expected.subarray(9));
            expect(got.length).toBe(expected.length);
          }
        }
        if (round === 1) expect(plainJsonBytes(g === plain ? [ds('a'), job('p1')] : [ds('bé"\\')])).toBe(g === plain ? JSON.stringify([ds('a'), job('p1')]).length : -1);
      }
    }
  });

  it('numberIndexed: the numbers new to the gateway, in answer order, past its reused scratch, and a start again on a new numbering', () => {
    const numbering = new LeanIdNumbering();
    const first = Int32Array.from({ length: 600 }, (_, i) => 1198 - i * 2);
    expect(numbering.numberIndexed(first, 4)).toBe(false);
    expect(Array.from(numbering.freshNumbers.subarray(0, numbering.freshCount))).toEqual(Array.from(first));
    const second = Int32Array.from([7, 5000, 0, 3, 5000, 2]);
    expect(numbering.numberIndexed(second, 4)).toBe(false);
    expect(Array.from(numbering.freshNumbers.subarray(0, numbering.freshCount))).toEqual([7, 5000, 3]);
    expect(numbering.numberIndexed(new Int32Array(0), 5)).toBe(false);
    expect(numbering.freshCount).toBe(0);
    expect(numbering.numberIndexed(second, 5)).toBe(true);
    expect(Array.from(numbering.freshNumbers.subarray(0, numbering.freshCount))).toEqual([7, 5000, 0, 3, 2]);
  });

  it('plainJsonBytes: the JSON byte length of printable-ASCII ids, -1 for any id JSON escapes or that is not ASCII', () => {
    const plain = ['dataset:wh1:analytics.t1', 'job:etl-d1:model_7', ' ~!#$%&()*+,-./09:;<=>?@AZ[]^_`az{|}', ''];
    expect(plainJsonBytes(plain)).toBe(Buffer.byteLength(JSON.stringify(plain)));
    expect(plainJsonBytes([])).toBe(1);
    for (const odd of ['a"b', 'a\\b', 'tab\tx', 'nl\nx', 'é', '\u007f', '💡', '\ud800']) expect(plainJsonBytes(['ok', odd])).toBe(-1);
  });

  it('an answer without ids leaves the dictionary as it is (no start again around a seed the shard does not hold)', () => {
    const g = index();
    const numbering = new LeanIdNumbering();
    const dictionary: string[] = [];
    const query = () => {
      const compact = g.traverseCompact([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 5, maxNodes: 100 });
      return encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: [], columns: null, compact }, numbering);
    };
    expect(decodeLeanAnswer(query(), dictionary, 'd').columnar.nodeCount).toBeGreaterThan(0);
    const none = encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: ['dataset:ns:nope'], columns: null }, numbering);
    expect(none.readInt32LE(4) & 2).toBe(0);
    expect(decodeLeanAnswer(none, dictionary, 'd').unknownSeeds).toEqual(['dataset:ns:nope']);
    const again = query();
    expect(again.readInt32LE(4) & 2).toBe(0); // no RESET
    expect(again.readInt32LE(36)).toBe(0); // no id sent again
    expect(decodeLeanAnswer(again, dictionary, 'd').columnar.nodeCount).toBeGreaterThan(0);
  });

  it('an answer with no held seed, a version above 2^32, and a dictionary started again at its cap', () => {
    const numbering = new LeanIdNumbering(4);
    const dictionary: string[] = [];
    const empty = decodeLeanAnswer(encodeLeanAnswer({ version: 2 ** 40 + 5, truncated: false, unknownSeeds: [], columns: null }, numbering), dictionary, 'd');
    expect(empty).toMatchObject({ version: 2 ** 40 + 5, truncated: false, unknownSeeds: [] });
    expect(empty.columnar.nodeCount).toBe(0);
    const g = index();
    // without the index's numbers: the connection numbers the ids itself, up to its cap
    const { nodeNumbers: _n, numbering: _m, ...c } = compactColumns(g.traverseCompact([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 1, maxNodes: 100 }));
    expect(c.ids.length).toBe(3);
    const answer = decodeLeanAnswer(encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: [], columns: c }, numbering), dictionary, 'd');
    expect(answer.columnar.ids).toEqual(c.ids);
    const again = decodeLeanAnswer(encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: [], columns: c }, numbering), dictionary, 'd');
    expect(again.columnar.ids).toEqual(c.ids);
    expect(dictionary).toEqual(c.ids); // 3 + 3 would pass the cap of 4: both ends started again
  });

  it("follows the index's numbering, and starts again when the index was reloaded (a new numbering)", () => {
    const numbering = new LeanIdNumbering();
    const dictionary: string[] = [];
    const query = (g: LineageIndex, seed: NodeId) => compactColumns(g.traverseCompact([{ id: seed, distance: 0 }], { direction: 'upstream', depth: 5, maxNodes: 100 }));
    const first = index();
    const a = query(first, ds('d'));
    expect(decodeLeanAnswer(encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: [], columns: a }, numbering), dictionary, 'd').columnar.ids).toEqual(a.ids);
    const reloaded = index();
    const b = query(reloaded, ds('c💡'));
    expect(b.numbering).not.toBe(a.numbering);
    const payload = encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: [], columns: b }, numbering);
    expect(payload.readInt32LE(4) & 2).toBe(2); // RESET
    expect(decodeLeanAnswer(payload, dictionary, 'd').columnar.ids).toEqual(b.ids);
    expect(dictionary.filter((id) => id !== undefined).sort()).toEqual([...b.ids].sort());
  });

  it('refuses malformed answers with a clear error', () => {
    const g = index();
    const c = compactColumns(g.traverseCompact([{ id: ds('a'), distance: 0 }], { direction: 'downstream', depth: 2, maxNodes: 100 }));
    const payload = encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: [], columns: c }, new LeanIdNumbering());
    expect(() => decodeLeanAnswer(payload.subarray(0, 20), [], 'd')).toThrow(/malformed lean expand answer: 20 bytes is shorter than the header/);
    expect(() => decodeLeanAnswer(payload.subarray(0, payload.length - 4), [], 'd')).toThrow(/the header needs/);
    const wrongFormat = Buffer.from(payload);
    wrongFormat.writeInt32LE(9, 0);
    expect(() => decodeLeanAnswer(wrongFormat, [], 'd')).toThrow(/format 9/);
    // an answer numbering ids the gateway never learned (a dictionary out of step)
    const known = encodeLeanAnswer({ version: 1, truncated: false, unknownSeeds: [], columns: c }, (() => {
      const n = new LeanIdNumbering();
      n.number(c.ids, new Int32Array(c.ids.length), [], [], c.nodeNumbers, c.numbering);
      return n;
    })());
    expect(() => decodeLeanAnswer(known, [], 'd')).toThrow(LeanAnswerError);
    expect(() => decodeLeanAnswer(known, [], 'd')).toThrow(/ids\[0\] is number \d+, which the dictionary does not hold/);
    // a position outside the id table is caught by the columnar check
    const bad = Buffer.from(payload);
    const edgeFromAt = (12 + c.ids.length + 2 * c.nodeCount + 2 * c.frontierCount) * 4;
    bad.writeInt32LE(9999, edgeFromAt);
    expect(() => columnarExpandAnswer(decodeLeanAnswer(bad, [], 'd'))).toThrow(/malformed columnar expand answer: edgeFrom\[0\]/);
  });
});

describe('lean expand frames', () => {
  it('splits a stream into frames whatever the chunking, payloads 4-byte aligned', () => {
    const frames = Buffer.concat([encodeFrame(LEAN_EXPAND, 1, '{"a":1}'), encodeFrame(LEAN_ANSWER, 2, Buffer.alloc(64, 7)), encodeFrame(LEAN_EXPAND, 3, '')]);
    for (const size of [1, 3, 7, frames.length]) {
      const reader = new LeanFrameReader(1024);
      const got = [];
      for (let at = 0; at < frames.length; at += size) got.push(...reader.push(frames.subarray(at, at + size)));
      expect(got.map((f) => [f.kind, f.request, f.payload.length, f.payload.byteOffset % 4])).toEqual([
        [LEAN_EXPAND, 1, 7, 0],
        [LEAN_ANSWER, 2, 64, 0],
        [LEAN_EXPAND, 3, 0, 0],
      ]);
      expect(got[0].payload.toString()).toBe('{"a":1}');
      expect(got[1].payload.equals(Buffer.alloc(64, 7))).toBe(true);
    }
  });

  it('refuses an oversized, short or unknown frame with a clear error, and stays refused', () => {
    const big = new LeanFrameReader(100);
    expect(() => big.push(encodeFrame(LEAN_EXPAND, 1, Buffer.alloc(200)))).toThrow(/malformed lean expand frame: length 205 exceeds the limit of 100 bytes/);
    expect(() => big.push(encodeFrame(LEAN_EXPAND, 1, ''))).toThrow(LeanFrameError);
    const short = Buffer.alloc(8);
    short.writeUInt32LE(2, 0);
    expect(() => new LeanFrameReader(100).push(short)).toThrow(/length 2 is shorter than the frame header/);
    const unknown = encodeFrame(LEAN_EXPAND, 1, 'x');
    unknown[4] = 42;
    expect(() => new LeanFrameReader(100).push(unknown)).toThrow(/unknown kind 42/);
  });
});
