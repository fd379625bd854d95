/**
 * The plain facts the rules read (a shard adapts its store rows to these) and what they produce. Times are
 * epoch milliseconds (UTC). Nothing here does I/O.
 */
import type { CoverageRecord, FindingConfidence, FindingEvidence, FindingKind, NodeId } from '@lineage-hub/model';

/** The job hints a vendor kept about a statement (same shape as libs/model's JobHints). */
export interface WriteHints {
  airflowDag?: string;
  airflowTask?: string;
  dbtNode?: string;
  labels?: Record<string, string>;
  queryTag?: string;
  queryLabel?: string;
}

/** An observed statement that touched a dataset. */
export interface WriteFact {
  dataset: NodeId;
  at: number;
  /** INSERT, COPY, CTAS, MERGE, UPDATE, DELETE, TRUNCATE, ...; absent: a data write. */
  operation?: string;
  actor?: string;
  queryId: string;
  /** The statement that ran this one (a BigQuery script's job, a Snowflake procedure's CALL): a run naming it names this one. */
  rootQueryId?: string;
  queryText?: string;
  rows?: number;
  connectorId: string;
  /** Datasets the statement read. */
  sources: NodeId[];
  hints?: WriteHints;
}

export type RunState = 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT' | 'OTHER';

/** A declared (OpenLineage) run. */
export interface RunFact {
  runId: string;
  job: NodeId;
  state: RunState;
  startedAt: number | null;
  endedAt: number | null;
  inputs: NodeId[];
  outputs: NodeId[];
  /** ExternalQueryRunFacet externalQueryId values of the run (and of its child runs). */
  externalQueryIds: string[];
}

export type CoverageFact = CoverageRecord;

/** What a rule raises: a finding without its lifecycle fields. */
export interface FindingDraft {
  key: string;
  kind: FindingKind;
  dataset?: NodeId;
  job?: NodeId;
  confidence: FindingConfidence;
  summary: string;
  evidence: FindingEvidence;
}

/** A configured actor: the job (or only the domain) its statements belong to. */
export interface ActorMapping {
  job?: NodeId;
  domain?: string;
}

export interface ReconcileConfig {
  /** A run covers a write from startedAt - slack to (endedAt or now) + slack. */
  slackMs: number;
  /** user or service account -> job/domain. */
  actors: Record<string, ActorMapping>;
  /** missing-input: an input read in at least `minRuns` of the last `ofRuns` runs. */
  missingInput: { minRuns: number; ofRuns: number };
  /** unobserved-output: the last N runs must all lack an observed write. */
  unobservedRuns: number;
  /** stalled-run: max(timeoutMs, quantile of learned durations x margin), learned from >= minRuns completed runs. */
  stalled: { timeoutMs: number; quantile: number; margin: number; minRuns: number };
  /** learned freshness. */
  freshness: {
    minUpdates: number;
    /** Updates closer than this are one update (a write and the end of the run that made it). */
    burstMs: number;
    quantile: number;
    margin: number;
    /** Floor on the allowance above the usual gap (guards tiny variance). */
    minSlackMs: number;
    /** Fraction of the usual gap added at least (guards tiny variance). */
    minSlackRatio: number;
    /** Recent gaps compared to the learned ones to detect a cadence change. */
    changeWindow: number;
    changeRatio: number;
  };
  /** coverage-gap: how far each platform's logs lag normally, plus schedule slack. */
  coverageLatencyMs: Record<string, number>;
  coverageDefaultLatencyMs: number;
  coverageSlackMs: number;
}
