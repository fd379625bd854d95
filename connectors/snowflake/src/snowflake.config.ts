/** Settings of one Snowflake connector instance (one account). */
import { z } from 'zod';

/** ACCOUNT_USAGE views trail real time by up to 3 hours (ACCESS_HISTORY); a window never comes closer. */
export const ACCOUNT_USAGE_LATENCY_MS = 3 * 3600_000;

export const snowflakeConfigSchema = z.object({
  /** Account identifier, preferably `<org>-<account>` (also the dataset namespace `snowflake://<account>`). */
  account: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'an account identifier such as "acme-prod" or "xy12345.eu-central-1"'),
  /** Overrides https://<account>.snowflakecomputing.com (tests: the local fake). */
  accessUrl: z.url().optional(),
  username: z.string().min(1),
  password: z.string().min(1),
  warehouse: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  /** Never read closer to now than this: the view may still be filling. At least the documented 3 h. */
  latencyMs: z
    .number()
    .int()
    .min(ACCOUNT_USAGE_LATENCY_MS, `ACCESS_HISTORY trails by up to 3 h; latencyMs must be at least ${ACCOUNT_USAGE_LATENCY_MS}`)
    .default(ACCOUNT_USAGE_LATENCY_MS),
  initialLookbackMs: z.number().int().positive().default(24 * 3600_000),
  maxWindowMs: z.number().int().positive().default(6 * 3600_000),
  /** Rows per statement (LIMIT), each page one limiter-scheduled request. */
  pageSize: z.number().int().min(1).max(100_000).default(5000),
  /** The connector's own bound on every statement (the SDK retries HTTP 429/5xx for a long time on its own). */
  statementTimeoutMs: z.number().int().positive().default(10 * 60_000),
  /** Job namespace of the emitted events (default: the dataset namespace). */
  jobNamespace: z.string().min(1).optional(),
});

export type SnowflakeConfig = z.infer<typeof snowflakeConfigSchema>;
