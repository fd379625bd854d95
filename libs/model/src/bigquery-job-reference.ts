/**
 * BigQuery job references: the BigQuery connector (and the OpenLineage spec's ExternalQueryRunFacet example) spell a
 * job `project:LOCATION.jobId`, Airflow's Google provider names the bare job id (`self.job_id`). Shared by the rules
 * (libs/reconcile query-id.ts) and the store's lookup of observed writes by a run's query ids.
 */

/** `project:LOCATION.jobId` (the project possibly `domain.com:project`): the job id; null for any other id. */
const BIGQUERY_REFERENCE = /^[a-z][a-z0-9.-]*(?::[a-z][a-z0-9-]*)?:[A-Za-z][A-Za-z0-9-]*\.([A-Za-z0-9_-]+)$/;

/** The bare job id of a BigQuery job reference, or null (Snowflake, Redshift ids hold no ':' and cost no regex). */
export const bigQueryJobId = (queryId: string): string | null => (queryId.indexOf(':') < 0 ? null : BIGQUERY_REFERENCE.exec(queryId)?.[1] ?? null);
