/**
 * Which declared run an observed statement's query id names. A vendor's id is compared as it is, and a BigQuery job
 * reference (`project:LOCATION.jobId`, as the BigQuery connector and the OpenLineage spec's ExternalQueryRunFacet
 * example spell it) also by its job id alone: Airflow's Google provider names the bare job id (`self.job_id`) in the
 * ExternalQueryRunFacet of the runs it declares.
 */
import type { RunFact } from './reconcile.types';

/** `project:LOCATION.jobId` (the project possibly `domain.com:project`): the job id; null for any other id. */
const BIGQUERY_REFERENCE = /^[a-z][a-z0-9.-]*(?::[a-z][a-z0-9-]*)?:[A-Za-z][A-Za-z0-9-]*\.([A-Za-z0-9_-]+)$/;

/** The bare job id of a BigQuery job reference, or null (Snowflake, Redshift ids hold no ':' and cost no regex). */
export const bigQueryJobId = (queryId: string): string | null => (queryId.indexOf(':') < 0 ? null : BIGQUERY_REFERENCE.exec(queryId)?.[1] ?? null);

/** The run whose ExternalQueryRunFacet names the statement, exactly or by its bare BigQuery job id. */
export const runForQuery = (runsByQueryId: ReadonlyMap<string, RunFact>, queryId: string): RunFact | undefined => {
  if (runsByQueryId.size === 0) return undefined; // most histories: no run names a query id, and every write asks
  const exact = runsByQueryId.get(queryId);
  if (exact) return exact;
  const bare = bigQueryJobId(queryId);
  return bare === null ? undefined : runsByQueryId.get(bare);
};
