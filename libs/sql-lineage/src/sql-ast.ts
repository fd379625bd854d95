/**
 * The lineage-oriented syntax tree. It keeps what decides lineage (names, scopes, which expression feeds
 * which column, which clause a column sits in) and drops operator precedence and types, which do not.
 */

/** One part of a dotted name as written: its text (unquoted) and whether it was quoted. */
export interface NamePart {
  text: string;
  quoted: boolean;
}

export type Expr =
  | { kind: 'column'; parts: NamePart[] }
  | { kind: 'star'; qualifier: NamePart[] | null }
  | { kind: 'literal' }
  | {
      kind: 'func';
      name: string; // upper-cased last name part
      args: Expr[];
      star: boolean; // count(*)
      filter?: Expr;
      over?: WindowSpec;
      withinGroup?: Expr[];
    }
  | { kind: 'subquery'; query: Query }
  | { kind: 'case'; conditions: Expr[]; results: Expr[] }
  /** `CAST(x AS t)` and its TRY_/SAFE_ forms (`function`), or `x::t` (`operator`). */
  | { kind: 'cast'; expr: Expr; syntax: 'function' | 'operator' }
  | { kind: 'op'; args: Expr[] }
  | { kind: 'access'; expr: Expr; index: Expr[] };

export interface WindowSpec {
  ref: string | null;
  partition: Expr[];
  order: Expr[];
}

export interface Cte {
  name: NamePart;
  columns: NamePart[] | null;
  query: Query;
  recursive: boolean;
}

interface QueryBase {
  ctes: Cte[];
  orderBy: Expr[];
}

export type SelectItem =
  | { kind: 'expr'; expr: Expr; alias: NamePart | null; text: string }
  | {
      kind: 'star';
      qualifier: NamePart[] | null;
      except: NamePart[];
      replace: Array<{ expr: Expr; alias: NamePart; text: string }>;
      /** Snowflake `* RENAME (a AS b, ...)`. */
      rename: Array<{ from: NamePart; to: NamePart }>;
      /** Snowflake `* ILIKE 'pattern'`: only the columns whose name matches. */
      ilike: string | null;
    };

export interface SelectQuery extends QueryBase {
  kind: 'select';
  items: SelectItem[];
  from: FromItem[];
  where: Expr | null;
  groupBy: Expr[];
  groupByAll: boolean;
  having: Expr | null;
  qualify: Expr | null;
  windows: Map<string, WindowSpec>;
  into: NamePart[] | null;
  /** SELECT ... INTO variables (procedures): the values go to variables, not to a dataset. */
  intoVariables: boolean;
  distinctOn: Expr[];
}

export interface SetQuery extends QueryBase {
  kind: 'set';
  branches: Query[];
}

export interface ValuesQuery extends QueryBase {
  kind: 'values';
  rows: Expr[][];
}

export type Query = SelectQuery | SetQuery | ValuesQuery;

export type FromItem =
  | { kind: 'table'; name: NamePart[]; alias: NamePart | null; columnAliases: NamePart[] | null }
  | { kind: 'derived'; query: Query; alias: NamePart | null; columnAliases: NamePart[] | null; lateral: boolean }
  | { kind: 'function'; name: string; args: Expr[]; alias: NamePart | null; columnAliases: NamePart[] | null; offsetAlias: NamePart | null }
  | { kind: 'path'; location: string; alias: NamePart | null }
  | { kind: 'pivot'; source: FromItem; exprs: Expr[]; alias: NamePart | null; columnAliases: NamePart[] | null }
  | {
      kind: 'join';
      left: FromItem;
      right: FromItem;
      joinType: string;
      on: Expr | null;
      using: NamePart[] | null;
      natural: boolean;
    };

export interface Assignment {
  /** Target columns (a tuple assignment `(a, b) = (...)` has several). */
  columns: NamePart[][];
  expr: Expr;
}

export interface MergeClause {
  matched: boolean;
  /** WHEN NOT MATCHED BY SOURCE: a target row without a source row (sees only the target). */
  bySource: boolean;
  condition: Expr | null;
  action: 'update' | 'delete' | 'insert' | 'nothing';
  sets: Assignment[];
  columns: NamePart[] | null;
  values: Expr[] | null;
  /** BigQuery `INSERT ROW`, Databricks `INSERT *`: every source column by name. */
  insertAll: boolean;
}

export interface InsertTarget {
  name: NamePart[];
  columns: NamePart[] | null;
  values: Expr[] | null;
}

export type Statement =
  | { kind: 'query'; query: Query }
  | { kind: 'insert'; ctes: Cte[]; targets: InsertTarget[]; query: Query | null }
  | {
      kind: 'create';
      object: 'table' | 'view';
      target: NamePart[];
      columns: NamePart[] | null;
      query: Query | null;
      clone: NamePart[] | null;
      /** CREATE TABLE ... LIKE x: the structure of x (read), not its data. */
      like?: NamePart[] | null;
      /** TEMP / TEMPORARY / VOLATILE: lives for the session only. */
      temporary?: boolean;
      /** External tables: the files they read (LOCATION 's3://...'). */
      location?: string | null;
    }
  | { kind: 'update'; ctes: Cte[]; target: NamePart[]; alias: NamePart | null; sets: Assignment[]; from: FromItem[]; where: Expr | null }
  | { kind: 'delete'; ctes: Cte[]; target: NamePart[]; alias: NamePart | null; using: FromItem[]; where: Expr | null }
  | { kind: 'merge'; ctes: Cte[]; target: NamePart[]; alias: NamePart | null; source: FromItem; on: Expr | null; clauses: MergeClause[] }
  | { kind: 'copy'; table: NamePart[] | null; columns?: NamePart[] | null; query: Query | null; direction: 'load' | 'unload'; location: string | null }
  | { kind: 'rename'; from: NamePart[]; to: NamePart[] }
  | { kind: 'swap'; a: NamePart[]; b: NamePart[] }
  | { kind: 'alter'; target: NamePart[]; appendFrom: NamePart[] | null }
  /** `view`: a plain view (no stored data; a materialized view is not one). */
  | { kind: 'drop'; targets: NamePart[][]; view?: boolean }
  | { kind: 'truncate'; target: NamePart[] }
  | { kind: 'use'; database: NamePart | null; schema: NamePart | null }
  /** A control-flow condition (IF/WHILE) whose subqueries read tables. */
  | { kind: 'condition'; expr: Expr }
  | { kind: 'other'; keyword: string };

export interface ParsedStatement {
  statement: Statement | null;
  /** The source text the statement was parsed from (select-item names are slices of it). */
  source: string;
  start: number;
  end: number;
  error: string | null;
  warnings: string[];
}
