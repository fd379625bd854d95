import { classify } from './classification';
import type { NodeFacts } from './redaction';

/**
 * Where the read layer learns what it needs to redact: for node ids (datasets, columns, jobs), the owning domain
 * and whether the node is restricted. The shard answers from its own store; the gateway asks every shard. Ids no
 * one knows are left out of the map (not hidden). Each app that serves lineage provides one under NODE_FACTS.
 */
export interface NodeFactsSource {
  factsOf(ids: string[]): Promise<Map<string, NodeFacts>>;
}

export const NODE_FACTS = Symbol('NODE_FACTS');

/** What one store knows about a dataset for classification: its current facets and its fields' tags. */
export interface ClassifiableDataset {
  id: string;
  facets: Record<string, unknown>;
  fields: Array<{ name: string; tags: string[] }>;
}

/**
 * Classifies a dataset: restricted by a dataset-level tag, restricted columns by column tags (the OpenLineage
 * tags facet, tags on schema fields, and the field tags the store keeps as `key:value` or bare strings).
 */
export function classifyDataset(dataset: ClassifiableDataset, rules: readonly string[]): { restricted: boolean; restrictedColumns: string[] } {
  const found = classify(dataset.facets, rules);
  for (const field of dataset.fields) {
    for (const tag of field.tags ?? []) {
      const colon = tag.indexOf(':');
      const parsed = colon > 0 ? { key: tag.slice(0, colon), value: tag.slice(colon + 1) } : { key: tag, value: '' };
      if (classify({ tags: { tags: [parsed] } }, rules).dataset) found.fields.add(field.name);
    }
  }
  return { restricted: found.dataset, restrictedColumns: [...found.fields] };
}
