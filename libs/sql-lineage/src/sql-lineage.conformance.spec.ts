/**
 * The development corpus (../shared/conformance/sql-lineage, 206 cases from sqllineage and OpenLineage):
 * the thresholds of the issue per source, and the exact list of misses explained in bench/RESULTS.md, so
 * that any regression (or an unexplained change) fails.
 */
import { extractLineage } from '@lineage-hub/sql-lineage';
import { loadConformanceCases, rate, scoreCorpus } from '@lineage-hub/sql-lineage/testing';

/**
 * Misses we accept, each explained in bench/RESULTS.md. None since each case is answered with its own peer's
 * conventions (caseRequest: SqlLineageRequest.conventions), which is where the two suites disagree.
 */
const EXPLAINED_MISSES: string[] = [];

describe('SQL lineage development corpus', () => {
  const cases = loadConformanceCases();
  const score = scoreCorpus(cases, extractLineage);

  it('holds the 206 cases of both peers', () => {
    expect(cases).toHaveLength(206);
    expect(Object.keys(score.bySource).sort()).toEqual(['OpenLineage', 'reata']);
  });

  it.each(['reata', 'OpenLineage'])('meets the thresholds for %s: parse >= 98%%, table-exact >= 95%%, column-exact >= 90%%', (source) => {
    const t = score.bySource[source];
    expect(rate(t.parsed, t.cases)).toBeGreaterThanOrEqual(0.98);
    expect(rate(t.tableExact, t.tableAsserted)).toBeGreaterThanOrEqual(0.95);
    expect(rate(t.columnExact, t.columnAsserted)).toBeGreaterThanOrEqual(0.9);
  });

  it('misses only the cases explained in bench/RESULTS.md', () => {
    expect(score.misses.map((m) => m.id).sort()).toEqual([...EXPLAINED_MISSES].sort());
  });
});
