/**
 * `dataset:…`, `datasetField:…` and `job:…` ids are used as given (the gateway canonicalises them); anything else is
 * a name looked up with the gateway's search: an exact name (or a name ending in `.<given>`) must match one dataset
 * or job; `table.column` names a column of one dataset. Ambiguity or no match is a usage error listing what matched.
 */
import { NodeIdError, parseNodeId, type ParsedNodeId } from '@lineage-hub/model';
import { UsageError } from '../cli-io';
import type { GatewayClient } from '../gateway/gateway-client';

const ID_PREFIX = /^(dataset|datasetField|job):/;

interface SearchHit {
  type: string;
  name: string;
  namespace: string;
  nodeId?: string;
}

const idOf = (hit: SearchHit): string => hit.nodeId ?? `${hit.type === 'JOB' ? 'job' : 'dataset'}:${hit.namespace}:${hit.name}`;

const matches = (hit: SearchHit, name: string): boolean => {
  const a = hit.name.toLowerCase();
  const b = name.toLowerCase();
  return a === b || a.endsWith('.' + b) || a.endsWith('/' + b);
};

const search = async (client: GatewayClient, q: string): Promise<SearchHit[]> => {
  const { body } = await client.get<{ results?: SearchHit[] }>('/api/v1/search', { q, limit: 100 });
  return body.results ?? [];
};

export const resolveNodeId = async (client: GatewayClient, given: string): Promise<string> => {
  const text = given.trim();
  if (!text) throw new UsageError('a dataset, column or job id or name is required');
  if (ID_PREFIX.test(text)) return text;
  const exact = (await search(client, text)).filter((hit) => matches(hit, text));
  if (exact.length === 1) return idOf(exact[0]);
  if (exact.length > 1) throw new UsageError(`"${text}" names ${exact.length} nodes: ${exact.slice(0, 5).map(idOf).join(', ')}${exact.length > 5 ? ', …' : ''}; give the id`);
  const dot = text.lastIndexOf('.');
  if (dot > 0) {
    const table = text.slice(0, dot);
    const column = text.slice(dot + 1);
    const datasets = (await search(client, table)).filter((hit) => hit.type !== 'JOB' && matches(hit, table));
    if (datasets.length === 1) return `datasetField:${datasets[0].namespace}:${datasets[0].name}:${column}`;
    if (datasets.length > 1) throw new UsageError(`"${table}" names ${datasets.length} datasets: ${datasets.slice(0, 5).map(idOf).join(', ')}; give the id`);
  }
  throw new UsageError(`no dataset, column or job is named "${text}"`);
};

/** The parts of a node id, or a usage error naming the id. */
export const nodeParts = (id: string): ParsedNodeId => {
  try {
    return parseNodeId(id);
  } catch (e) {
    throw new UsageError(e instanceof NodeIdError ? e.message : String(e));
  }
};
