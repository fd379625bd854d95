import { Inject, Injectable } from '@nestjs/common';
import {
  canonicalDataset,
  datasetId,
  invalidArgument,
  jobId,
  type NodeId,
  notFound,
} from '@lineage-hub/model';
import { type DatasetVersionsAtRequest, type DatasetVersionsAtResponse, MAX_VERSIONS_AT } from '@lineage-hub/federation';
import type { DatasetRecord, LineageStore, RunRecord, RunState } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import {
  type InputVersions,
  iso,
  marquezId,
  toDataset,
  toDatasetVersion,
  toJob,
  toNamespace,
  toRun,
  toSearchResult,
} from './marquez.mapper';
import { runInputVersions } from './run-input-versions';
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
    return { totalCount: total, datasets: await this.datasetViews(items) };
  }

  async dataset(namespace: string, name: string) {
    const id = datasetRef(namespace, name);
    const record = await this.store.getDataset(id);
    if (!record) throw notFound(`dataset ${id}`);
    return (await this.datasetViews([record]))[0];
  }

  /** Marquez's dataset versions: one per run that wrote the dataset, each with the run that created it. */
  async datasetVersions(namespace: string, name: string, query: QueryParams) {
    const id = datasetRef(namespace, name);
    const [record, versions] = await Promise.all([this.store.getDataset(id), this.store.listDatasetVersions(id, page(query))]);
    if (!record) throw notFound(`dataset ${id}`);
    const runs = await this.runsById(versions.items.map((v) => v.runId));
    const inputs = await this.inputVersions([...runs.values()]);
    return {
      totalCount: versions.total,
      versions: versions.items.map((v) => toDatasetVersion(v, record, v.runId ? (runs.get(v.runId) ?? null) : null, inputs)),
    };
  }

  async jobs(namespace: string, query: QueryParams) {
    return this.jobList(namespace, query);
  }

  /** `GET /api/v1/jobs?limit&offset&runStates=`: jobs of every namespace, optionally by their latest run's state. */
  async allJobs(query: QueryParams) {
    const states = runStatesParam(query);
    return this.jobList(null, query, states === undefined ? undefined : { latestRunStates: states });
  }

  async job(namespace: string, name: string) {
    const id = jobRef(namespace, name);
    const record = await this.store.getJob(id);
    if (!record) throw notFound(`job ${id}`);
    const latest = record.latestRunId ? await this.store.getRun(record.latestRunId) : null;
    return toJob(record, latest, await this.inputVersions(latest ? [latest] : []));
  }

  async runs(namespace: string, name: string, query: QueryParams) {
    const id = jobRef(namespace, name);
    if (!(await this.store.getJob(id))) throw notFound(`job ${id}`);
    const { items, total } = await this.store.listRuns(id, page(query));
    const inputs = await this.inputVersions(items);
    return { totalCount: total, runs: items.map((r) => toRun(r, inputs)) };
  }

  async run(runId: string) {
    if (!runId || runId.length > 256) throw invalidArgument('id', 'must be a run id');
    const run = await this.store.getRun(runId);
    if (!run) throw notFound(`run ${runId}`);
    return toRun(run, await this.inputVersions([run]));
  }

  /** Marquez's `/jobs/runs/{id}/facets?type=run|job`: the run's (or its job's) facets. */
  async runFacets(runId: string, query: QueryParams) {
    const type = oneOf(query, 'type', ['run', 'job'] as const, 'run');
    const run = await this.store.getRun(runId);
    if (!run) throw notFound(`run ${runId}`);
    // `job` (not in Marquez): the job the run belongs to, so the read layer answers 404 to a viewer it is hidden from
    const owner = marquezId(run.job);
    if (type === 'run') return { runId, job: owner, facets: run.facets ?? {} };
    const job = await this.store.getJob(run.job);
    return { runId, job: owner, facets: job?.facets ?? {} };
  }

  /**
   * RPC marquez.dataset-versions-at: for each (dataset, time, reading run), the version of the dataset current then,
   * as this shard knows it (the gateway asks the dataset's owning domain, whose writing runs make its versions).
   */
  async datasetVersionsAt(request: DatasetVersionsAtRequest | undefined): Promise<DatasetVersionsAtResponse> {
    const list = request?.requests;
    if (!Array.isArray(list)) throw invalidArgument('requests', 'must be an array of {namespace, name, at}');
    if (list.length > MAX_VERSIONS_AT) throw invalidArgument('requests', `at most ${MAX_VERSIONS_AT} per request`);
    const requests = list.map((r, i) => {
      if (!r || typeof r !== 'object') throw invalidArgument(`requests[${i}]`, 'must be {namespace, name, at}');
      if (typeof r.namespace !== 'string' || typeof r.name !== 'string') throw invalidArgument(`requests[${i}].namespace`, 'namespace and name must be strings');
      if (typeof r.at !== 'number' || !Number.isFinite(r.at)) throw invalidArgument(`requests[${i}].at`, 'must be epoch milliseconds');
      if (r.exceptRun !== undefined && typeof r.exceptRun !== 'string') throw invalidArgument(`requests[${i}].exceptRun`, 'must be a run id');
      return { dataset: datasetRef(r.namespace, r.name), at: r.at, exceptRun: r.exceptRun };
    });
    return { versions: await this.store.datasetVersionsAt(requests) };
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
    const totalCount = await this.store.countSearch(q, { type, namespace });
    return { totalCount, results: sorted.map(toSearchResult) };
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

  private async jobList(namespace: string | null, query: QueryParams, filter?: { latestRunStates?: RunState[] }) {
    const { items, total } = await this.store.listJobs(namespace, page(query), filter);
    const runs = await this.runsById(items.map((j) => j.latestRunId));
    const inputs = await this.inputVersions([...runs.values()]);
    return { totalCount: total, jobs: items.map((j) => toJob(j, j.latestRunId ? (runs.get(j.latestRunId) ?? null) : null, inputs)) };
  }

  /** Datasets with what Marquez enriches them with: column lineage and the newest version. */
  private async datasetViews(records: DatasetRecord[]) {
    const ids = records.map((r) => r.id);
    const [lineage, versions] = await Promise.all([this.store.columnLineage(ids), this.store.currentVersions(ids)]);
    return records.map((r) => toDataset(r, { columnLineage: lineage.get(r.id), currentVersion: versions.get(r.id) }));
  }

  private inputVersions(runs: RunRecord[]): Promise<InputVersions> {
    return runInputVersions(this.store, runs);
  }

  private async runsById(ids: Array<string | null>): Promise<Map<string, RunRecord>> {
    const unique = [...new Set(ids.filter((id): id is string => !!id))];
    return new Map((await this.store.getRuns(unique)).map((r) => [r.runId, r]));
  }
}

/** Marquez RunState -> the store's run states it covers. */
const STORE_STATES: Record<string, RunState[]> = {
  NEW: ['NEW', 'OTHER'],
  RUNNING: ['START', 'RUNNING'],
  COMPLETED: ['COMPLETE'],
  FAILED: ['FAIL'],
  ABORTED: ['ABORT'],
};

/** `runStates`: Marquez RunState values, repeated (`runStates=FAILED&runStates=ABORTED`) or comma-separated. */
const runStatesParam = (query: QueryParams): RunState[] | undefined => {
  const raw = query.runStates;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  const states = new Set<RunState>();
  for (const value of values) {
    const mapped = STORE_STATES[value.toUpperCase()];
    if (!mapped) throw invalidArgument('runStates', `must be among ${Object.keys(STORE_STATES).join(', ')}, got "${value}"`);
    mapped.forEach((s) => states.add(s));
  }
  return states.size ? [...states] : undefined;
};

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
