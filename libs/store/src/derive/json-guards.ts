/**
 * Shape guards for the untyped JSON of an OpenLineage event, shared by the derivation files (event-derivation.ts,
 * dataset-facts.derivation.ts, column-lineage.derivation.ts, schema-fields.derivation.ts).
 */
export type Json = Record<string, any>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
export const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
export const array = (value: unknown): any[] => (Array.isArray(value) ? value : []);
