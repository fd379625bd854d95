/** What the resolver works with: origins and how they compose, output columns, sources, scopes, the per-statement result. */
import type { Cte } from '../sql-ast';
import type { DialectRules } from '../sql-dialect';
import type { DirectSubtype, IndirectSubtype } from '../lineage-result.types';

/** One input column feeding a value, with how it feeds it. */
export interface Origin {
  table: string | null;
  column: string;
  type: 'DIRECT' | 'INDIRECT';
  subtype: DirectSubtype | IndirectSubtype;
}

export type Ctx = { type: 'DIRECT'; subtype: DirectSubtype } | { type: 'INDIRECT'; subtype: IndirectSubtype };

export const IDENTITY: Ctx = { type: 'DIRECT', subtype: 'IDENTITY' };
export const RANK: Record<DirectSubtype, number> = { IDENTITY: 0, TRANSFORMATION: 1, AGGREGATION: 2 };

export const compose = (ctx: Ctx, o: Origin): Origin => {
  if (o.type === 'INDIRECT') return o;
  if (ctx.type === 'INDIRECT') return { table: o.table, column: o.column, type: 'INDIRECT', subtype: ctx.subtype };
  const subtype = RANK[ctx.subtype] >= RANK[o.subtype as DirectSubtype] ? ctx.subtype : (o.subtype as DirectSubtype);
  return subtype === o.subtype ? o : { table: o.table, column: o.column, type: 'DIRECT', subtype };
};
export const deeper = (ctx: Ctx, subtype: DirectSubtype): Ctx =>
  ctx.type === 'INDIRECT' ? ctx : { type: 'DIRECT', subtype: RANK[ctx.subtype] >= RANK[subtype] ? ctx.subtype : subtype };

export const AGGREGATES = new Set(
  (
    'SUM COUNT AVG MIN MAX ARRAY_AGG STRING_AGG LISTAGG GROUP_CONCAT ANY_VALUE APPROX_COUNT_DISTINCT APPROX_DISTINCT COUNT_IF COUNTIF ' +
    'STDDEV STDDEV_POP STDDEV_SAMP VARIANCE VAR_POP VAR_SAMP MEDIAN MODE PERCENTILE_CONT PERCENTILE_DISC APPROX_PERCENTILE ' +
    'APPROX_QUANTILES APPROX_TOP_COUNT BIT_AND BIT_OR BIT_XOR BOOL_AND BOOL_OR EVERY LOGICAL_AND LOGICAL_OR OBJECT_AGG ARRAY_UNIQUE_AGG ' +
    'ARRAY_CONCAT_AGG JSON_AGG JSONB_AGG JSON_OBJECT_AGG XMLAGG CORR COVAR_POP COVAR_SAMP REGR_SLOPE REGR_INTERCEPT HLL ' +
    'HLL_COUNT.MERGE KURTOSIS SKEW MAX_BY MIN_BY ARG_MAX ARG_MIN ARRAY_AGG_DISTINCT SUM_DISTINCT AVG_DISTINCT STRING_AGG_DISTINCT'
  ).split(' '),
);
/** Functions whose first argument only decides which value is returned. */
export const CONDITIONAL_FIRST_ARG = new Set(['IF', 'IFF', 'IIF', 'NVL2', 'DECODE']);
export const FLATTEN_COLUMNS = ['SEQ', 'KEY', 'PATH', 'INDEX', 'VALUE', 'THIS'];

export interface OutColumn {
  name: string;
  origins: Origin[];
  /** A `*` left unexpanded (no schema): resolves any other column name through its source(s). */
  provider?: (column: string) => Origin[];
}

export interface QueryShape {
  columns: OutColumn[];
  baseTables: string[];
}

export interface Source {
  /** Alias key (or the table's last name part). */
  alias: string | null;
  /** Canonical table name parts for qualifier matching (`db.t.x`). */
  nameParts: string[] | null;
  table: string | null;
  /** Known columns in order; null when unknown. */
  columns: OutColumn[] | null;
  /** Columns of a `*` that could not be expanded. */
  stars: OutColumn[];
  baseTables: string[];
  usingColumns: Set<string>;
  /** A value table (UNNEST, FLATTEN, BigQuery array path): any field of it comes from these origins. */
  valueOrigins?: Origin[];
}

export interface CteEntry {
  cte: Cte;
  shape: QueryShape | null;
  state: 'new' | 'busy' | 'done';
  scope: Scope;
}

export class Scope {
  sources: Source[] = [];
  ctes = new Map<string, CteEntry>();
  /** Earlier select-list aliases (lateral column aliases). */
  lateral: Map<string, Origin[]> | null = null;
  /** Output aliases, for GROUP BY / ORDER BY / QUALIFY. */
  outputAliases: Map<string, Origin[]> | null = null;
  constructor(readonly parent: Scope | null) {}
}

export interface StatementLineage {
  reads: Set<string>;
  writes: string[];
  /** Written table -> column -> origins (null table: a plain SELECT's output). */
  columns: Array<{ table: string | null; column: string; origins: Origin[] }>;
  datasetLevel: Origin[];
  lifecycle: Array<{ kind: 'RENAME' | 'SWAP' | 'DROP' | 'TRUNCATE'; table: string; other?: string }>;
  /** Tables whose full content this statement defines (CREATE ... AS, INSERT, SELECT INTO): may be temporary. */
  defines: string[];
  /** Tables this statement creates as temporary (TEMP, TEMPORARY, VOLATILE): resolved through by later readers. */
  temporaries: string[];
  /** Tables this statement creates (CREATE TABLE|VIEW, SELECT INTO), temporary or not. */
  creates: string[];
  /** Columns of tables created here, for later statements of the script. */
  createdColumns: Map<string, string[]>;
  warnings: string[];
  unresolved: number;
  use?: { database: string | null; schema: string | null };
}

export interface ResolverOptions {
  rules: DialectRules;
  bigquery: boolean;
  defaultDatabase: string | null;
  defaultSchema: string | null;
  lateralColumnAlias: boolean;
  /** SqlLineageRequest.conventions is `sqllineage`. */
  sqllineage: boolean;
  /** Known table columns by canonical qualified name. */
  lookupSchema: (table: string) => string[] | null;
  /**
   * BigQuery: columns compare case-insensitively (keys are lower case) but keep a spelling; the first spelling
   * met in the SQL is recorded here (lower case -> as written) so the result can show it.
   */
  spellings?: Map<string, string>;
}

export const BQ_SHARD = /^(.*?\D)[_$]?(\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))$/;
