/** The public shapes of libs/sql-lineage: what goes in, what comes out. */
import type { SqlDialect } from './sql-dialect';

export type DirectSubtype = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';
export type IndirectSubtype = 'JOIN' | 'FILTER' | 'GROUP_BY' | 'SORT' | 'WINDOW' | 'CONDITIONAL';

/** An OpenLineage column-lineage transformation (ColumnLineageDatasetFacet 1-2-0). */
export type ColumnTransformation =
  | { type: 'DIRECT'; subtype: DirectSubtype }
  | { type: 'INDIRECT'; subtype: IndirectSubtype };

/** `{table: null}` is a column the parser could not attribute to one table (no schema, several candidates). */
export interface ColumnRef {
  table: string | null;
  column: string;
}

export interface ColumnUpstream extends ColumnRef {
  transformations: ColumnTransformation[];
}

export interface ColumnLineageEntry {
  /** `table: null` for the output of a plain SELECT. */
  downstream: ColumnRef;
  upstreams: ColumnUpstream[];
  /** The strongest direct transformation among the upstreams (INDIRECT/CONDITIONAL when only conditions feed it). */
  transformation: ColumnTransformation;
}

/** A column that affects the whole written dataset (joins, filters, grouping, sorting, windows, conditions). */
export interface DatasetLevelDependency {
  table: string;
  column: string;
  subtype: IndirectSubtype;
}

export type LifecycleEvent =
  | { kind: 'RENAME'; table: string; to: string }
  | { kind: 'SWAP'; table: string; with: string }
  | { kind: 'DROP'; table: string }
  | { kind: 'TRUNCATE'; table: string };

export interface SqlLineageRequest {
  sql: string;
  dialect: SqlDialect;
  /** Database (BigQuery: project) that qualifies names without one. */
  defaultDatabase?: string;
  /** Schema (BigQuery: dataset) that qualifies bare table names. */
  defaultSchema?: string;
  /** Known columns per table: `{"db.schema.table": ["a", "b"]}`; a key may be shorter than the qualified name. */
  schema?: Record<string, string[]>;
  /** Whether a select-list alias can be used later in the same select list; defaults to the dialect's rule. */
  lateralColumnAlias?: boolean;
  /**
   * Whose conventions decide what a script reads and writes where the two peer tools disagree (see the README):
   * - `openlineage` (default, the shape OpenLineage events take): DROP TABLE and TRUNCATE write their table; ALTER ...
   *   RENAME reads the old name and writes the new one; SWAP WITH reads and writes both tables; a CTE nothing reads
   *   reads nothing; a table the script writes and later reads stays an output and an input (only temporary or
   *   created-and-dropped tables are resolved through).
   * - `sqllineage` (for answers comparable with sqllineage): DROP, TRUNCATE and a lone RENAME have no tables, and a
   *   RENAME of a table the script wrote moves the output to the new name; SWAP WITH reads the other table and writes
   *   the first; an unused CTE's tables are inputs; every table (or view) the script creates and a later statement
   *   reads is intermediate: neither input nor output, its column lineage resolved through.
   */
  conventions?: SqlConventions;
}

export type SqlConventions = 'openlineage' | 'sqllineage';

export interface SqlLineageResult {
  dialect: SqlDialect;
  /** Tables (and `path:<uri>` locations) read, sorted. Temporary tables of a script are collapsed away. */
  inTables: string[];
  /** Tables (and `path:<uri>` locations) written, sorted. */
  outTables: string[];
  columnLineage: ColumnLineageEntry[];
  /** INDIRECT dependencies of the written datasets on input columns. */
  datasetLevel: DatasetLevelDependency[];
  lifecycle: LifecycleEvent[];
  /** Number of statements found (control-flow words of procedures not counted). */
  statements: number;
  /** 1 when every statement parsed and every column was attributed; lower for partial results. */
  confidence: number;
  warnings: string[];
  /** Statements that could not be parsed, with the reason; their lineage is missing from the result. */
  errors: string[];
}
