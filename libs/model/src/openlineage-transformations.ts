/**
 * Column-lineage transformation filters, as the OpenLineage ColumnLineageDatasetFacet names them: a type (DIRECT,
 * INDIRECT) or a type/subtype pair (DIRECT/AGGREGATION, INDIRECT/JOIN, ...). Query parameters that filter column
 * edges (`transformations=DIRECT,INDIRECT/JOIN`) take only these; anything else is a 400 listing them.
 */
import { invalidArgument } from './errors';

export const TRANSFORMATION_SUBTYPES = {
  DIRECT: ['IDENTITY', 'TRANSFORMATION', 'AGGREGATION'],
  INDIRECT: ['JOIN', 'GROUP_BY', 'FILTER', 'SORT', 'WINDOW', 'CONDITIONAL'],
} as const;

/** Every value a filter may name: each type, and each type/subtype. */
export const TRANSFORMATION_FILTERS: readonly string[] = Object.entries(TRANSFORMATION_SUBTYPES).flatMap(([type, subtypes]) => [
  type,
  ...subtypes.map((subtype) => `${type}/${subtype}`),
]);

/** `DIRECT,indirect/join` -> ['DIRECT', 'INDIRECT/JOIN']; an unknown value throws invalid-argument naming `field`. */
export const parseTransformationFilter = (text: string, field = 'transformations'): string[] => {
  const values = text
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  const unknown = values.filter((v) => !TRANSFORMATION_FILTERS.includes(v));
  if (unknown.length) {
    throw invalidArgument(field, `unknown value${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; valid: ${TRANSFORMATION_FILTERS.join(', ')} (comma-separated; a type matches all its subtypes)`);
  }
  return [...new Set(values)];
};
