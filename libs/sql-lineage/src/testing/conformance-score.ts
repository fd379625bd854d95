/**
 * Scoring of a lineage result against one case of the shared SQL lineage corpus, as its README says:
 * names lower-cased with quotes removed; table-exact = in and out sets equal; column-exact = the set of
 * (downstream table, column, upstream table, column) edges equal.
 */
import type { SqlLineageRequest, SqlLineageResult } from '../lineage-result.types';
import { normaliseDialect } from '../sql-dialect';
import { peerConventions, sqllineageFlags } from '../peer-conventions';

export interface ConformanceCase {
  id: string;
  source_repo: string;
  dialect: string;
  sql: string;
  schema_info?: Record<string, string[]> | null;
  config?: Record<string, string> | null;
  expected: {
    in_tables: string[] | null;
    out_tables: string[] | null;
    column_lineage: Array<{ downstream: { table: string | null; column: string }; upstreams: Array<{ table: string | null; column: string }> }> | null;
  };
  asserts: string[];
}

export interface CaseScore {
  parsed: boolean;
  /** null when the case asserts no tables. */
  tableExact: boolean | null;
  /** null when the case asserts no column lineage. */
  columnExact: boolean | null;
}

const norm = (name: string | null | undefined): string => (name ?? 'null').replace(/["`]/g, '').toLowerCase();
const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/**
 * The library request a corpus case stands for: the peer's sqllineage flags become options, and each case is answered
 * with its own peer's conventions (the two peers disagree on what a script reads and writes; peer-conventions.ts).
 */
export const caseRequest = (c: ConformanceCase): SqlLineageRequest => ({
  sql: c.sql,
  dialect: normaliseDialect(c.dialect) ?? 'ansi',
  schema: c.schema_info ?? undefined,
  ...sqllineageFlags(c.config),
  conventions: peerConventions(c.source_repo),
});

export const edgeSet = (rows: Array<{ downstream: { table: string | null; column: string }; upstreams: Array<{ table: string | null; column: string }> }>): Set<string> => {
  const set = new Set<string>();
  for (const r of rows) for (const u of r.upstreams) set.add(`${norm(r.downstream.table)}.${norm(r.downstream.column)} <- ${norm(u.table)}.${norm(u.column)}`);
  return set;
};

export const scoreCase = (c: ConformanceCase, result: SqlLineageResult): CaseScore => {
  const parsed = result.errors.length === 0;
  let tableExact: boolean | null = null;
  if (c.asserts.includes('tables')) {
    tableExact =
      sameSet(new Set(result.inTables.map(norm)), new Set((c.expected.in_tables ?? []).map(norm))) &&
      sameSet(new Set(result.outTables.map(norm)), new Set((c.expected.out_tables ?? []).map(norm)));
  } else if (c.asserts.includes('in_tables_names_only')) {
    const bare = (t: string) => norm(t).split('.').pop()!;
    tableExact = sameSet(new Set(result.inTables.map(bare)), new Set((c.expected.in_tables ?? []).map(bare)));
  }
  let columnExact: boolean | null = null;
  if (c.asserts.includes('column_lineage')) columnExact = sameSet(edgeSet(result.columnLineage), edgeSet(c.expected.column_lineage ?? []));
  return { parsed, tableExact, columnExact };
};

export interface Tally {
  cases: number;
  parsed: number;
  tableAsserted: number;
  tableExact: number;
  columnAsserted: number;
  columnExact: number;
}

export interface CorpusScore {
  bySource: Record<string, Tally>;
  byDialect: Record<string, Tally>;
  bySourceAndDialect: Record<string, Tally>;
  /** Every case that failed a score, with what failed. */
  misses: Array<{ id: string; source: string; dialect: string; failed: Array<'parse' | 'tables' | 'columns'> }>;
}

const emptyTally = (): Tally => ({ cases: 0, parsed: 0, tableAsserted: 0, tableExact: 0, columnAsserted: 0, columnExact: 0 });

/** Scores every case; `source` is the peer repository's owner (`reata`, `OpenLineage`). */
export const scoreCorpus = (cases: ConformanceCase[], run: (request: SqlLineageRequest) => SqlLineageResult): CorpusScore => {
  const score: CorpusScore = { bySource: {}, byDialect: {}, bySourceAndDialect: {}, misses: [] };
  for (const c of cases) {
    const source = c.source_repo.split('/')[0];
    const s = scoreCase(c, run(caseRequest(c)));
    for (const [map, key] of [
      [score.bySource, source],
      [score.byDialect, c.dialect],
      [score.bySourceAndDialect, `${source}/${c.dialect}`],
    ] as const) {
      const t = (map[key] ??= emptyTally());
      t.cases++;
      if (s.parsed) t.parsed++;
      if (s.tableExact !== null) {
        t.tableAsserted++;
        if (s.tableExact) t.tableExact++;
      }
      if (s.columnExact !== null) {
        t.columnAsserted++;
        if (s.columnExact) t.columnExact++;
      }
    }
    const failed: Array<'parse' | 'tables' | 'columns'> = [];
    if (!s.parsed) failed.push('parse');
    if (s.tableExact === false) failed.push('tables');
    if (s.columnExact === false) failed.push('columns');
    if (failed.length) score.misses.push({ id: c.id, source, dialect: c.dialect, failed });
  }
  return score;
};

export const rate = (hit: number, of: number): number => (of === 0 ? 1 : hit / of);
