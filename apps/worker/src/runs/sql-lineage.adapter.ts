/** Lends connectors the hub's SQL lineage (libs/sql-lineage) through ConnectorContext.sqlLineage. */
import type { SqlColumnLineage, SqlLineageRequest } from '@lineage-hub/connector-sdk';
import { extractLineage, toSqlColumnLineage } from '@lineage-hub/sql-lineage';

/** Column lineage of one statement; null when the statement did not parse. */
export const sqlColumnLineage = (request: SqlLineageRequest): SqlColumnLineage[] | null => {
  const result = extractLineage(request);
  if (result.outTables.length === 0) return null;
  return toSqlColumnLineage(result);
};
