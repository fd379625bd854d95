/** Settings of one BigQuery connector instance: which projects and regions to read, and how. */
import { z } from 'zod';

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+(-[a-z]+[0-9]*)?$/;

export const bigqueryConfigSchema = z.object({
  /** Every project is read in every one of its regions (`region-<loc>`.INFORMATION_SCHEMA.JOBS). */
  projects: z
    .array(
      z.object({
        projectId: z.string().regex(PROJECT_ID, 'a GCP project id: 6-30 lower-case letters, digits and hyphens'),
        regions: z.array(z.string().regex(REGION, 'a BigQuery location such as "us", "eu" or "europe-west3"')).min(1),
      }),
    )
    .min(1),
  /** Overrides the API root (tests: the local fake). Requests go to `<apiEndpoint>/bigquery/v2/...`. */
  apiEndpoint: z.url().optional(),
  /** `access-token`: a bearer token (from a secret); `application-default`: Google ADC of the worker. */
  credentials: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('access-token'), token: z.string().min(1) }),
      z.object({ kind: z.literal('application-default') }),
    ])
    .default({ kind: 'application-default' }),
  /** How far back the first run reads (ms). */
  initialLookbackMs: z.number().int().positive().default(24 * 3600_000),
  /** Never read closer to now than this (ms): JOBS rows of running jobs are still changing. */
  lagMs: z.number().int().min(0).default(10 * 60_000),
  /** The longest window one pull reads per project and region (ms). */
  maxWindowMs: z.number().int().positive().default(6 * 3600_000),
  /** Rows per getQueryResults page. */
  pageSize: z.number().int().min(1).max(100_000).default(1000),
  /** Read INFORMATION_SCHEMA.COLUMNS for written tables (schema facets). */
  readColumns: z.boolean().default(true),
  /** JOBS keeps 180 days; an older cursor is clamped and the gap reported. */
  retentionMs: z.number().int().positive().default(180 * 24 * 3600_000),
  /** Job namespace of the emitted OpenLineage events. */
  jobNamespace: z.string().min(1).default('bigquery'),
});

export type BigQueryConfig = z.infer<typeof bigqueryConfigSchema>;
