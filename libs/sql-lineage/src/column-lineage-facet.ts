/** Turns a lineage result into OpenLineage `columnLineage` facets and the connector SDK's column lineage shape. */
import { extractLineage } from './extract-lineage';
import type { ColumnTransformation, SqlLineageRequest, SqlLineageResult } from './lineage-result.types';

export const COLUMN_LINEAGE_FACET_SCHEMA_URL = 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet';

export interface InputField {
  namespace: string;
  name: string;
  field: string;
  transformations: Array<ColumnTransformation & { description: string; masking: boolean }>;
}

export interface ColumnLineageDatasetFacet {
  _producer: string;
  _schemaURL: string;
  fields: Record<string, { inputFields: InputField[] }>;
  dataset: InputField[];
}

export interface FacetOptions {
  /** The namespace of every dataset, or a function of the table name (e.g. `snowflake://org-account`). */
  namespace: string | ((table: string) => string);
  producer: string;
}

const transformations = (list: ColumnTransformation[]) => list.map((t) => ({ ...t, description: '', masking: false }));

/**
 * One `columnLineage` facet per written table. Columns attributed to no table (ambiguous without a schema)
 * are left out: a facet input field must name its dataset.
 */
export const toColumnLineageFacets = (result: SqlLineageResult, options: FacetOptions): Record<string, ColumnLineageDatasetFacet> => {
  const ns = typeof options.namespace === 'function' ? options.namespace : () => options.namespace as string;
  const facets: Record<string, ColumnLineageDatasetFacet> = {};
  const dataset: InputField[] = result.datasetLevel.map((d) => ({
    namespace: ns(d.table),
    name: d.table,
    field: d.column,
    transformations: transformations([{ type: 'INDIRECT', subtype: d.subtype }]),
  }));
  for (const table of result.outTables) {
    facets[table] = { _producer: options.producer, _schemaURL: COLUMN_LINEAGE_FACET_SCHEMA_URL, fields: {}, dataset };
  }
  for (const entry of result.columnLineage) {
    const table = entry.downstream.table;
    if (!table || !facets[table]) continue;
    const inputFields = entry.upstreams
      .filter((u) => u.table !== null)
      .map((u) => ({ namespace: ns(u.table!), name: u.table!, field: u.column, transformations: transformations(u.transformations) }));
    if (inputFields.length) facets[table].fields[entry.downstream.column] = { inputFields };
  }
  return facets;
};

/** The connector SDK's `SqlColumnLineage[]` (one entry per written table), structurally. */
export const toSqlColumnLineage = (
  result: SqlLineageResult,
): Array<{ target: string; columns: Array<{ column: string; sources: Array<{ table: string; column: string; transformation?: { type: string; subtype?: string } }> }> }> =>
  result.outTables.map((target) => ({
    target,
    columns: result.columnLineage
      .filter((e) => e.downstream.table === target)
      .map((e) => ({
        column: e.downstream.column,
        sources: e.upstreams
          .filter((u) => u.table !== null)
          .map((u) => ({ table: u.table!, column: u.column, transformation: u.transformations.find((t) => t.type === 'DIRECT') ?? u.transformations[0] })),
      })),
  }));

/**
 * What a connector's `ctx.sqlLineage(request)` returns (libs/connector-sdk): the column lineage per written table,
 * or null when a statement of the SQL could not be parsed (the connector then reports table lineage only).
 */
export const connectorColumnLineage = (request: SqlLineageRequest): ReturnType<typeof toSqlColumnLineage> | null => {
  const result = extractLineage(request);
  return result.errors.length ? null : toSqlColumnLineage(result);
};
