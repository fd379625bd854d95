import type { LineageStore, RunRecord } from '@lineage-hub/store';
import { type InputVersions, inputVersionKey } from './marquez.mapper';

/** The version of each input each run read: the one current when the run started (its own writes aside). */
export const runInputVersions = async (store: LineageStore, runs: RunRecord[]): Promise<InputVersions> => {
  const requests = runs.flatMap((run) => run.inputs.map((dataset) => ({ runId: run.runId, dataset, at: run.startedAt ?? run.createdAt, exceptRun: run.runId })));
  if (requests.length === 0) return new Map();
  const versions = await store.datasetVersionsAt(requests);
  return new Map(requests.map((r, i) => [inputVersionKey(r.runId, r.dataset), versions[i]]));
};
