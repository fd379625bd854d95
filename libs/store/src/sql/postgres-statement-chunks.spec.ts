import { statementChunks } from './postgres-statement-chunks';

describe('statementChunks (a statement per bounded run of rows)', () => {
  const row = (text: string) => ['id', text, 7];

  it('cuts at the row limit and at the byte limit, never inside a row, keeping every row once in order', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row('x'.repeat(i === 4 ? 950 : 10)));
    const byRows = statementChunks(rows, 3, 1_000_000);
    expect(byRows.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    // 20 bytes a row, 960 for row 4: a 1,000-byte budget closes a run before row 4, and one when rows 4-6 filled it
    const byBytes = statementChunks(rows, 100, 1000);
    expect(byBytes.map((c) => c.length)).toEqual([4, 3, 3]);
    expect(byBytes.flat()).toEqual(rows);
  });

  it('sends a row larger than the budget alone, and nothing for no rows', () => {
    const rows = [row('a'), row('b'.repeat(5000)), row('c')];
    expect(statementChunks(rows, 100, 1000).map((c) => c.length)).toEqual([1, 1, 1]);
    expect(statementChunks([], 100)).toEqual([]);
  });
});
