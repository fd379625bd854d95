/**
 * What a case in the shared corpus format (../shared/conformance/sql-lineage: `source_repo`, sqllineage's `config`
 * flags) asks of the library: the conventions of the peer whose test suite wrote the expected answer, and the
 * sqllineage flags the case ran with. Used by the corpus harness and by `lineage sql --batch`, so a line of the corpus
 * piped through the CLI gets the same answer the harness scores.
 */
import type { SqlConventions, SqlLineageRequest } from './lineage-result.types';

/** The values of SqlLineageRequest.conventions. */
export const SQL_CONVENTIONS: readonly SqlConventions[] = ['openlineage', 'sqllineage'];

export const isSqlConventions = (value: unknown): value is SqlConventions => SQL_CONVENTIONS.includes(value as SqlConventions);

/** The peer repositories whose conventions the library can follow (SqlLineageRequest.conventions). */
const PEERS: Record<string, SqlConventions> = { 'reata/sqllineage': 'sqllineage', 'OpenLineage/OpenLineage': 'openlineage' };

/** A corpus case's peer's conventions; undefined for any other source (the library's default then applies). */
export const peerConventions = (sourceRepo: unknown): SqlConventions | undefined => (typeof sourceRepo === 'string' ? PEERS[sourceRepo] : undefined);

const truthy = (value: unknown): boolean => value === true || value === '1' || (typeof value === 'string' && value.toLowerCase() === 'true');

/** sqllineage's config flags as request options: LATERAL_COLUMN_ALIAS_REFERENCE and DEFAULT_SCHEMA (others have no effect here). */
export const sqllineageFlags = (config: unknown): Pick<SqlLineageRequest, 'lateralColumnAlias' | 'defaultSchema'> => {
  if (typeof config !== 'object' || config === null) return {};
  const flags = config as Record<string, unknown>;
  const out: Pick<SqlLineageRequest, 'lateralColumnAlias' | 'defaultSchema'> = {};
  if (truthy(flags.SQLLINEAGE_LATERAL_COLUMN_ALIAS_REFERENCE)) out.lateralColumnAlias = true;
  if (typeof flags.SQLLINEAGE_DEFAULT_SCHEMA === 'string' && flags.SQLLINEAGE_DEFAULT_SCHEMA !== '') out.defaultSchema = flags.SQLLINEAGE_DEFAULT_SCHEMA;
  return out;
};
