/**
 * Matching observed statements and declared runs by query id, the same both ways. A vendor's id is compared as it is,
 * and a BigQuery job reference (`project:LOCATION.jobId`, as the BigQuery connector and the OpenLineage spec's
 * ExternalQueryRunFacet example spell it) also by its job id alone: Airflow's Google provider names the bare job id
 * (`self.job_id`) in the ExternalQueryRunFacet of the runs it declares. So a statement is named by a run's id when the
 * id is the statement's, or the statement's bare BigQuery job id; from a run (runForQuery) and from a run's id
 * (writesByQueryKey, what writeByQueryId answers) alike. A statement that another ran (a BigQuery script's child job,
 * a Snowflake stored procedure's statement) is also named by a run naming the top-level statement that ran it (the
 * write's rootQueryId), the same two ways: Airflow declares the script's job, and the script's children are what write.
 */
import { bigQueryJobId } from '@lineage-hub/model';
import { pushTo } from './multi-map';
import type { RunFact, WriteFact } from './reconcile.types';

/** The run whose ExternalQueryRunFacet names the id, exactly or by its bare BigQuery job id. */
const runNaming = (runsByQueryId: ReadonlyMap<string, RunFact>, queryId: string): RunFact | undefined => {
  const exact = runsByQueryId.get(queryId);
  if (exact) return exact;
  const bare = bigQueryJobId(queryId);
  return bare === null ? undefined : runsByQueryId.get(bare);
};

/**
 * The run whose ExternalQueryRunFacet names the statement, exactly or by its bare BigQuery job id; else the run that
 * names the top-level statement that ran it the same way (Airflow declares a BigQuery script's job, whose child jobs write).
 */
export const runForQuery = (runsByQueryId: ReadonlyMap<string, RunFact>, queryId: string, rootQueryId?: string): RunFact | undefined => {
  if (runsByQueryId.size === 0) return undefined; // most histories: no run names a query id, and every write asks
  return runNaming(runsByQueryId, queryId) ?? (rootQueryId === undefined ? undefined : runNaming(runsByQueryId, rootQueryId));
};

/** The writes by each query id a run may name them by: their own and their root statement's, and a BigQuery job reference's bare job id. */
export const writesByQueryKey = (writes: Iterable<WriteFact>): Map<string, WriteFact[]> => {
  const out = new Map<string, WriteFact[]>();
  const add = (id: string, w: WriteFact) => {
    pushTo(out, id, w);
    const bare = bigQueryJobId(id);
    if (bare !== null) pushTo(out, bare, w);
  };
  for (const w of writes) {
    add(w.queryId, w);
    if (w.rootQueryId !== undefined && w.rootQueryId !== w.queryId) add(w.rootQueryId, w);
  }
  return out;
};
