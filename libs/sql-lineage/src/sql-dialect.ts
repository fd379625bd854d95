/** SQL dialects the lineage parser understands; `ansi` is the fallback for anything else. */
export type SqlDialect = 'bigquery' | 'snowflake' | 'redshift' | 'postgres' | 'ansi';

export const SQL_DIALECTS: readonly SqlDialect[] = ['bigquery', 'snowflake', 'redshift', 'postgres', 'ansi'];

export const isSqlDialect = (value: unknown): value is SqlDialect =>
  typeof value === 'string' && (SQL_DIALECTS as readonly string[]).includes(value);

/** Common spellings (OpenLineage's `generic`, `postgresql`, `bq`, `mssql`) mapped onto a dialect; null when unknown. */
export const normaliseDialect = (value: string): SqlDialect | null => {
  const lower = value.trim().toLowerCase();
  if (isSqlDialect(lower)) return lower;
  const aliases: Record<string, SqlDialect> = {
    generic: 'ansi',
    postgresql: 'postgres',
    pg: 'postgres',
    bq: 'bigquery',
    // Microsoft's dialects (OpenLineage `mssql`, sqllineage `tsql`): generic SQL with [bracketed] identifiers.
    mssql: 'ansi',
    tsql: 'ansi',
    sqlserver: 'ansi',
    synapse: 'ansi',
  };
  return aliases[lower] ?? null;
};

/** How each dialect treats identifiers and a few dialect-only constructs. */
export interface DialectRules {
  /** Case fold of unquoted identifiers (tables, schemas, databases). */
  tableCase: 'upper' | 'lower' | 'keep';
  /** Case fold of column names and aliases. */
  columnCase: 'upper' | 'lower' | 'keep';
  /** Quoted identifiers are folded too (Redshift without enable_case_sensitive_identifier). */
  foldQuoted: boolean;
  /** Double quotes delimit a string, not an identifier (BigQuery). */
  doubleQuotedStrings: boolean;
  /** A select-list alias may be referenced later in the same select list. */
  lateralColumnAlias: boolean;
  /** `SELECT ... INTO table` creates a table (not a variable assignment). */
  selectInto: boolean;
  /**
   * An unaliased `CAST(a AS t)` is named by its text, not "a" (generic SQL: sqllineage's convention and Spark's);
   * PostgreSQL and Redshift name it "a". `a::t` is "a" everywhere.
   */
  castNamedByText: boolean;
}

export const DIALECT_RULES: Record<SqlDialect, DialectRules> = {
  bigquery: { tableCase: 'keep', columnCase: 'lower', foldQuoted: false, doubleQuotedStrings: true, lateralColumnAlias: false, selectInto: false, castNamedByText: false },
  snowflake: { tableCase: 'upper', columnCase: 'upper', foldQuoted: false, doubleQuotedStrings: false, lateralColumnAlias: true, selectInto: false, castNamedByText: false },
  redshift: { tableCase: 'lower', columnCase: 'lower', foldQuoted: true, doubleQuotedStrings: false, lateralColumnAlias: true, selectInto: true, castNamedByText: false },
  postgres: { tableCase: 'lower', columnCase: 'lower', foldQuoted: false, doubleQuotedStrings: false, lateralColumnAlias: false, selectInto: true, castNamedByText: false },
  ansi: { tableCase: 'lower', columnCase: 'lower', foldQuoted: false, doubleQuotedStrings: false, lateralColumnAlias: false, selectInto: true, castNamedByText: true },
};
