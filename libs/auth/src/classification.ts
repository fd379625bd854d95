/** An OpenLineage tag (TagsDatasetFacet `tags[]`): key, value, optional field (a column tag) and source. */
export interface ClassificationTag {
  key: string;
  value: string;
  field?: string;
}

/** The default rules: `classification:restricted` style key:value pairs, and bare keys such as `pii`. */
export const DEFAULT_RESTRICTED_TAGS = ['classification:restricted', 'classification:confidential', 'pii'];

const FALSY = new Set(['false', 'no', '0', 'none', 'off']);

/**
 * Does a tag match one of the rules? A rule `k:v` matches key k with value v; a bare rule `k` matches a tag whose
 * key is k (unless its value says false/no/0) or whose value is k (`classification: pii`). Case-insensitive.
 */
export function tagMatches(tag: ClassificationTag, rules: readonly string[]): boolean {
  const key = String(tag.key ?? '').trim().toLowerCase();
  const value = String(tag.value ?? '').trim().toLowerCase();
  return rules.some((rule) => {
    const r = rule.trim().toLowerCase();
    const colon = r.indexOf(':');
    if (colon > 0) return key === r.slice(0, colon) && value === r.slice(colon + 1);
    return (key === r && !FALSY.has(value)) || value === r;
  });
}

/** The tags of a dataset's facets: the standard `tags` facet, and `tags` listed on schema fields by some producers. */
export function tagsOfFacets(facets: unknown): ClassificationTag[] {
  if (!facets || typeof facets !== 'object') return [];
  const out: ClassificationTag[] = [];
  const tagsFacet = (facets as Record<string, unknown>).tags as { tags?: unknown } | undefined;
  if (tagsFacet && Array.isArray(tagsFacet.tags)) {
    for (const t of tagsFacet.tags) if (t && typeof t === 'object' && 'key' in t) out.push(t as ClassificationTag);
  }
  const schema = (facets as Record<string, unknown>).schema as { fields?: unknown } | undefined;
  if (schema && Array.isArray(schema.fields)) {
    for (const field of schema.fields as Array<{ name?: unknown; tags?: unknown }>) {
      if (!field || !Array.isArray(field.tags) || typeof field.name !== 'string') continue;
      for (const t of field.tags) if (t && typeof t === 'object' && 'key' in t) out.push({ ...(t as ClassificationTag), field: field.name });
    }
  }
  return out;
}

export interface Classification {
  /** The whole dataset is restricted (a dataset-level tag matched). */
  dataset: boolean;
  /** Columns restricted by a column tag. */
  fields: Set<string>;
}

/** Classifies a dataset from its facets under the configured rules. */
export function classify(facets: unknown, rules: readonly string[]): Classification {
  const result: Classification = { dataset: false, fields: new Set() };
  for (const tag of tagsOfFacets(facets)) {
    if (!tagMatches(tag, rules)) continue;
    if (tag.field) result.fields.add(tag.field);
    else result.dataset = true;
  }
  return result;
}
