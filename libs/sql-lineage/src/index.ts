export { extractLineage } from './extract-lineage';
export { toColumnLineageFacets, toSqlColumnLineage, connectorColumnLineage, COLUMN_LINEAGE_FACET_SCHEMA_URL } from './column-lineage-facet';
export type { ColumnLineageDatasetFacet, FacetOptions, InputField } from './column-lineage-facet';
export { isSqlConventions, peerConventions, SQL_CONVENTIONS, sqllineageFlags } from './peer-conventions';
export { SQL_DIALECTS, isSqlDialect, normaliseDialect, type SqlDialect } from './sql-dialect';
export type * from './lineage-result.types';
