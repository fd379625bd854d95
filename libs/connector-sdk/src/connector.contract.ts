/**
 * The connector plugin contract. A connector is a package under connectors/<vendor> that exports one
 * ConnectorFactory; the worker's composition root lists the factories in a registry (a duplicate id
 * fails startup). A connector never schedules itself: the worker calls pull() with the last cursor.
 */
import type { ObservedWrite } from '@lineage-hub/model';
import type { z } from 'zod';

/** Opaque to the worker; JSON-serialisable; persisted after each batch. */
export type Cursor = Record<string, unknown>;

/** The kinds of gap the worker records; `kind` stays a string so vendors may add their own. */
export type CoverageGapKind = 'window-not-read' | 'cap-hit' | 'retention-horizon' | 'partial' | 'cursor-invalid';

export interface CoverageGap {
  /** 'window-not-read' | 'cap-hit' | 'retention-horizon' | 'partial' | 'cursor-invalid' */
  kind: CoverageGapKind | (string & {});
  from: number;
  to: number;
  reason: string;
}

export interface Coverage {
  windowStart: number;
  windowEnd: number;
  rowsRead: number;
  gaps: CoverageGap[];
  /** How many written statements got column lineage from their SQL; `reason` says why some did not. */
  columnLineage?: { statements: number; withColumns: number; reason?: string };
}

export interface PullBatch {
  /** OpenLineage RunEvents for what the source says ran (canonical names through libs/model). */
  events: Record<string, any>[];
  observedWrites: ObservedWrite[];
  /** The cursor to resume from once this batch is delivered. */
  cursor: Cursor;
  coverage: Coverage;
}

/** A request to the hub's SQL lineage (libs/sql-lineage), which the worker lends connectors through their context. */
export interface SqlLineageRequest {
  sql: string;
  dialect: 'redshift' | 'bigquery' | 'snowflake' | 'postgres';
  defaultDatabase?: string;
  defaultSchema?: string;
}

/** Column lineage of one statement, table names as written in the SQL (the connector canonicalises them). */
export interface SqlColumnLineage {
  /** The table written, as named in the statement (e.g. "public.orders" or "dev.public.orders"). */
  target: string;
  columns: Array<{
    column: string;
    sources: Array<{ table: string; column: string; transformation?: { type: string; subtype?: string } }>;
  }>;
}

/** Rate limiting is the worker's: a connector wraps each vendor request in ctx.schedule(). */
export interface ConnectorContext {
  connectorId: string;
  /** Run one vendor request under the account's shared limiter. */
  schedule<T>(fn: () => Promise<T>, opts?: { weight?: number }): Promise<T>;
  /** Tell the limiter what the vendor said about its budget (e.g. Salesforce Sforce-Limit-Info). */
  reportBudget?(budget: { used: number; max: number }): void;
  now(): number;
  signal?: AbortSignal;
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, meta?: Record<string, unknown>): void;
  /**
   * Column lineage from SQL text, when the hub has it (libs/sql-lineage, wired by the worker). Undefined, or
   * null for a statement it cannot parse: the connector then emits table lineage only and says so in coverage.
   */
  sqlLineage?(request: SqlLineageRequest): SqlColumnLineage[] | null;
  /**
   * An explicit window (a backfill or re-run through the admin API): read exactly the statements that started in
   * [from, to), ignoring the cursor's watermark and overlap; the worker does not keep the cursor such a pull yields.
   * Two pulls over adjacent windows give exactly what one pull over both gives.
   */
  window?: { from: number; to: number };
}

export interface Connector {
  /**
   * The dataset namespace this connector observes (OpenLineage naming, e.g. `snowflake://acme`, `bigquery`):
   * the worker files each run's coverage record under it, which the shard's reconciliation matches with datasets.
   */
  readonly namespace?: string;
  pull(cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<PullBatch>;
  close?(): Promise<void>;
}

export interface ConnectorFactory<C = any> {
  /** The connector kind, e.g. "redshift". Unique in the registry. */
  kind: string;
  /** Validates vendor settings; secrets arrive already resolved from env references. */
  configSchema: z.ZodType<C>;
  /** Key of the vendor account the limiter is shared by (e.g. cluster endpoint, org id). */
  accountKey(config: C): string;
  /** Vendor error -> neutral code; one pure function per vendor. */
  mapError(err: unknown): ConnectorError;
  create(config: C): Connector;
  /**
   * The cursor that makes the next pull start at `at` (epoch ms): how `PUT /api/v1/connectors/{id}/cursor` with a
   * `watermark` moves a connector back (re-read) or forward (skip). Absent: only a raw cursor can be set.
   */
  cursorAt?(config: C, at: number): Cursor;
}

export type ConnectorErrorCode = 'transient' | 'rate-limited' | 'auth-failed' | 'not-found' | 'cursor-invalid';

/** Every neutral code, for exhaustive tests and config validation. */
export const CONNECTOR_ERROR_CODES: readonly ConnectorErrorCode[] = [
  'transient',
  'rate-limited',
  'auth-failed',
  'not-found',
  'cursor-invalid',
];

export class ConnectorError extends Error {
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly retryAfterMs?: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
