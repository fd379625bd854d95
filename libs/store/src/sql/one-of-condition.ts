/**
 * `column` is one of a list of values, as one condition with one parameter (the values as a JSON array): a list of
 * any length is one query, where an IN list of placeholders needs one query per few hundred values. SQLite reads
 * the array with json_each, PostgreSQL with jsonb_array_elements_text; both use the column's index for the lookups.
 */
import type { SqlDialect } from './sql-driver';

export const oneOf = (dialect: SqlDialect, column: string, values: readonly string[]): { sql: string; param: string } => ({
  sql: dialect === 'postgres' ? `${column} IN (SELECT jsonb_array_elements_text(?::jsonb))` : `${column} IN (SELECT value FROM json_each(?))`,
  param: JSON.stringify(values),
});
