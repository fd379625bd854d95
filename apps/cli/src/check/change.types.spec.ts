import { isBreaking, isWidening } from './change.types';
import { diffColumns } from './column-diff';

describe('which changes break readers', () => {
  it.each([
    ['int', 'bigint', true],
    ['bigint', 'int', false],
    ['varchar(10)', 'varchar(20)', true],
    ['varchar(20)', 'varchar(10)', false],
    ['varchar(20)', 'text', true],
    ['numeric(10,2)', 'numeric(12,2)', true],
    ['numeric(10,2)', 'numeric(10,3)', false],
    ['float', 'double', true],
    ['int', 'varchar(10)', false],
    ['DATE', 'date', true],
  ])('%s -> %s widening: %s', (from, to, widening) => {
    expect(isWidening(from, to)).toBe(widening);
  });

  it('a drop, rename or narrowing breaks; an added column or a widening does not', () => {
    expect(isBreaking({ kind: 'column-dropped', dataset: 'dataset:n:t', column: 'a' })).toBe(true);
    expect(isBreaking({ kind: 'column-renamed', dataset: 'dataset:n:t', column: 'a', renamedTo: 'b' })).toBe(true);
    expect(isBreaking({ kind: 'dataset-removed', dataset: 'dataset:n:t' })).toBe(true);
    expect(isBreaking({ kind: 'column-added', dataset: 'dataset:n:t', column: 'a' })).toBe(false);
    expect(isBreaking({ kind: 'column-type-changed', dataset: 'dataset:n:t', column: 'a', fromType: 'int', toType: 'bigint' })).toBe(false);
    expect(isBreaking({ kind: 'column-type-changed', dataset: 'dataset:n:t', column: 'a', fromType: 'bigint', toType: 'int' })).toBe(true);
  });
});

describe('column diff', () => {
  it('one column gone and one of the same type added is a rename', () => {
    expect(diffColumns('dataset:n:t', [{ name: 'id', type: 'int' }, { name: 'amt', type: 'numeric' }], [{ name: 'id', type: 'int' }, { name: 'amount', type: 'NUMERIC' }])).toEqual([
      { kind: 'column-renamed', dataset: 'dataset:n:t', column: 'amt', renamedTo: 'amount' },
    ]);
  });

  it('otherwise drops, adds and type changes', () => {
    expect(diffColumns('dataset:n:t', [{ name: 'id', type: 'int' }, { name: 'a', type: 'text' }, { name: 'b', type: 'int' }], [{ name: 'id', type: 'bigint' }, { name: 'c', type: 'date' }])).toEqual([
      { kind: 'column-dropped', dataset: 'dataset:n:t', column: 'a', fromType: 'text' },
      { kind: 'column-dropped', dataset: 'dataset:n:t', column: 'b', fromType: 'int' },
      { kind: 'column-added', dataset: 'dataset:n:t', column: 'c', toType: 'date' },
      { kind: 'column-type-changed', dataset: 'dataset:n:t', column: 'id', fromType: 'int', toType: 'bigint' },
    ]);
  });
});
