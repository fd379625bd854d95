import { DomainError } from '@lineage-hub/model';
import { boolean, integer, nodeIdParam, oneOf, page, parseTime } from './query-params';
import { parseObservedWrites } from '../observed-writes/observed-write.parser';
import { validateExpand } from '../graph/lineage-query.service';
import { marquezRunState } from './marquez.mapper';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err.field;
    throw err;
  }
  throw new Error('expected a DomainError');
};

describe('query parameters', () => {
  it('parses integers within bounds and names the parameter otherwise', () => {
    expect(integer({}, 'depth', 20, 0, 100)).toBe(20);
    expect(integer({ depth: '3' }, 'depth', 20, 0, 100)).toBe(3);
    expect(fieldOf(() => integer({ depth: 'deep' }, 'depth', 20, 0, 100))).toBe('depth');
    expect(fieldOf(() => integer({ depth: '101' }, 'depth', 20, 0, 100))).toBe('depth');
    expect(fieldOf(() => integer({ depth: ['1', '2'] }, 'depth', 20, 0, 100))).toBe('depth');
    expect(page({ limit: '5', offset: '10' })).toEqual({ limit: 5, offset: 10 });
  });

  it('parses booleans and enumerations case-insensitively', () => {
    expect(boolean({ withDownstream: 'true' }, 'withDownstream', false)).toBe(true);
    expect(fieldOf(() => boolean({ withDownstream: 'yes' }, 'withDownstream', false))).toBe('withDownstream');
    expect(oneOf({ sortDirection: 'ASC' }, 'sortDirection', ['asc', 'desc'] as const, 'desc')).toBe('asc');
  });

  it('takes asOf as ISO-8601 or epoch milliseconds', () => {
    expect(parseTime('1700000000000', 'asOf')).toBe(1_700_000_000_000);
    expect(parseTime('2024-11-26T13:05:29.606867+00:00', 'asOf')).toBe(Date.UTC(2024, 10, 26, 13, 5, 29, 606));
    expect(fieldOf(() => parseTime('yesterday', 'asOf'))).toBe('asOf');
    expect(fieldOf(() => parseTime('2024-13-45T99:00:00Z', 'asOf'))).toBe('asOf');
  });

  it('canonicalises node ids and restricts their kind', () => {
    expect(nodeIdParam({ nodeId: 'dataset:postgres://DB:shop.public.Orders' }, 'nodeId', ['dataset'])).toBe(
      'dataset:postgres://db:5432:shop.public.orders',
    );
    expect(fieldOf(() => nodeIdParam({ nodeId: 'nonsense' }, 'nodeId', ['dataset']))).toBe('nodeId');
    expect(fieldOf(() => nodeIdParam({ nodeId: 'job:a:b' }, 'nodeId', ['dataset']))).toBe('nodeId');
    expect(fieldOf(() => nodeIdParam({}, 'nodeId', ['dataset']))).toBe('nodeId');
  });
});

describe('observed writes at the edge', () => {
  const ok = { dataset: 'dataset:snowflake://ACC:db.s.t', sources: [], writtenAt: '2025-01-01T00:00:00Z', queryId: 'q', connectorId: 'c' };

  it('canonicalises dataset ids and converts times', () => {
    const [write] = parseObservedWrites([ok]);
    expect(write.dataset).toBe('dataset:snowflake://acc:DB.S.T');
    expect(write.writtenAt).toBe(Date.UTC(2025, 0, 1));
  });

  it('names the first bad field', () => {
    expect(fieldOf(() => parseObservedWrites({}))).toBe('body');
    expect(fieldOf(() => parseObservedWrites([ok, { ...ok, queryId: '' }]))).toBe('[1].queryId');
    expect(fieldOf(() => parseObservedWrites([{ ...ok, sources: ['job:a:b'] }]))).toBe('[0].sources[0]');
    expect(fieldOf(() => parseObservedWrites([{ ...ok, rows: -1 }]))).toBe('[0].rows');
  });
});

describe('expand requests at the RPC edge', () => {
  const ok = { seeds: [{ id: 'dataset:postgres://DB:s.t', distance: 0 }], direction: 'downstream' as const, depth: 2, maxNodes: 10 };

  it('canonicalises seeds and defaults maxNodes', () => {
    const { maxNodes: _m, ...noMax } = ok;
    const req = validateExpand(noMax as any);
    expect(req.seeds[0].id).toBe('dataset:postgres://db:5432:s.t');
    expect(req.maxNodes).toBeGreaterThan(0);
  });

  it.each([
    [{ ...ok, seeds: [] }, 'seeds'],
    [{ ...ok, seeds: [{ id: 'x', distance: 0 }] }, 'seeds[0].id'],
    [{ ...ok, seeds: [{ id: 'job:a:b', distance: -1 }] }, 'seeds[0].distance'],
    [{ ...ok, direction: 'both' }, 'direction'],
    [{ ...ok, depth: 1.5 }, 'depth'],
    [{ ...ok, maxNodes: 0 }, 'maxNodes'],
  ])('refuses %j naming %s', (request, field) => {
    expect(fieldOf(() => validateExpand(request as any))).toBe(field);
  });
});

describe('Marquez run states', () => {
  it.each([
    ['START', 'RUNNING'],
    ['RUNNING', 'RUNNING'],
    ['COMPLETE', 'COMPLETED'],
    ['FAIL', 'FAILED'],
    ['ABORT', 'ABORTED'],
    ['NEW', 'NEW'],
  ])('%s -> %s', (state, marquez) => {
    expect(marquezRunState(state as any)).toBe(marquez);
  });
});
