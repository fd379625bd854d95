/**
 * The federated downstream of each change: a column change walks the column's lineage
 * (`datasetField:{ns}:{name}:{column}`), a dataset change the dataset's. Consumers are the datasets and jobs
 * reached (a column reached stands for its dataset), grouped by domain, with owners and tiers. An answer that is
 * not complete, or an open coverage-gap finding on the changed dataset, makes the change's impact unknown.
 */
import { datasetOf, type DatasetTraits, lookUpTraits } from '../commands/dataset-traits';
import { fetchImpact } from '../commands/impact.command';
import { GatewayError, type GatewayClient } from '../gateway/gateway-client';
import type { SchemaChange } from './change.types';

export interface Consumer extends DatasetTraits {
  id: string;
  type: 'DATASET' | 'JOB';
  domains: string[];
  distance: number;
  /** The columns of this dataset the change reaches. */
  columns: string[];
}

export interface ChangeImpact {
  change: SchemaChange;
  queried: string;
  consumers: Consumer[];
  complete: boolean;
  missingDomains: string[];
  truncated: boolean;
  coverageGaps: string[];
}

const fieldOf = (id: string) => id.slice(id.lastIndexOf(':') + 1);

export const impactQueryNode = (c: SchemaChange): string => {
  if (c.column && c.kind !== 'column-added') return `datasetField:${c.dataset.slice('dataset:'.length)}:${c.column}`;
  return c.dataset;
};

/** Open coverage-gap findings on a dataset; an older hub without the findings API answers none (404). */
const coverageGaps = async (client: GatewayClient, dataset: string): Promise<string[]> => {
  try {
    const { body } = await client.get<any>('/api/v1/findings', { kind: 'coverage-gap', status: 'open', dataset });
    const list: any[] = Array.isArray(body) ? body : (body?.findings ?? body?.items ?? []);
    return list.map((f) => f?.summary ?? f?.id ?? 'coverage gap').map(String);
  } catch (e) {
    if (e instanceof GatewayError && e.status === 404) return [];
    throw e;
  }
};

export const changeImpact = async (client: GatewayClient, change: SchemaChange, depth: number): Promise<ChangeImpact> => {
  const queried = impactQueryNode(change);
  let answer;
  try {
    answer = await fetchImpact(client, { nodeId: queried, direction: 'downstream', depth, limit: 10_000 }, true);
  } catch (e) {
    // A dataset or column the hub has never seen has no consumers.
    if (e instanceof GatewayError && e.status === 404) answer = { nodes: [], complete: true, missingDomains: [], truncated: false };
    else throw e;
  }
  const byId = new Map<string, Consumer>();
  for (const node of answer.nodes) {
    if (node.id === queried) continue;
    const isJob = node.type === 'JOB' || node.id.startsWith('job:');
    const id = isJob ? node.id : (datasetOf(node.id) ?? node.id);
    if (id === change.dataset) continue;
    const current = byId.get(id) ?? { id, type: isJob ? 'JOB' : 'DATASET', domains: [], distance: node.distance, columns: [], owners: [], tags: [] };
    current.distance = Math.min(current.distance, node.distance);
    current.domains = [...new Set([...current.domains, ...node.domains])].sort();
    if (node.id.startsWith('datasetField:')) current.columns = [...new Set([...current.columns, fieldOf(node.id)])];
    byId.set(id, current);
  }
  const consumers = [...byId.values()];
  const traits = await lookUpTraits(client, consumers.filter((c) => c.type === 'DATASET').map((c) => c.id));
  for (const c of consumers) Object.assign(c, traits.get(c.id) ?? {});
  consumers.sort((a, b) => (a.domains[0] ?? '').localeCompare(b.domains[0] ?? '') || a.distance - b.distance || a.id.localeCompare(b.id));
  return { change, queried, consumers, complete: answer.complete, missingDomains: answer.missingDomains, truncated: answer.truncated, coverageGaps: await coverageGaps(client, change.dataset) };
};
