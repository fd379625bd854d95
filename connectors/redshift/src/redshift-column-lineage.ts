/**
 * Column lineage from a statement's SQL through ctx.sqlLineage (libs/sql-lineage, lent by the worker).
 * Table names in the answer are completed with the statement's database and `public`, canonicalised, and
 * matched to the tables STL says were written; when there is no SQL lineage, or it cannot parse the
 * statement, the statement keeps its table lineage and the reason is reported in coverage.
 */
import type { ColumnLineageInput, ConnectorContext } from '@lineage-hub/connector-sdk';
import { canonicalDataset, splitIdentifierParts } from '@lineage-hub/model';

const qualify = (table: string, database: string): string => {
  const parts = splitIdentifierParts(table);
  if (parts.length === 1) return [database, 'public', ...parts].join('.');
  if (parts.length === 2) return [database, ...parts].join('.');
  return parts.join('.');
};

export const columnLineageFor = (
  ctx: ConnectorContext,
  sql: string,
  database: string,
  namespace: string,
  outputs: Array<{ namespace: string; name: string }>,
): { lineage?: Map<string, ColumnLineageInput>; reason?: string } => {
  if (!ctx.sqlLineage) return { reason: 'column lineage unavailable: no SQL lineage in this worker (table lineage only)' };
  if (!sql) return { reason: 'statement text not retained' };
  let answer;
  try {
    answer = ctx.sqlLineage({ sql, dialect: 'redshift', defaultDatabase: database, defaultSchema: 'public' });
  } catch (err) {
    return { reason: `SQL lineage failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!answer || answer.length === 0) return { reason: 'SQL lineage could not derive columns for some statements' };
  const written = new Set(outputs.map((o) => o.name));
  const lineage = new Map<string, ColumnLineageInput>();
  for (const target of answer) {
    const targetName = canonicalDataset(namespace, qualify(target.target, database)).name;
    if (!written.has(targetName)) continue;
    const fields: ColumnLineageInput = {};
    for (const column of target.columns) {
      const inputs = column.sources.map((s) => ({
        ...canonicalDataset(namespace, qualify(s.table, database)),
        field: s.column.toLowerCase(),
        ...(s.transformation ? { transformations: [s.transformation] } : {}),
      }));
      if (inputs.length > 0) fields[column.column.toLowerCase()] = inputs;
    }
    if (Object.keys(fields).length > 0) lineage.set(targetName, fields);
  }
  return lineage.size > 0 ? { lineage } : { reason: 'SQL lineage found no columns for the written tables' };
};
