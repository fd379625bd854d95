import { decodeFindingCursor, parseEvaluateQuery, parseFindingQuery } from './findings-query.parser';

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
    [undefined, 'incremental'],
    [{}, 'incremental'],
  ])('evaluate with body %j -> %s', (body, mode) => expect(parseEvaluateQuery({}, body)).toBe(mode));

  it.each([
    [{ mode: 'full' }, 'body.mode'],
    [[1, 2], 'body'],
    ['full', 'body'],
  ])('evaluate with body %j is refused naming %s (the body would be ignored)', (body, name) => expect(field(() => parseEvaluateQuery({}, body))).toBe(name));

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
    [{ since: '99999999999999999999' }, 'since'],
    [{ since: '8640000000000001' }, 'since'],
  ])('findings %j is refused naming %s', (query, name) => expect(field(() => parseFindingQuery(query))).toBe(name));

  it('takes epoch milliseconds up to what a Date holds', () => expect(parseFindingQuery({ since: '8640000000000000' }).since).toBe(8.64e15));

  it.each([['[1e400,"a"]'], ['[-1e400,"a"]'], ['[1,"a","b"]'], ['[9e15,"a"]']])('refuses the cursor %s naming cursor', (json) =>
    expect(field(() => decodeFindingCursor(Buffer.from(json).toString('base64url')))).toBe('cursor'),
  );
});
