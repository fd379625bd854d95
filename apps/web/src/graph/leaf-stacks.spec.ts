import { type LayoutInput, stackLeaves } from './leaf-stacks';

const node = (id: string, width = 240, height = 64) => ({ id, width, height });
const edge = (from: string, to: string) => ({ id: `${from}>${to}`, from, to });
const isBlock = (id: string) => id.includes('block');

/**
 * H -> j1..jn -> o1..on (a paged fan-out: each consumer job writes one table), u1..u3 -> H (its inputs, leaves),
 * and o1 -> x -> {y, z} (a branch that goes on and splits: not a chain).
 */
const fanOut = (n: number): LayoutInput => {
  const nodes = [node('H'), node('x'), node('y'), node('z'), node('u1'), node('u2'), node('u3', 180, 64)];
  const edges = [edge('u1', 'H'), edge('u2', 'H'), edge('u3', 'H')];
  for (let i = 1; i <= n; i++) {
    nodes.push(node(`j${i}`), node(`o${i}`, 200, i === 3 ? 100 : 64));
    edges.push(edge('H', `j${i}`), edge(`j${i}`, `o${i}`));
  }
  edges.push(edge('o1', 'x'), edge('x', 'y'), edge('x', 'z'));
  return { nodes, edges };
};

describe('stackLeaves', () => {
  it('gives ELK one block per group of same-length chains on one side of a node, with one edge, and keeps the rest', () => {
    const { input } = stackLeaves(fanOut(274), 24, 80);
    // H, x, y, z, j1, o1 (their branch goes on), a block of j2..j274 -> o2..o274, a block of the inputs u1..u3
    expect(input.nodes.map((n) => n.id).filter((id) => !isBlock(id)).sort()).toEqual(['H', 'j1', 'o1', 'x', 'y', 'z']);
    expect(input.nodes.filter((n) => isBlock(n.id)).map(({ width, height }) => ({ width, height }))).toEqual([
      { width: 240, height: 3 * 64 + 2 * 24 },
      { width: 240 + 80 + 200, height: 272 * 64 + 100 + 272 * 24 },
    ]);
    expect(input.edges).toHaveLength(2 + 2 + 3);
    expect(input.edges.filter((e) => isBlock(e.id)).map((e) => [isBlock(e.from) ? 'block' : e.from, isBlock(e.to) ? 'block' : e.to])).toEqual([
      ['block', 'H'],
      ['H', 'block'],
    ]);
  });

  it('spreads a block back: one row per chain in drawing order, one column per hop; upstream nodes line up on the right', () => {
    const s = stackLeaves(fanOut(5), 24, 80);
    const at: Record<string, { x: number; y: number }> = {};
    for (const n of s.input.nodes) at[n.id] = { x: 1000, y: 1000 };
    const upstream = s.input.edges.find((e) => e.to === 'H' && isBlock(e.from))!.from;
    const downstream = s.input.edges.find((e) => e.from === 'H' && isBlock(e.to))!.to;
    at[upstream] = { x: 0, y: 10 };
    at[downstream] = { x: 400, y: 10 };
    const p = s.spread(at);
    expect(Object.keys(p).sort()).toEqual(['H', 'j1', 'j2', 'j3', 'j4', 'j5', 'o1', 'o2', 'o3', 'o4', 'o5', 'u1', 'u2', 'u3', 'x', 'y', 'z'].sort());
    expect(['j2', 'j3', 'j4', 'j5'].map((id) => p[id])).toEqual([
      { x: 400, y: 10 },
      { x: 400, y: 98 },
      { x: 400, y: 222 }, // o3 is 100 high: its row is
      { x: 400, y: 310 },
    ]);
    expect(['o2', 'o3', 'o4', 'o5'].map((id) => p[id].x)).toEqual([720, 720, 720, 720]);
    expect(['u1', 'u2', 'u3'].map((id) => p[id])).toEqual([
      { x: 0, y: 10 },
      { x: 0, y: 98 },
      { x: 60, y: 186 },
    ]);
    expect(p.H).toEqual({ x: 1000, y: 1000 });
  });

  it('leaves small groups, a plain path, and cycles to ELK', () => {
    const path = { nodes: [node('a'), node('b'), node('c')], edges: [edge('a', 'b'), edge('b', 'c')] };
    expect(stackLeaves(path, 24, 80).input).toBe(path);
    const small = { nodes: [node('H'), node('a'), node('b')], edges: [edge('H', 'a'), edge('H', 'b')] };
    expect(stackLeaves(small, 24, 80).input).toBe(small);
    const twoWay = { nodes: [node('H'), node('a'), node('b'), node('c')], edges: [edge('H', 'a'), edge('a', 'H'), edge('H', 'b'), edge('b', 'H'), edge('H', 'c'), edge('c', 'H')] };
    expect(stackLeaves(twoWay, 24, 80).input).toBe(twoWay);
    const ring = { nodes: [node('a'), node('b'), node('c')], edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')] };
    expect(stackLeaves(ring, 24, 80).input).toBe(ring);
  });
});
