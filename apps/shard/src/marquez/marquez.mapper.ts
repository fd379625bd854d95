/**
 * Store records -> Marquez API JSON (marquez spec/openapi.yml: Namespace, Dataset, DatasetVersion, Job, Run,
 * SearchResult, LineageGraph), so Marquez's web UI and clients read a shard unchanged. Pure functions.
 */
import { parseNodeId, type NodeId } from '@lineage-hub/model';
import type {
  DatasetRecord,
  DatasetVersionRecord,
  FieldRecord,
  JobRecord,
  NamespaceRecord,
  RunRecord,
  RunState,
  SearchHit,
} from '@lineage-hub/store';

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** `dataset:ns:name` / `job:ns:name` -> Marquez `{namespace, name}`. */
export const marquezId = (id: NodeId): { namespace: string; name: string } => {
  const parsed = parseNodeId(id);
  if (parsed.kind === 'run') throw new Error(`a run id has no namespace: ${id}`);
  return { namespace: parsed.namespace, name: parsed.name };
};

/** OpenLineage run state -> Marquez RunState (NEW, RUNNING, COMPLETED, FAILED, ABORTED). */
export const marquezRunState = (state: RunState): string => {
  switch (state) {
    case 'START':
    case 'RUNNING':
      return 'RUNNING';
    case 'COMPLETE':
      return 'COMPLETED';
    case 'FAIL':
      return 'FAILED';
    case 'ABORT':
      return 'ABORTED';
    default:
      return 'NEW';
  }
};

export const toNamespace = (ns: NamespaceRecord) => ({
  name: ns.name,
  createdAt: iso(ns.createdAt),
  updatedAt: iso(ns.updatedAt),
  ownerName: 'anonymous',
  description: null,
  isHidden: false,
});

const toField = (field: FieldRecord) => ({
  name: field.name,
  type: field.type,
  tags: field.tags ?? [],
  description: field.description,
});

const datasetType = (facets: Record<string, unknown>): string => {
  const datasetTypeFacet = facets?.datasetType as { datasetType?: string } | undefined;
  return datasetTypeFacet?.datasetType?.toUpperCase() === 'STREAM' ? 'STREAM' : 'DB_TABLE';
};

export const toDataset = (ds: DatasetRecord) => ({
  id: { namespace: ds.namespace, name: ds.name },
  type: datasetType(ds.facets),
  name: ds.name,
  physicalName: ds.name,
  createdAt: iso(ds.createdAt),
  updatedAt: iso(ds.updatedAt),
  namespace: ds.namespace,
  sourceName: ds.sourceName ?? ds.namespace,
  fields: ds.fields.map(toField),
  tags: [],
  lastModifiedAt: iso(ds.updatedAt),
  lastLifecycleState: ds.lifecycleState,
  description: ds.description,
  facets: ds.facets ?? {},
  currentVersion: ds.currentVersion,
  deleted: ds.deleted,
  /** Not in Marquez: the symlink aliases that resolve to this dataset. */
  aliases: ds.aliases ?? [],
});

export const toDatasetVersion = (version: DatasetVersionRecord, ds: DatasetRecord | null, run: RunRecord | null) => {
  const { namespace, name } = marquezId(version.dataset);
  return {
    id: { namespace, name, version: version.version },
    type: ds ? datasetType(ds.facets) : 'DB_TABLE',
    name,
    physicalName: name,
    createdAt: iso(version.createdAt),
    version: version.version,
    namespace,
    sourceName: ds?.sourceName ?? namespace,
    fields: version.fields.map(toField),
    tags: [],
    lifecycleState: ds?.lifecycleState ?? null,
    description: ds?.description ?? null,
    createdByRun: run ? toRun(run) : null,
    facets: version.facets ?? {},
  };
};

const datasetVersionRef = (id: NodeId) => ({ datasetVersionId: { ...marquezId(id), version: null }, facets: {} });

export const toRun = (run: RunRecord) => {
  const job = marquezId(run.job);
  const durationMs = run.startedAt !== null && run.endedAt !== null ? run.endedAt - run.startedAt : null;
  return {
    id: run.runId,
    createdAt: iso(run.createdAt),
    updatedAt: iso(run.updatedAt),
    nominalStartTime: run.nominalStartTime,
    nominalEndTime: run.nominalEndTime,
    state: marquezRunState(run.state),
    startedAt: iso(run.startedAt),
    endedAt: iso(run.endedAt),
    durationMs,
    args: {},
    jobVersion: { namespace: job.namespace, name: job.name, version: null },
    inputDatasetVersions: run.inputs.map(datasetVersionRef),
    outputDatasetVersions: run.outputs.map(datasetVersionRef),
    context: {},
    facets: run.facets ?? {},
    /** Not in Marquez: the OpenLineage event type that set the state, and the parent run. */
    eventType: run.state,
    parentRunId: run.parentRunId,
  };
};

export const toJob = (job: JobRecord, latestRun: RunRecord | null) => {
  const dot = job.name.lastIndexOf('.');
  const parentFacet = (latestRun?.facets?.parent as { job?: { name?: string } } | undefined)?.job?.name ?? null;
  return {
    id: { namespace: job.namespace, name: job.name },
    type: job.type || 'BATCH',
    name: job.name,
    simpleName: dot > 0 ? job.name.slice(dot + 1) : job.name,
    parentJobName: parentFacet,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    namespace: job.namespace,
    inputs: job.inputs.map(marquezId),
    outputs: job.outputs.map(marquezId),
    location: job.location,
    description: job.description,
    latestRun: latestRun ? toRun(latestRun) : null,
    latestRuns: latestRun ? [toRun(latestRun)] : [],
    facets: job.facets ?? {},
    currentVersion: null,
    labels: [],
    tags: [],
  };
};

export const toSearchResult = (hit: SearchHit) => ({
  type: hit.type,
  name: hit.name,
  updatedAt: iso(hit.updatedAt),
  namespace: hit.namespace,
  nodeId: hit.nodeId,
});

export interface MarquezEdge {
  origin: string;
  destination: string;
}

export interface MarquezNode {
  id: string;
  type: 'DATASET' | 'JOB' | 'DATASET_FIELD';
  data: unknown;
  inEdges: MarquezEdge[];
  outEdges: MarquezEdge[];
}

/** Sorted by id, as Marquez sorts its lineage graph. */
export const sortGraph = (nodes: MarquezNode[]) => ({
  graph: nodes
    .map((n) => ({
      ...n,
      inEdges: [...n.inEdges].sort(byEdge),
      outEdges: [...n.outEdges].sort(byEdge),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
});

const byEdge = (a: MarquezEdge, b: MarquezEdge) =>
  a.origin === b.origin ? (a.destination < b.destination ? -1 : 1) : a.origin < b.origin ? -1 : 1;
