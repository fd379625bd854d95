import { edgesToPage } from './page-edges';

describe('edgesToPage', () => {
  // H -> job_i -> out_i (downstream of H at depth 1)
  const edges = [0, 1, 2].flatMap((i) => [
    { from: 'dataset:n:H', to: `job:n:j${i}`, kind: 'reads' },
    { from: `job:n:j${i}`, to: `dataset:n:out${i}`, kind: 'writes' },
  ]);

  it('keeps the hop in between: a page of outputs comes with the jobs that write them and the edges to those jobs', () => {
    const page = new Set(['dataset:n:H', 'dataset:n:out0', 'dataset:n:out1']);
    expect(edgesToPage(edges, page, 'downstream')).toEqual([
      { from: 'dataset:n:H', to: 'job:n:j0', kind: 'reads' },
      { from: 'job:n:j0', to: 'dataset:n:out0', kind: 'writes' },
      { from: 'dataset:n:H', to: 'job:n:j1', kind: 'reads' },
      { from: 'job:n:j1', to: 'dataset:n:out1', kind: 'writes' },
    ]);
  });

  it('walks against the direction of an upstream answer', () => {
    const up = [
      { from: 'dataset:n:a', to: 'job:n:j', kind: 'reads' },
      { from: 'job:n:j', to: 'dataset:n:H', kind: 'writes' },
      { from: 'dataset:n:b', to: 'job:n:j', kind: 'reads' },
    ];
    expect(edgesToPage(up, new Set(['dataset:n:H', 'dataset:n:a']), 'upstream')).toEqual([up[0], up[1]]);
  });

  it("does not repeat the edges into an earlier page's nodes: the walk back stops there", () => {
    // H -> j0 -> out0 -> j9 -> far (downstream); page 1: H, out0 (and j0's edges on the way); page 2: far
    const chain = [...edges, { from: 'dataset:n:out0', to: 'job:n:j9', kind: 'reads' }, { from: 'job:n:j9', to: 'dataset:n:far', kind: 'writes' }];
    const first = edgesToPage(chain, new Set(['dataset:n:H', 'dataset:n:out0']), 'downstream');
    expect(first).toEqual([chain[0], chain[1]]);
    const second = edgesToPage(chain, new Set(['dataset:n:far']), 'downstream', new Set(['dataset:n:H', 'dataset:n:out0']));
    expect(second).toEqual([chain[6], chain[7]]);
    // without the earlier pages named, the page alone walks back to the query node
    expect(edgesToPage(chain, new Set(['dataset:n:far']), 'downstream')).toEqual([chain[0], chain[1], chain[6], chain[7]]);
  });

  it('leaves out edges leading only to nodes of other pages', () => {
    expect(edgesToPage(edges, new Set(['dataset:n:H']), 'downstream')).toEqual([]);
  });
});
