/**
 * The findings side of a shard's store: the facts the reconciliation reads (runs, observed writes, coverage,
 * what changed since a mark) and what it writes (findings with their history, freshness states, the policy
 * document, its marks). Every write is one transaction.
 */
import type { CoverageRecord, Finding, FindingDetail, FindingHistoryEntry, FindingKind, FindingPage, FindingQuery, FreshnessPolicyDocument, FreshnessState, NodeId, ObservedWrite } from '@lineage-hub/model';

export interface FindingsMark {
  evaluatedAt: number;
  /** Highest raw event seq read. */
  eventSeq: number;
  /** Highest observed_writes.write_seq read (an insertion sequence growing in commit order, not a time). */
  writeSeq: number;
}

export interface FindingsChanges {
  opened: Finding[];
  updated: Finding[];
  refreshed: Finding[];
  resolved: Finding[];
  history: FindingHistoryEntry[];
}

export interface FindingsStore {
  /** Runs (kind 'run') started or ended at or after `since`. */
  scanRuns(since: number): Promise<FactRun[]>;
  /** Observed writes at or after `since`. */
  scanWrites(since: number): Promise<ObservedWrite[]>;
  runsOfJobs(jobs: readonly NodeId[], since: number): Promise<FactRun[]>;
  /** Jobs with a declared writes edge into each dataset. */
  writersOf(datasets: readonly NodeId[]): Promise<NodeId[]>;
  writesTo(datasets: readonly NodeId[], since: number): Promise<ObservedWrite[]>;
  /**
   * Writes to the datasets at or after `since` that are recent (at or after `recentSince`) or may name the job that
   * made them (they read something and carry job hints, or an actor of `actors`): what a job's rules read of the
   * outputs it is re-evaluated for, without their older history.
   */
  recentOrNamingWritesTo(datasets: readonly NodeId[], since: number, recentSince: number, actors: readonly string[]): Promise<ObservedWrite[]>;
  writesByQueryIds(queryIds: readonly string[]): Promise<ObservedWrite[]>;
  jobIds(): Promise<NodeId[]>;
  /** Tags (TagsDatasetFacet `key:value` and `key`, dataset-level first, then column tags) of the given datasets, or of every tagged one. */
  datasetTags(datasets?: readonly NodeId[]): Promise<Map<NodeId, string[]>>;
  /**
   * Jobs whose runs got events with seq > mark.eventSeq and datasets with writes of write_seq > mark.writeSeq, with
   * the new mark: each event and write is reported by exactly one call chained on the previous one's mark.
   */
  changesSince(mark: Pick<FindingsMark, 'eventSeq' | 'writeSeq'>): Promise<FindingsChangesSince>;
  /** The marks an evaluation of everything now would leave. */
  latestMark(): Promise<{ eventSeq: number; writeSeq: number }>;
  /** Jobs with a run still open (START/RUNNING). */
  jobsWithOpenRuns(): Promise<NodeId[]>;
  /** Datasets whose expected update is due at `now` and not yet judged stale, or stale at a warn level that turns error by `now`. */
  dueDatasets(now: number): Promise<NodeId[]>;

  recordCoverage(records: readonly CoverageRecord[]): Promise<{ inserted: number; duplicates: number }>;
  listCoverage(since: number): Promise<CoverageRecord[]>;

  getPolicies(): Promise<FreshnessPolicyDocument | null>;
  putPolicies(doc: FreshnessPolicyDocument, at: number): Promise<void>;

  getMark(): Promise<FindingsMark | null>;
  /** Open findings; with a scope, only those of its datasets or jobs and the connectors' (neither dataset nor job). */
  openFindings(scope?: { datasets: readonly NodeId[]; jobs: readonly NodeId[] }): Promise<Finding[]>;
  /** Findings changes, freshness states and the new mark, in one transaction. */
  applyEvaluation(changes: FindingsChanges, freshness: readonly FreshnessState[], mark: FindingsMark): Promise<void>;
  listFindings(query: FindingQuery): Promise<FindingPage>;
  getFinding(id: string): Promise<FindingDetail | null>;
  getFreshness(dataset: NodeId): Promise<FreshnessState | null>;
  countOpenByKind(): Promise<Partial<Record<FindingKind, number>>>;
}

/** What changed since a mark: the new observed writes themselves (in write_seq order) and the datasets they touched. */
export interface FindingsChangesSince {
  jobs: NodeId[];
  datasets: NodeId[];
  writes: ObservedWrite[];
  eventSeq: number;
  writeSeq: number;
}

/** A declared run as the rules read it. */
export interface FactRun {
  runId: string;
  job: NodeId;
  state: 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT' | 'OTHER';
  startedAt: number | null;
  endedAt: number | null;
  inputs: NodeId[];
  outputs: NodeId[];
  externalQueryIds: string[];
  /**
   * The last `since` whose history read (scanRuns, runsOfJobs) still returns this run: the later of its started_at
   * and ended_at columns; null while ended_at is unset (always returned). What a cache of the facts prunes by.
   */
  windowEnd: number | null;
}

