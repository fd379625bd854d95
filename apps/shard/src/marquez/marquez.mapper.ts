/**
 * Store records -> Marquez API JSON (marquez spec/openapi.yml: Namespace, Dataset, DatasetVersion, Job, Run,
 * SearchResult, LineageGraph), so Marquez's web UI and clients read a shard unchanged. Pure functions.
 */
import { parseNodeId, type NodeId } from '@lineage-hub/model';
import {
  type ColumnLineageRecord,
  type DatasetRecord,
  type DatasetVersionRecord,
  datasetRunVersionId,
  type FieldRecord,
  type JobRecord,
  jobVersionId,
  type NamespaceRecord,
  type RunRecord,
  type RunState,
  type SearchHit,
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

/**
 * Marquez's Dataset.columnLineage: per field, its input fields (namespace, dataset, field) with the transformation
 * (`transformationType`/`transformationDescription` as Marquez's ColumnLineageInputField; `transformations`, the
 * full OpenLineage list, is the hub's addition); null when the dataset has none (the UI then disables it).
 */
export const toColumnLineage = (records: ColumnLineageRecord[] | undefined) => {
  if (!records || records.length === 0) return null;
  return records.map((r) => {
    const inputFields = r.inputs.map((i) => {
      const first = i.transformations[0];
      return {
        namespace: i.namespace,
        dataset: i.dataset,
        field: i.field,
        transformationDescription: first?.description ?? null,
        transformationType: first ? (first.subtype ?? first.type) : null,
        transformations: i.transformations,
      };
    });
    return {
      name: r.field,
      inputFields,
      transformationDescription: inputFields[0]?.transformationDescription ?? null,
      transformationType: inputFields[0]?.transformationType ?? null,
    };
  });
};

/** What a dataset answer adds to the record: its column lineage and its newest version (derived by the store). */
export interface DatasetExtras {
  columnLineage?: ColumnLineageRecord[];
  currentVersion?: string;
}

export const toDataset = (ds: DatasetRecord, extras: DatasetExtras = {}) => ({
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
  currentVersion: extras.currentVersion ?? ds.currentVersion,
  columnLineage: toColumnLineage(extras.columnLineage),
  deleted: ds.deleted,
  /** Not in Marquez: the symlink aliases that resolve to this dataset. */
  aliases: ds.aliases ?? [],
});

export const toDatasetVersion = (version: DatasetVersionRecord, ds: DatasetRecord | null, run: RunRecord | null, inputVersions: InputVersions = new Map()) => {
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
    createdByRun: run ? toRun(run, inputVersions) : null,
    facets: version.facets ?? {},
  };
};

/** `${runId}\u0000${input}` -> the version of that input the run read (store.datasetVersionsAt). */
export type InputVersions = Map<string, string | null>;
export const inputVersionKey = (runId: string, input: NodeId) => `${runId}\u0000${input}`;

const datasetVersionRef = (id: NodeId, version: string | null) => ({ datasetVersionId: { ...marquezId(id), version }, facets: {} });

/** Marquez's Run; `jobVersion.version` and each dataset version are derived ids (stable for the same run). */
export const toRun = (run: RunRecord, inputVersions: InputVersions = new Map()) => {
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
    jobVersion: { namespace: job.namespace, name: job.name, version: jobVersionId(run.job, run.inputs, run.outputs) },
    inputDatasetVersions: run.inputs.map((id) => datasetVersionRef(id, inputVersions.get(inputVersionKey(run.runId, id)) ?? null)),
    outputDatasetVersions: run.outputs.map((id) => datasetVersionRef(id, datasetRunVersionId(id, run.runId))),
    context: {},
    facets: run.facets ?? {},
    /** Not in Marquez: the OpenLineage event type that set the state, and the parent run. */
    eventType: run.state,
    parentRunId: run.parentRunId,
  };
};

export const toJob = (job: JobRecord, latestRun: RunRecord | null, inputVersions: InputVersions = new Map()) => {
  const dot = job.name.lastIndexOf('.');
  const parentFacet = (latestRun?.facets?.parent as { job?: { name?: string } } | undefined)?.job?.name ?? null;
  return {
    id: { namespace: job.namespace, name: job.name },
    type: job.type || 'BATCH',
    name: job.name,
    simpleName: dot > 0 ? job.name.slice(dot + 1) : job.name,
    parentJobName: parentFacet,
    /** Marquez's row uuid of the parent job; the hub keeps no job uuids. */
    parentJobUuid: null,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    namespace: job.namespace,
    inputs: job.inputs.map(marquezId),
    outputs: job.outputs.map(marquezId),
    location: job.location,
    description: job.description,
    latestRun: latestRun ? toRun(latestRun, inputVersions) : null,
    latestRuns: latestRun ? [toRun(latestRun, inputVersions)] : [],
    facets: job.facets ?? {},
    currentVersion: latestRun ? jobVersionId(latestRun.job, latestRun.inputs, latestRun.outputs) : null,
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
