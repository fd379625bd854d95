/**
 * Building blocks for the project's OpenLineage definitions (JSON Schema 2020-12 objects, written from the
 * OpenLineage 2-0-2 specification, https://openlineage.io/spec/2-0-2/OpenLineage.json and its facets).
 * `format` keywords are left out on purpose: producers send runIds such as "run_id" and bare URIs, and the hub
 * validates shape, not formats (the event time is checked separately, see openlineage-validator.ts).
 */

export type SchemaObject = { [keyword: string]: unknown };

/** Where a facet sits in an event, named as the spec's `$defs` name the facet's base. */
export type FacetPlacement = 'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';
export const FACET_PLACEMENTS: readonly FacetPlacement[] = ['RunFacet', 'JobFacet', 'DatasetFacet', 'InputDatasetFacet', 'OutputDatasetFacet'];

export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const num = { type: 'number' } as const;
export const bool = { type: 'boolean' } as const;
export const arrayOf = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
export const mapOf = (values: SchemaObject): SchemaObject => ({ type: 'object', additionalProperties: values });
export const obj = (properties: Record<string, SchemaObject>, required: string[] = []): SchemaObject =>
  required.length ? { type: 'object', properties, required } : { type: 'object', properties };

/** BaseFacet: every facet names its producer and schema URL (`_`-prefixed so they never clash with facet fields). */
const baseFacet = obj({ _producer: str, _schemaURL: str }, ['_producer', '_schemaURL']);
/** Job and dataset facets may also carry `_deleted: true` (a consumer drops the facet). */
const deletableFacet = obj({ _producer: str, _schemaURL: str, _deleted: bool }, ['_producer', '_schemaURL']);

export const FACET_BASE: Record<FacetPlacement, SchemaObject> = {
  RunFacet: baseFacet,
  JobFacet: deletableFacet,
  DatasetFacet: deletableFacet,
  InputDatasetFacet: baseFacet,
  OutputDatasetFacet: baseFacet,
};

/** A facet of `placement`: the placement's base plus the facet's own fields. */
export const facet = (placement: FacetPlacement, properties: Record<string, SchemaObject>, required: string[] = []): SchemaObject => ({
  type: 'object',
  allOf: [FACET_BASE[placement], obj(properties, required)],
});

/** One standard facet: the key it is sent under, where it may sit, and its schema there. */
export interface FacetDefinition {
  key: string;
  placement: FacetPlacement;
  /** The spec's name for it, e.g. `SchemaDatasetFacet`. */
  name: string;
  schema: SchemaObject;
}

export const define = (key: string, placement: FacetPlacement, name: string, schema: SchemaObject): FacetDefinition => ({ key, placement, name, schema });

/** A transformation of a column (ColumnLineage and Lineage facets). */
export const transformation = obj({ type: str, subtype: str, description: str, masking: bool }, ['type']);
