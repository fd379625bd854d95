/**
 * Matching observed statements and declared runs by query id, the same both ways. A vendor's id is compared as it is,
 * and a BigQuery job reference (`project:LOCATION.jobId`, as the BigQuery connector and the OpenLineage spec's
 * ExternalQueryRunFacet example spell it) also by its job id alone: Airflow's Google provider names the bare job id
 * (`self.job_id`) in the ExternalQueryRunFacet of the runs it declares. So a statement is named by a run's id when the
 * id is the statement's, or the statement's bare BigQuery job id; from a run (runForQuery) and from a run's id
 * (writesByQueryKey, what writeByQueryId answers) alike.
 */
import { bigQueryJobId } from '@lineage-hub/model';
import type { RunFact, WriteFact } from './reconcile.types';

export { bigQueryJobId };

/** The run whose ExternalQueryRunFacet names the statement, exactly or by its bare BigQuery job id. */
export const runForQuery = (runsByQueryId: ReadonlyMap<string, RunFact>, queryId: string): RunFact | undefined => {
  if (runsByQueryId.size === 0) return undefined; // most histories: no run names a query id, and every write asks
  const exact = runsByQueryId.get(queryId);
  if (exact) return exact;
  const bare = bigQueryJobId(queryId);
  return bare === null ? undefined : runsByQueryId.get(bare);
};

const push = (into: Map<string, WriteFact[]>, key: string, w: WriteFact): void => {
  const list = into.get(key);
  if (list) list.push(w);
  else into.set(key, [w]);
};

/** The writes by each query id a run may name them by: their own, and a BigQuery job reference's bare job id. */
export const writesByQueryKey = (writes: Iterable<WriteFact>): Map<string, WriteFact[]> => {
  const out = new Map<string, WriteFact[]>();
  for (const w of writes) {
    push(out, w.queryId, w);
    const bare = bigQueryJobId(w.queryId);
    if (bare !== null) push(out, bare, w);
  }
  return out;
};
