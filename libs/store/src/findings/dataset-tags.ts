/**
 * A dataset's tags as freshness policies name them, from its stored facets and fields: the OpenLineage
 * TagsDatasetFacet (`tags: [{key, value, source, field?}]`) and the schema fields' tags. Dataset-level tags come
 * first (each as `key:value`, then `key`), column-level tags after (an entry with `field`, or a field's tag), so a
 * policy on a dataset's own tag wins over one on a column's.
 */
import { parse } from '../relational/row-codec';
import { fieldsFromColumn } from '../relational/stored-fields.codec';

interface TagEntry {
  key?: unknown;
  value?: unknown;
  field?: unknown;
}

const forms = (entry: TagEntry): string[] => {
  const key = typeof entry.key === 'string' ? entry.key.trim() : '';
  if (!key) return [];
  const value = typeof entry.value === 'string' ? entry.value.trim() : '';
  return value ? [`${key}:${value}`, key] : [key];
};

export const datasetTagsFromRow = (facetsJson: unknown, fieldsJson: unknown): string[] => {
  const facets = parse<Record<string, any>>(facetsJson, {});
  const entries: TagEntry[] = Array.isArray(facets?.tags?.tags) ? facets.tags.tags.filter((t: unknown) => typeof t === 'object' && t !== null) : [];
  const own: string[] = [];
  const columns: string[] = [];
  for (const e of entries) (typeof e.field === 'string' && e.field ? columns : own).push(...forms(e));
  const fields: Array<{ tags?: unknown }> = fieldsFromColumn(fieldsJson, facets ?? {});
  if (Array.isArray(fields)) for (const f of fields) if (Array.isArray(f?.tags)) for (const t of f.tags) if (typeof t === 'string' && t) columns.push(t);
  return [...new Set([...own, ...columns])];
};
