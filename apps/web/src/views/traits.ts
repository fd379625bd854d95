/** Owners, tier and freshness of a dataset, read from the gateway (Marquez dataset read + freshness read). */
import { datasetPath, get, maybe } from '../api/gateway-api';

export interface Traits {
  owners: string[];
  tier?: string;
  tags: string[];
  freshness?: string;
  fields: Array<{ name: string; type?: string }>;
}

const tagText = (t: any): string | undefined => (typeof t === 'string' ? t : t?.key ? (t.value ? `${t.key}:${t.value}` : t.key) : t?.name);

export const traitsOf = (ds: any, freshness?: any): Traits => {
  const facets = ds?.facets ?? {};
  const tags = [...(ds?.tags ?? []), ...(facets.tags?.tags ?? [])].map(tagText).filter(Boolean) as string[];
  const tier = tags.find((t) => /^tier[:=]/i.test(t))?.replace(/^tier[:=]/i, '');
  const first = Array.isArray(freshness?.datasets) ? freshness.datasets[0] : freshness;
  return {
    owners: ((facets.ownership?.owners ?? []) as any[]).map((o) => o?.name).filter(Boolean),
    tags: [...new Set(tags)],
    tier,
    freshness: first?.state ?? first?.model?.state,
    fields: (ds?.fields ?? facets.schema?.fields ?? []).map((f: any) => ({ name: f.name, type: f.type })),
  };
};

const cache = new Map<string, Promise<Traits>>();

export const loadTraits = (id: string): Promise<Traits> => {
  let p = cache.get(id);
  if (!p) {
    p = Promise.all([get(datasetPath(id)).catch(() => undefined), maybe('/api/v1/freshness', { dataset: id }).catch(() => undefined)]).then(([ds, fr]) => traitsOf(ds, fr));
    cache.set(id, p);
  }
  return p;
};
