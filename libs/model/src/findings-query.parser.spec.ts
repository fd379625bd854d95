import { parseEvaluateQuery, parseFindingQuery } from './findings-query.parser';

const field = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { field?: string }).field;
  }
  return undefined;
};

describe('findings query parameters', () => {
  it.each([
    [{}, 'incremental'],
    [{ mode: 'incremental' }, 'incremental'],
    [{ mode: 'full' }, 'full'],
  ])('evaluate %j -> %s', (query, mode) => expect(parseEvaluateQuery(query)).toBe(mode));

  it.each([
    [{ mode: 'fll' }, 'mode'],
    [{ mode: ['full', 'full'] }, 'mode'],
    [{ full: 'true' }, 'full'],
  ])('evaluate %j is refused naming %s', (query, name) => expect(field(() => parseEvaluateQuery(query))).toBe(name));

  it.each([
    [{ kind: 'late' }, 'kind'],
    [{ status: 'closed' }, 'status'],
    [{ job: 'dataset:a:b' }, 'job'],
    [{ limit: '1001' }, 'limit'],
    [{ since: 'soon' }, 'since'],
    [{ sort: 'asc' }, 'sort'],
  ])('findings %j is refused naming %s', (query, name) => expect(field(() => parseFindingQuery(query))).toBe(name));
});
