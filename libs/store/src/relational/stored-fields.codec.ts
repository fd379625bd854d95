/**
 * The `fields` column of datasets and dataset_versions. A row's fields are almost always its schema facet's fields
 * (schemaFields of facets.schema, [] without one), which the row's `facets` column already holds: such a row stores
 * '' (no JSON text is ever '') and its fields are derived from its facets on read. A row whose fields differ from its
 * schema facet (a dataset whose newest facets and newest schema version came from different events; a version row
 * written when its facets could move to an earlier sighting without its fields) stores them as JSON, as rows written before this did. Reads give the same
 * fields either way; a new row just writes its schema once instead of twice.
 */
import { flattenedFromSchema, schemaFields } from '../derive/schema-fields.derivation';
import type { FieldRecord } from '../lineage-store.port';
import { json, parse } from './row-codec';

/** The column value derived from the facets on read. */
export const DERIVED_FIELDS = '';

const fieldsOfFacets = (facets: Record<string, unknown> | null | undefined): FieldRecord[] => schemaFields(facets?.schema) ?? [];

/** What a row with these fields and facets stores in `fields`: '' when reading derives exactly these fields. */
export const fieldsColumn = (fields: FieldRecord[], facets: Record<string, unknown>): string => {
  if (flattenedFromSchema(fields, facets.schema)) return DERIVED_FIELDS; // the common case, without serialising
  const text = json(fields);
  return text === json(fieldsOfFacets(facets)) ? DERIVED_FIELDS : text;
};

/** A row's fields from its `fields` column and its (parsed) facets. */
export const fieldsFromColumn = (column: unknown, facets: Record<string, unknown>): FieldRecord[] =>
  column === DERIVED_FIELDS ? fieldsOfFacets(facets) : parse<FieldRecord[]>(column, []);

/** A row's fields as JSON text (as rows written before '' stored it), from its `fields` and `facets` columns. */
export const fieldsTextFromColumns = (column: unknown, facetsColumn: unknown): unknown =>
  column === DERIVED_FIELDS ? json(fieldsOfFacets(parse<Record<string, unknown>>(facetsColumn, {}))) : column;
