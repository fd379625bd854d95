/**
 * What a reader of an impact list wants beside each dataset: owners (OpenLineage ownership facet), tier (a `tier`
 * tag from the tags facet or Marquez tags, e.g. `tier:1`) and freshness state (the gateway's freshness read).
 * Looked up per dataset through the gateway's public API; a dataset the hub cannot describe keeps empty traits.
 */
import type { GatewayClient } from '../gateway/gateway-client';
import { marquezPath } from '../gateway/gateway-client';
import { nodeParts } from './node-resolver';

export interface DatasetTraits {
  owners: string[];
  tier?: string;
  tags: string[];
  freshness?: string;
}

const tagText = (tag: any): string | undefined => {
  if (typeof tag === 'string') return tag;
  if (tag && typeof tag.key === 'string') return tag.value !== undefined && tag.value !== '' ? `${tag.key}:${tag.value}` : tag.key;
  if (tag && typeof tag.name === 'string') return tag.name;
  return undefined;
};

export const traitsOf = (dataset: any): Omit<DatasetTraits, 'freshness'> => {
  const facets = dataset?.facets ?? {};
  const owners = ((facets.ownership?.owners ?? []) as any[]).map((o) => o?.name).filter((n): n is string => typeof n === 'string');
  const tags = [...(dataset?.tags ?? []), ...(facets.tags?.tags ?? [])].map(tagText).filter((t): t is string => !!t);
  const tierTag = tags.find((t) => /^tier[:=]/i.test(t));
  return { owners: [...new Set(owners)], tags: [...new Set(tags)], tier: tierTag?.replace(/^tier[:=]/i, '') };
};

export const freshnessStateOf = (body: any): string | undefined => {
  const first = Array.isArray(body?.datasets) ? body.datasets[0] : Array.isArray(body) ? body[0] : body;
  const state = first?.state ?? first?.model?.state ?? first?.freshness?.state;
  return typeof state === 'string' ? state : undefined;
};

/** Traits of many datasets, a few requests at a time. `datasetId` is a dataset or datasetField id. */
export const lookUpTraits = async (client: GatewayClient, ids: string[], concurrency = 8): Promise<Map<string, DatasetTraits>> => {
  const datasets = [...new Set(ids.map(datasetOf).filter((id): id is string => !!id))];
  const out = new Map<string, DatasetTraits>();
  let next = 0;
  const worker = async () => {
    while (next < datasets.length) {
      const id = datasets[next++];
      const parts = nodeParts(id);
      if (parts.kind !== 'dataset') continue;
      const [dataset, freshness] = await Promise.all([
        client.find(marquezPath('datasets', parts.namespace, parts.name)).catch(() => undefined),
        client.find('/api/v1/freshness', { dataset: id }).catch(() => undefined),
      ]);
      out.set(id, { ...traitsOf(dataset), freshness: freshnessStateOf(freshness) });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, datasets.length) }, worker));
  return out;
};

/** The dataset id of a dataset or datasetField id (undefined for jobs). */
export const datasetOf = (id: string): string | undefined => {
  const parts = nodeParts(id);
  if (parts.kind === 'dataset') return id;
  if (parts.kind === 'datasetField') return `dataset:${parts.namespace}:${parts.name}`;
  return undefined;
};
