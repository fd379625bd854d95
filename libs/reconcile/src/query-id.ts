/**
 * Matching observed statements and declared runs by query id, the same both ways. A vendor's id is compared as it is,
 * and a BigQuery job reference (`project:LOCATION.jobId`, as the BigQuery connector and the OpenLineage spec's
 * ExternalQueryRunFacet example spell it) also by its job id alone: Airflow's Google provider names the bare job id
 * (`self.job_id`) in the ExternalQueryRunFacet of the runs it declares. So a statement is named by a run's id when the
 * id is the statement's, or the statement's bare BigQuery job id; from a run (runForQuery) and from a run's id
 * (writesByQueryKey, what writeByQueryId answers) alike. A statement that another ran (a BigQuery script's child job,
 * a Snowflake stored procedure's statement: the write's parentQueryId) is also named by a run naming that parent, the
 * same two ways: Airflow declares the script's job, and the script's children are what write.
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
 * names its parent statement the same way (Airflow declares a BigQuery script's job, whose child jobs write).
 */
export const runForQuery = (runsByQueryId: ReadonlyMap<string, RunFact>, queryId: string, parentQueryId?: string): RunFact | undefined => {
  if (runsByQueryId.size === 0) return undefined; // most histories: no run names a query id, and every write asks
  return runNaming(runsByQueryId, queryId) ?? (parentQueryId === undefined ? undefined : runNaming(runsByQueryId, parentQueryId));
};

/** The writes by each query id a run may name them by: their own and their parent's, and a BigQuery job reference's bare job id. */
export const writesByQueryKey = (writes: Iterable<WriteFact>): Map<string, WriteFact[]> => {
  const out = new Map<string, WriteFact[]>();
  const add = (id: string, w: WriteFact) => {
    pushTo(out, id, w);
    const bare = bigQueryJobId(id);
    if (bare !== null) pushTo(out, bare, w);
  };
  for (const w of writes) {
    add(w.queryId, w);
    if (w.parentQueryId !== undefined && w.parentQueryId !== w.queryId) add(w.parentQueryId, w);
  }
  return out;
};
