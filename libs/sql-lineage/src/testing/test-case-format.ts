/**
 * The format of the hand-written cases in libs/sql-lineage/test-cases/*.jsonl and how a result is compared
 * with one: exact table sets, exact column edge sets (names compared exactly, so case rules are tested),
 * and, where given, the entry-level transformation and the lifecycle events.
 */
import type { LifecycleEvent, SqlLineageRequest, SqlLineageResult } from '../lineage-result.types';
import { normaliseDialect } from '../sql-dialect';

export interface HandWrittenCase {
  id: string;
  dialect: string;
  /** The vendor documentation section the statement comes from. */
  ref: string;
  sql: string;
  schema?: Record<string, string[]>;
  default_db?: string;
  default_schema?: string;
  expected: {
    in: string[];
    out: string[];
    /** "table.column" (or "?.column" for no table) -> ["table.column", ...]; split at the last dot. */
    columns: Record<string, string[]>;
    /** "table.column" -> "DIRECT/AGGREGATION" etc. */
    transform?: Record<string, string>;
    lifecycle?: LifecycleEvent[];
  };
}

export const handWrittenRequest = (c: HandWrittenCase): SqlLineageRequest => ({
  sql: c.sql,
  dialect: normaliseDialect(c.dialect) ?? 'ansi',
  schema: c.schema,
  defaultDatabase: c.default_db,
  defaultSchema: c.default_schema,
});

const key = (table: string | null, column: string) => `${table ?? '?'}.${column}`;

/** The differences between a result and a case's expectation; empty when they agree. */
export const compareHandWritten = (c: HandWrittenCase, r: SqlLineageResult): string[] => {
  const diffs: string[] = [];
  const sameList = (what: string, got: string[], want: string[]) => {
    const g = [...new Set(got)].sort();
    const w = [...new Set(want)].sort();
    if (JSON.stringify(g) !== JSON.stringify(w)) diffs.push(`${what}: got ${JSON.stringify(g)}, want ${JSON.stringify(w)}`);
  };
  if (r.errors.length) diffs.push(`errors: ${r.errors.join('; ')}`);
  sameList('in', r.inTables, c.expected.in);
  sameList('out', r.outTables, c.expected.out);
  const got = new Set<string>();
  for (const e of r.columnLineage) for (const u of e.upstreams) got.add(`${key(e.downstream.table, e.downstream.column)} <- ${key(u.table, u.column)}`);
  const want = new Set<string>();
  for (const [down, ups] of Object.entries(c.expected.columns)) for (const u of ups) want.add(`${down} <- ${u}`);
  sameList('columns', [...got], [...want]);
  for (const [down, t] of Object.entries(c.expected.transform ?? {})) {
    const entry = r.columnLineage.find((e) => key(e.downstream.table, e.downstream.column) === down);
    const actual = entry ? `${entry.transformation.type}/${entry.transformation.subtype}` : 'none';
    if (actual !== t) diffs.push(`transformation of ${down}: got ${actual}, want ${t}`);
  }
  if (c.expected.lifecycle) sameList('lifecycle', r.lifecycle.map((l) => JSON.stringify(l)), c.expected.lifecycle.map((l) => JSON.stringify(l)));
  return diffs;
};
