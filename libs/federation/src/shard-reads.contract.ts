/**
 * The reads the gateway federates, one typed message each (no URL paths, no HTTP statuses: see shard-answer.ts).
 * Requests carry typed values; the shard still validates every field (a bad one is an `invalid-argument` naming
 * it). Responses are Marquez's JSON shapes (https://marquezproject.ai/openapi.html), as the shard's own HTTP
 * reads give them; the records are typed by the fields the gateway merges on, the rest passes through.
 */
import type { NodeId } from '@lineage-hub/model';

export const ShardReadPatterns = {
  namespaces: 'marquez.namespaces',
  namespace: 'marquez.namespace',
  datasets: 'marquez.datasets',
  dataset: 'marquez.dataset',
  datasetVersions: 'marquez.dataset-versions',
  jobs: 'marquez.jobs',
  job: 'marquez.job',
  runs: 'marquez.runs',
  run: 'marquez.run',
  runFacets: 'marquez.run-facets',
  search: 'marquez.search',
  events: 'marquez.events',
  tags: 'marquez.tags',
  lineage: 'marquez.lineage',
  columnLineage: 'marquez.column-lineage',
  observedWrites: 'observed-writes.list',
} as const;

/** A page of a list: the shard answers its first `offset + limit` items when the gateway merges pages. */
export interface PageRequest {
  limit?: number;
  offset?: number;
}

/** A Marquez record (namespace, dataset, job, run, version, search hit): the merge keys typed, the rest as sent. */
export interface MarquezRecord {
  name?: string;
  createdAt?: string | null;
  updatedAt?: string | null;
  [field: string]: unknown;
}

export type NoRequest = Record<string, never>;
export interface NamespaceRequest {
  namespace: string;
}
export interface NamespacePageRequest extends PageRequest {
  namespace: string;
}
export interface DatasetRequest {
  namespace: string;
  name: string;
}
export interface DatasetPageRequest extends DatasetRequest, PageRequest {}
export interface JobRequest {
  namespace: string;
  name: string;
}
export interface JobPageRequest extends JobRequest, PageRequest {}
export interface RunRequest {
  runId: string;
}
export interface RunFacetsRequest extends RunRequest {
  type?: 'run' | 'job';
}
export interface SearchRequest {
  q: string;
  filter?: 'DATASET' | 'JOB';
  sort?: 'NAME' | 'UPDATE_AT' | 'UPDATED_AT';
  limit?: number;
  namespace?: string;
}
export interface EventsRequest extends PageRequest {
  /** ISO-8601 or epoch milliseconds. */
  before?: string | number;
  after?: string | number;
  sortDirection?: 'asc' | 'desc';
}
export interface LineageRequest {
  nodeId: NodeId | string;
  depth?: number;
  direction?: 'both' | 'upstream' | 'downstream';
  maxNodes?: number;
  /** ISO-8601 or epoch milliseconds. */
  asOf?: string | number;
}
export interface ColumnLineageRequest extends LineageRequest {
  withDownstream?: boolean;
  /** "DIRECT", "DIRECT/IDENTITY", "INDIRECT/JOIN", ... */
  transformations?: string;
}
export interface ObservedWritesRequest extends PageRequest {
  dataset?: NodeId | string;
  since?: string | number;
  until?: string | number;
}

export interface NamespacesResponse {
  namespaces: MarquezRecord[];
}
export interface DatasetsResponse {
  totalCount: number;
  datasets: MarquezRecord[];
}
export interface DatasetVersionsResponse {
  totalCount: number;
  versions: MarquezRecord[];
}
export interface JobsResponse {
  totalCount: number;
  jobs: MarquezRecord[];
}
export interface RunsResponse {
  totalCount: number;
  runs: MarquezRecord[];
}
export interface RunFacetsResponse {
  runId: string;
  facets: Record<string, unknown>;
}
export interface SearchResponse {
  totalCount: number;
  results: MarquezRecord[];
}
export interface EventsResponse {
  events: Array<Record<string, unknown>>;
  totalCount: number;
}
export interface TagsResponse {
  tags: MarquezRecord[];
}
/** Marquez's LineageGraph: `{graph: [{id, type, data, inEdges, outEdges}]}` (+ `truncated` when capped). */
export interface LineageGraphResponse {
  graph: Array<{ id: string; type: string; data: unknown; inEdges: unknown[]; outEdges: unknown[] }>;
  truncated?: boolean;
}
export interface ObservedWritesResponse {
  observedWrites: Array<Record<string, unknown>>;
}
