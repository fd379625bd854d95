/**
 * Hand-written cases (over 200) in the warehouse dialects (libs/sql-lineage/test-cases/*.{dev,holdout}.jsonl: rules are
 * developed on the dev half, the holdout half is scored; both run here), each taken from a
 * vendor SQL reference example with its lineage worked out by hand: exact tables, exact column edges, and
 * where given the transformation type and lifecycle events.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { extractLineage } from '@lineage-hub/sql-lineage';
import { compareHandWritten, handWrittenCasesDir, handWrittenRequest, type HandWrittenCase } from '@lineage-hub/sql-lineage/testing';

const dir = handWrittenCasesDir();
const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
const cases: Array<[string, HandWrittenCase]> = files.flatMap((f) =>
  readFileSync(join(dir, f), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as HandWrittenCase)
    .map((c): [string, HandWrittenCase] => [c.id, c]),
);

describe('hand-written warehouse cases', () => {
  it('has at least 200 cases, at least 50 per warehouse dialect, with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    for (const d of ['bigquery', 'snowflake', 'redshift', 'postgres']) {
      expect(cases.filter(([, c]) => c.dialect === d).length).toBeGreaterThanOrEqual(50);
    }
    expect(new Set(cases.map(([id]) => id)).size).toBe(cases.length);
  });

  it.each(cases)('%s', (_id, c) => {
    expect(compareHandWritten(c, extractLineage(handWrittenRequest(c)))).toEqual([]);
  });
});
