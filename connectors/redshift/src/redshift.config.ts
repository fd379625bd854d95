/** The Redshift connector's settings, validated by the worker (and the admin API) before anything runs. */
import { z } from 'zod';

export const redshiftConfigSchema = z.object({
  /** Endpoint the `pg` client connects to (the cluster endpoint; 127.0.0.1 for the fake). */
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(5439),
  database: z.string().min(1),
  user: z.string().min(1),
  /** Arrives resolved from its env reference. */
  password: z.string().optional(),
  /** TLS: on for real clusters (certificate checked); off only for local fakes. */
  ssl: z.boolean().default(true),
  /** Cluster identifier and region name the OpenLineage namespace (never the socket host). */
  clusterIdentifier: z.string().regex(/^[a-z0-9][a-z0-9-]*$/i, 'letters, digits and "-" only'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as us-east-1'),
  /** Port in the namespace; defaults to `port`. */
  namespacePort: z.number().int().min(1).max(65535).optional(),
  /** provisioned: STL_* / SVV_TABLE_INFO; serverless: SYS_* views. */
  mode: z.enum(['provisioned', 'serverless']).default('provisioned'),
  /** Schema(s) holding the system tables (only for a fake; Redshift keeps them in pg_catalog). */
  searchPath: z.string().regex(/^[a-z_][a-z0-9_]*(,\s*[a-z_][a-z0-9_]*)*$/i).optional(),
  /** Width of one read window, minutes. */
  windowMinutes: z.number().positive().max(24 * 60).default(60),
  /** Re-read this much before the watermark (queries logged late), minutes; rows are deduped on (xid, query). */
  overlapMinutes: z.number().min(0).max(24 * 60).default(30),
  /** Do not read the last minutes (STL rows appear when statements finish). */
  lagMinutes: z.number().min(0).max(24 * 60).default(1),
  /** How far back the first pull reads, hours. */
  initialLookbackHours: z.number().positive().max(24 * 30).default(24),
  /** STL retention; a watermark older than this is a recorded gap. */
  retentionDays: z.number().positive().default(7),
  /** Most statements read per window; a fuller window is split in two (down to one second), then recorded as cap-hit. */
  maxStatementsPerWindow: z.number().int().min(1).max(100_000).default(5_000),
  statementTimeoutMs: z.number().int().min(100).default(120_000),
  connectionTimeoutMs: z.number().int().min(100).default(10_000),
});

export type RedshiftConfig = z.infer<typeof redshiftConfigSchema>;
