import { invalidArgument, parseNodeId, type NodeId } from '@lineage-hub/model';
import type { LineageStore, RunRecord } from '@lineage-hub/store';
import type { NodesRequest } from '@lineage-hub/federation';
import { toDataset, toJob } from './marquez.mapper';
import { runInputVersions } from './run-input-versions';

/** The most ids one `marquez.nodes` request may name. */
export const MAX_NODE_DATA_IDS = 10_000;

/**
 * RPC marquez.nodes: the Marquez `data` of the datasets and jobs this shard has records of (the same mapping its
 * /api/v1/lineage uses), keyed by id. Ids of other kinds, and ids without a record, are left out.
 */
export const marquezNodeData = async (store: LineageStore, request: NodesRequest): Promise<Record<string, unknown>> => {
  if (!request || !Array.isArray(request.ids)) throw invalidArgument('ids', 'must be an array of node ids');
  if (request.ids.length > MAX_NODE_DATA_IDS) throw invalidArgument('ids', `at most ${MAX_NODE_DATA_IDS} ids per request`);
  const datasets: NodeId[] = [];
  const jobs: NodeId[] = [];
  request.ids.forEach((id, i) => {
    if (typeof id !== 'string') throw invalidArgument(`ids[${i}]`, 'must be a node id string');
    const kind = parseNodeId(id).kind;
    if (kind === 'dataset') datasets.push(id);
    else if (kind === 'job') jobs.push(id);
  });
  const [datasetRecords, jobRecords] = await Promise.all([
    datasets.length ? store.getDatasets(datasets) : [],
    jobs.length ? store.getJobs(jobs) : [],
  ]);
  const runs = await Promise.all(jobRecords.map((job) => (job.latestRunId ? store.getRun(job.latestRunId) : null)));
  const inputVersions = await runInputVersions(store, runs.filter((r): r is RunRecord => !!r));
  const out: Record<string, unknown> = {};
  for (const record of datasetRecords) out[record.id] = toDataset(record);
  jobRecords.forEach((record, i) => (out[record.id] = toJob(record, runs[i] ?? null, inputVersions)));
  return out;
};
