/**
 * The finding contract: what the shards' reconciliation (libs/reconcile) raises and stores, what the gateway
 * federates and what alerts, the web UI and the CLI consume. Plain data; times are epoch milliseconds (UTC).
 */
import type { NodeId } from './node-id';

export const FINDING_KINDS = [
  'undeclared-write',
  'undeclared-delete',
  'undeclared-read',
  'unobserved-output',
  'stale',
  'stalled-run',
  'failed-run',
  'missing-input',
  'coverage-gap',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_STATUSES = ['open', 'resolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** high: direct evidence (a write no run explains, a FAIL event); medium: inferred from history; low: weak signal. */
export type FindingConfidence = 'high' | 'medium' | 'low';

/** An observed write (or delete) cited as evidence. */
export interface EvidenceWrite {
  dataset: NodeId;
  at: number;
  operation?: string;
  actor?: string;
  queryId: string;
  /** The first characters of the query text (or its digest). */
  textExcerpt?: string;
  rows?: number;
  connectorId: string;
}

/** A declared run cited as evidence. */
export interface EvidenceRun {
  runId: string;
  job: NodeId;
  state: string;
  startedAt: number | null;
  endedAt: number | null;
}

/**
 * The writes, runs and numbers that support a finding. Every field is optional; each kind fills what it has
 * (see the comments). Consumers render what is present and ignore the rest.
 */
export interface FindingEvidence {
  /** undeclared-write/-delete/-read: the observed statements; unobserved-output: writes near the run, if any. */
  writes?: EvidenceWrite[];
  /** failed-run, stalled-run, missing-input, unobserved-output: the runs concerned. */
  runs?: EvidenceRun[];
  /** stale: expected update by this time. */
  expectedBy?: number;
  /** stale: last update seen (null: never). */
  lastUpdate?: number | null;
  /** stale: the usual gap between updates (learned) or the policy's allowance. */
  usualGapMs?: number;
  /** stale: where the expectation comes from. */
  source?: FreshnessSource;
  /** stale (policy with warnAfter/errorAfter): which threshold was crossed. */
  level?: 'warn' | 'error';
  /** stale: the policy applied, when source is policy. */
  policy?: FreshnessPolicy;
  /** stalled-run: how long the run has been open and the limit it passed. */
  elapsedMs?: number;
  limitMs?: number;
  /** undeclared-read / missing-input: the dataset concerned. */
  input?: NodeId;
  /** missing-input: the input was read in `seenInRuns` of the previous `ofRuns` runs. */
  seenInRuns?: number;
  ofRuns?: number;
  /** undeclared-read: how the query was attributed to the job (queryId, hint:<name>, actor). */
  attributedBy?: string;
  /** coverage-gap: the connector instance, its platform, how far it is covered and the allowed lag. */
  connectorId?: string;
  platform?: string;
  coveredUntil?: number | null;
  lagMs?: number;
  allowedLagMs?: number;
  /** coverage-gap: a window a connector run recorded as not covered. */
  gap?: { from: number; to: number; reason?: string };
}

export interface Finding {
  /** Opaque, stable per key and episode: a finding that resolves and reopens gets a new id, the same key. */
  id: string;
  /** Stable identity of the condition: `${kind}|${subject}|${detail}` (e.g. the write's query id, the run id). */
  key: string;
  kind: FindingKind;
  dataset?: NodeId;
  job?: NodeId;
  /** The domain (shard) that raised it. */
  domain: string;
  status: FindingStatus;
  openedAt: number;
  resolvedAt: number | null;
  /** Last evaluation that still saw the condition (or changed the evidence). */
  updatedAt: number;
  confidence: FindingConfidence;
  /** One line for humans: what happened, in the terms of the evidence. */
  summary: string;
  evidence: FindingEvidence;
}

/** One change of a finding, kept as its history. */
export interface FindingHistoryEntry {
  findingId: string;
  at: number;
  change: 'opened' | 'updated' | 'resolved';
  summary: string;
}

/** A finding read with its history (GET /api/v1/findings/{id}). */
export interface FindingDetail extends Finding {
  history: FindingHistoryEntry[];
}

/** GET /api/v1/findings filters. */
export interface FindingQuery {
  kind?: FindingKind;
  status?: FindingStatus;
  dataset?: NodeId;
  job?: NodeId;
  /** Findings opened or changed at or after this time. */
  since?: number;
  limit?: number;
  cursor?: string;
}

export interface FindingPage {
  findings: Finding[];
  nextCursor: string | null;
}

/* ---------------------------------------------------------------- freshness */

export type FreshnessSource = 'policy' | 'learned';

/**
 * An expected-freshness policy. Exactly one target (`dataset`, `tag`, `namespace`, `domain`); the most specific
 * matching policy wins (dataset > tag > namespace > domain). Either `warnAfter`/`errorAfter` (durations since
 * the last update: "90m", "6h", "2d", or ISO-8601 "PT6H") or a `deadline` (cron + IANA time zone: the dataset
 * must have been updated since the last due time, e.g. `0 6 * * 1-5` Europe/Berlin = weekdays by 06:00).
 */
export interface FreshnessPolicy {
  dataset?: NodeId;
  tag?: string;
  namespace?: string;
  domain?: string;
  warnAfter?: string;
  errorAfter?: string;
  deadline?: { cron: string; timeZone: string };
}

/** The policy document (FRESHNESS_FILE, GET|PUT /api/v1/freshness-policies). */
export interface FreshnessPolicyDocument {
  policies: FreshnessPolicy[];
}

/**
 * A dataset's learned cadence: the high quantile of the gap that follows an update, per hour of week of that
 * update (0 = Monday 00:00-01:00 UTC ... 167), from the history since the last cadence change.
 */
export interface FreshnessModel {
  dataset: NodeId;
  state: 'learning' | 'learned';
  /** Updates in the history the model was learned from (>= 7 to leave `learning`). */
  updates: number;
  lastUpdate: number | null;
  /** Start of the history used (moves forward when the cadence changes). */
  learnedSince: number | null;
  /** Expected gap (ms, quantile x margin, guarded) after an update in each hour of week; null: none seen nearby. */
  gapByHourOfWeek: (number | null)[];
  /** The usual gap over all hours (the median), for display. */
  usualGapMs: number | null;
}

/** GET /api/v1/freshness?dataset= */
export interface FreshnessState {
  dataset: NodeId;
  /** learning: fewer than 7 updates and no policy; unknown: no history and no policy. */
  state: 'learning' | 'learned' | 'policy' | 'unknown';
  source: FreshnessSource | null;
  status: 'fresh' | 'stale' | 'unknown';
  lastUpdate: number | null;
  expectedBy: number | null;
  usualGapMs: number | null;
  updates: number;
  policy: FreshnessPolicy | null;
  /**
   * Stale at the `warn` level of a warnAfter/errorAfter policy: when it turns `error` (the dataset is evaluated again
   * then, though nothing changed). Absent otherwise.
   */
  escalatesAt?: number;
}

/* ---------------------------------------------------------------- coverage */

/** What a connector run covered (reported by the worker with its results). */
export interface CoverageRecord {
  connectorId: string;
  /** Vendor platform: snowflake, bigquery, redshift, salesforce, ... */
  platform: string;
  /** Dataset namespace the connector observes (e.g. snowflake://acme). */
  namespace: string;
  /** Window covered completely by this run. */
  from: number;
  to: number;
  /** Windows inside [from, to) the run could not read. */
  gaps: { from: number; to: number; kind?: string; reason?: string }[];
  recordedAt: number;
}
