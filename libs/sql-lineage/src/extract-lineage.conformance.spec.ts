/** Conformance (needs ../shared): extractLineage on every prefix of every statement of the shared SQL corpus. */
import { extractLineage, type SqlLineageRequest } from '@lineage-hub/sql-lineage';
import { loadConformanceCases } from '@lineage-hub/sql-lineage/testing';

describe('extractLineage never throws on the shared corpus', () => {
  it('survives every prefix of every corpus statement without an internal error', () => {
    const cases = loadConformanceCases();
    let runs = 0;
    for (const c of cases) {
      for (let cut = 1; cut < c.sql.length; cut += 13) {
        const r = extractLineage({ sql: c.sql.slice(0, cut), dialect: c.dialect as SqlLineageRequest['dialect'] });
        expect(r.errors.filter((e) => e.startsWith('internal'))).toEqual([]);
        runs++;
      }
    }
    expect(runs).toBeGreaterThan(1000);
  });
});
