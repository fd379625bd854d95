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
  /** Jobs of every namespace (Marquez `GET /api/v1/jobs`). */
  allJobs: 'marquez.all-jobs',
  /** The dashboard's series (Marquez `GET /api/v1/stats/{kind}`). */
  stats: 'marquez.stats',
  /** Marquez `GET /api/v2beta/search/{jobs|datasets}`. */
  searchV2: 'marquez.search-v2beta',
  /**
   * The version of each dataset current at a time (the one a run reading it then saw): the gateway asks a dataset's
   * owning domain, so a run of another domain names the owner's version of its inputs.
   */
  datasetVersionsAt: 'marquez.dataset-versions-at',
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

export interface AllJobsRequest extends PageRequest {
  /** Marquez RunState values (NEW, RUNNING, COMPLETED, FAILED, ABORTED): jobs whose latest run is in one of them. */
  runStates?: string[];
}
export type StatsKind = 'lineage-events' | 'jobs' | 'datasets' | 'sources';
export interface StatsRequest {
  kind: StatsKind;
  period: 'DAY' | 'WEEK';
  /** IANA time zone; required for WEEK. */
  timezone?: string;
}
export interface SearchV2Request {
  q: string;
  index: 'jobs' | 'datasets';
}

/** At most this many datasets per `marquez.dataset-versions-at` request. */
export const MAX_VERSIONS_AT = 10_000;
export interface DatasetVersionsAtRequest {
  /** A dataset (namespace, name), the time a run read it (epoch ms) and the reading run (its own writes do not count). */
  requests: Array<{ namespace: string; name: string; at: number; exceptRun?: string }>;
}
/** One per request, in order: the version id (as in the dataset's versions list), or null when none was current then. */
export interface DatasetVersionsAtResponse {
  versions: Array<string | null>;
}

/** Marquez's LineageMetric (lineage-events) or IntervalMetric (jobs, datasets, sources), one per bucket, oldest first. */
export interface StatsInterval {
  startInterval: string;
  endInterval: string;
  count?: number;
  start?: number;
  complete?: number;
  fail?: number;
  abort?: number;
}
export interface StatsResponse {
  intervals: StatsInterval[];
}
/** Marquez's OpenSearchResult: the hit documents and, for each, the matched fields with the match marked <em>. */
export interface SearchV2Response {
  hits: Array<Record<string, unknown>>;
  highlights: Array<Record<string, string[]>>;
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
  /** Not in Marquez: the job the run belongs to (the read layer answers 404 to a viewer it is hidden from). */
  job?: { namespace: string; name: string };
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
