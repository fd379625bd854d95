import { Inject, Injectable } from '@nestjs/common';
import {
  canonicalDataset,
  datasetId,
  invalidArgument,
  jobId,
  type NodeId,
  notFound,
} from '@lineage-hub/model';
import type { LineageStore, RunRecord } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import {
  iso,
  toDataset,
  toDatasetVersion,
  toJob,
  toNamespace,
  toRun,
  toSearchResult,
} from './marquez.mapper';
import {
  integer,
  nodeIdParam,
  oneOf,
  optionalString,
  optionalTime,
  page,
  type QueryParams,
  requiredString,
} from './query-params';

/**
 * Marquez-compatible reads over the store (same JSON as Marquez's API), shared by the HTTP controllers and the
 * typed RPC reads (rpc/shard-reads.rpc-controller.ts). Every parameter is validated here, for both edges.
 */
@Injectable()
export class MarquezReadService {
  constructor(@Inject(LINEAGE_STORE) private readonly store: LineageStore) {}

  async namespaces() {
    const namespaces = await this.store.listNamespaces();
    return { namespaces: namespaces.map(toNamespace) };
  }

  async namespace(name: string) {
    const found = (await this.store.listNamespaces()).find((ns) => ns.name === name);
    if (!found) throw notFound(`namespace ${name}`);
    return toNamespace(found);
  }

  async datasets(namespace: string, query: QueryParams) {
    const { items, total } = await this.store.listDatasets(canonicalNamespace(namespace), page(query));
    return { totalCount: total, datasets: items.map(toDataset) };
  }

  async dataset(namespace: string, name: string) {
    const id = datasetRef(namespace, name);
    const record = await this.store.getDataset(id);
    if (!record) throw notFound(`dataset ${id}`);
    return toDataset(record);
  }

  async datasetVersions(namespace: string, name: string, query: QueryParams) {
    const id = datasetRef(namespace, name);
    const [record, versions] = await Promise.all([this.store.getDataset(id), this.store.listDatasetVersions(id, page(query))]);
    if (!record) throw notFound(`dataset ${id}`);
    const runs = await this.runsById(versions.items.map((v) => v.runId));
    return {
      totalCount: versions.total,
      versions: versions.items.map((v) => toDatasetVersion(v, record, v.runId ? (runs.get(v.runId) ?? null) : null)),
    };
  }

  async jobs(namespace: string, query: QueryParams) {
    const { items, total } = await this.store.listJobs(namespace, page(query));
    const runs = await this.runsById(items.map((j) => j.latestRunId));
    return { totalCount: total, jobs: items.map((j) => toJob(j, j.latestRunId ? (runs.get(j.latestRunId) ?? null) : null)) };
  }

  async job(namespace: string, name: string) {
    const id = jobRef(namespace, name);
    const record = await this.store.getJob(id);
    if (!record) throw notFound(`job ${id}`);
    const latest = record.latestRunId ? await this.store.getRun(record.latestRunId) : null;
    return toJob(record, latest);
  }

  async runs(namespace: string, name: string, query: QueryParams) {
    const id = jobRef(namespace, name);
    if (!(await this.store.getJob(id))) throw notFound(`job ${id}`);
    const { items, total } = await this.store.listRuns(id, page(query));
    return { totalCount: total, runs: items.map(toRun) };
  }

  async run(runId: string) {
    if (!runId || runId.length > 256) throw invalidArgument('id', 'must be a run id');
    const run = await this.store.getRun(runId);
    if (!run) throw notFound(`run ${runId}`);
    return toRun(run);
  }

  /** Marquez's `/jobs/runs/{id}/facets?type=run|job`: the run's (or its job's) facets. */
  async runFacets(runId: string, query: QueryParams) {
    const type = oneOf(query, 'type', ['run', 'job'] as const, 'run');
    const run = await this.store.getRun(runId);
    if (!run) throw notFound(`run ${runId}`);
    if (type === 'run') return { runId, facets: run.facets ?? {} };
    const job = await this.store.getJob(run.job);
    return { runId, facets: job?.facets ?? {} };
  }

  /** Tags are not modelled by the shard; Marquez's UI asks for the list. */
  async tags() {
    return { tags: [] };
  }

  async search(query: QueryParams) {
    const q = requiredString(query, 'q');
    const filter = optionalString(query, 'filter');
    const type = filter === undefined ? undefined : oneOf(query, 'filter', ['DATASET', 'JOB'] as const, 'DATASET');
    const sort = oneOf(query, 'sort', ['NAME', 'UPDATE_AT', 'UPDATED_AT'] as const, 'NAME');
    const limit = integer(query, 'limit', 10, 1, 1000);
    const namespace = optionalString(query, 'namespace');
    const hits = await this.store.search(q, { type, namespace, limit });
    const sorted =
      sort === 'NAME'
        ? [...hits].sort((a, b) => a.name.localeCompare(b.name))
        : [...hits].sort((a, b) => b.updatedAt - a.updatedAt);
    return { totalCount: sorted.length, results: sorted.map(toSearchResult) };
  }

  async events(query: QueryParams) {
    const after = optionalTime(query, 'after');
    const before = optionalTime(query, 'before');
    const sortDirection = oneOf(query, 'sortDirection', ['asc', 'desc'] as const, 'desc');
    const { items, total } = await this.store.listEvents({ after, before, sortDirection, ...page(query) });
    return { events: items.map((e) => e.event), totalCount: total };
  }

  async observedWrites(query: QueryParams) {
    const filter = {
      dataset: optionalString(query, 'dataset') === undefined ? undefined : nodeIdParam(query, 'dataset', ['dataset']),
      since: optionalTime(query, 'since'),
      until: optionalTime(query, 'until'),
    };
    const writes = await this.store.listObservedWrites(filter, page(query));
    return { observedWrites: writes.map((w) => ({ ...w, writtenAt: iso(w.writtenAt) })) };
  }

  private async runsById(ids: Array<string | null>): Promise<Map<string, RunRecord>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    const runs = await Promise.all(unique.map((id) => this.store.getRun(id)));
    return new Map(runs.filter((r): r is RunRecord => !!r).map((r) => [r.runId, r]));
  }
}

const datasetRef = (namespace: string, name: string): NodeId => {
  if (!namespace) throw invalidArgument('namespace', 'is required');
  if (!name) throw invalidArgument('dataset', 'is required');
  const canonical = canonicalDataset(namespace, name);
  return datasetId(canonical.namespace, canonical.name);
};

/** A dataset namespace as canonicalisation spells it (scheme/host case, default ports). */
const canonicalNamespace = (namespace: string): string => {
  if (!namespace) throw invalidArgument('namespace', 'is required');
  return canonicalDataset(namespace, 'x').namespace;
};

const jobRef = (namespace: string, name: string): NodeId => {
  if (!namespace) throw invalidArgument('namespace', 'is required');
  if (!name) throw invalidArgument('job', 'is required');
  return jobId(namespace, name);
};
