/**
 * The store port. Two adapters implement it (SQLite embedded default, PostgreSQL production) and one
 * conformance suite runs against both (libs/store/src/testing/store-conformance.ts).
 *
 * Semantics every adapter must keep:
 * - Raw events are appended, never edited; each row carries sha256(event) and a chain hash
 *   sha256(prevChainHash + eventHash). verifyChain() detects a changed or removed event.
 * - The same event twice changes nothing (duplicate = same event hash; reported `duplicate: true`).
 * - ingest() writes a whole batch in one transaction: the raw events and everything derived from them,
 *   durable when the promise resolves. Nothing is half-written.
 * - The derived graph does not depend on arrival order: the same events in any order give the same
 *   edges (with the same validFrom/validTo) and the same run states.
 */
import type { FindingsStore } from './findings/findings-store.port';
import type { GraphDelta, GraphSnapshot, NodeId, ObservedWrite, Provenance, Transformation } from '@lineage-hub/model';

/** The graph snapshot/delta types live in libs/model (the index and the store share them); re-exported here. */
export type { GraphDelta, GraphSnapshot };

/** An event that passed envelope validation, canonicalised (libs/model naming), with invalid facets removed. */
export interface IngestInput {
  /** The event as it will be derived from (canonical names, unusable facets dropped). */
  event: Record<string, any>;
  /** The event as received (stored raw, hashed into the chain). */
  raw: Record<string, any>;
  /** Provenance of the lineage it declares; 'declared' for OpenLineage producers. */
  provenance?: Provenance;
  receivedAt?: number;
}

export interface IngestOutcome {
  seq: number;
  duplicate: boolean;
}

export interface IngestResult {
  outcomes: IngestOutcome[];
  delta: GraphDelta;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first seq whose hash or chain link does not match, or where a seq is missing. */
  brokenAt?: number;
  reason?: string;
}

export interface Page {
  limit: number;
  offset: number;
}

export interface FieldRecord {
  name: string;
  type: string | null;
  description: string | null;
  tags: string[];
}

export interface DatasetRecord {
  id: NodeId;
  namespace: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  sourceName: string | null;
  description: string | null;
  fields: FieldRecord[];
  facets: Record<string, unknown>;
  currentVersion: string | null;
  lifecycleState: string | null;
  deleted: boolean;
  /** Aliases (symlinks) that resolve to this dataset. */
  aliases: NodeId[];
}

export interface DatasetVersionRecord {
  dataset: NodeId;
  version: string;
  createdAt: number;
  fields: FieldRecord[];
  /** The run that produced this version, when known. */
  runId: string | null;
  facets: Record<string, unknown>;
}

export type RunState = 'NEW' | 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT' | 'OTHER';

export interface RunRecord {
  runId: string;
  job: NodeId;
  state: RunState;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  nominalStartTime: string | null;
  nominalEndTime: string | null;
  facets: Record<string, unknown>;
  inputs: NodeId[];
  outputs: NodeId[];
  parentRunId: string | null;
}

export interface JobRecord {
  id: NodeId;
  namespace: string;
  name: string;
  type: string;
  createdAt: number;
  updatedAt: number;
  description: string | null;
  facets: Record<string, unknown>;
  inputs: NodeId[];
  outputs: NodeId[];
  latestRunId: string | null;
  location: string | null;
}

export interface NamespaceRecord {
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface StoredEvent {
  seq: number;
  receivedAt: number;
  eventTime: string | null;
  event: Record<string, any>;
}

export interface SearchHit {
  type: 'DATASET' | 'JOB';
  name: string;
  namespace: string;
  nodeId: NodeId;
  updatedAt: number;
}

/** A dataset field's current column lineage: the input fields it is derived from, with their transformations. */
export interface ColumnLineageRecord {
  dataset: NodeId;
  field: string;
  inputs: Array<{ namespace: string; dataset: string; field: string; transformations: Transformation[] }>;
}

/** OpenLineage run events of each type in one time bucket. */
export interface EventTypeCounts {
  start: number;
  complete: number;
  fail: number;
  abort: number;
}

/** The tables the write path derives from events (what `lineage verify --derived` rebuilds and compares). */
export type DerivedTable = 'namespaces' | 'datasets' | 'dataset_times' | 'dataset_versions' | 'jobs' | 'runs' | 'edges' | 'edge_owners' | 'aliases' | 'lifecycle';
/** One derived row, every value as text (or null), so rows of both adapters compare equal. */
export type DerivedRow = Record<string, string | null>;

/** What the dashboard counts over time. */
export type ActivityKind = 'jobs' | 'datasets' | 'sources';
/** Which datasets createdCounts counts (by their namespace); without it, all. */
export interface CreatedCountsFilter {
  datasetNamespace?: (namespace: string) => boolean;
}

export interface LineageStore {
  /** The findings side: reconciliation facts, findings with history, freshness, policies, coverage. */
  readonly findings: FindingsStore;

  /** Creates or upgrades the schema (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;

  ingest(batch: IngestInput[]): Promise<IngestResult>;
  /**
   * Walks the whole chain. A broken chain puts the store in read-only mode (ingest refused with
   * DomainError('unavailable', field 'chain'), reads still served) until the process restarts and verifies again.
   */
  verifyChain(): Promise<ChainVerification>;
  /** The last verification that found the chain broken (read-only since), or null. */
  brokenChain(): ChainVerification | null;
  /** Everything the in-memory index needs, at the current version. */
  loadGraph(): Promise<GraphSnapshot>;

  recordObservedWrites(writes: ObservedWrite[]): Promise<{ inserted: number; duplicates: number }>;
  listObservedWrites(filter: { dataset?: NodeId; since?: number; until?: number }, page: Page): Promise<ObservedWrite[]>;

  listNamespaces(): Promise<NamespaceRecord[]>;
  listDatasets(namespace: string, page: Page): Promise<{ items: DatasetRecord[]; total: number }>;
  getDataset(id: NodeId): Promise<DatasetRecord | null>;
  getDatasets(ids: NodeId[]): Promise<DatasetRecord[]>;
  /**
   * A dataset's versions as Marquez shows them, newest first: one per run that wrote it (derived from the runs and
   * the schema versions, id datasetRunVersionId), or its schema versions when no run wrote it.
   */
  listDatasetVersions(id: NodeId, page: Page): Promise<{ items: DatasetVersionRecord[]; total: number }>;
  /** Each dataset's newest version id (listDatasetVersions' first item), for those that have one. */
  currentVersions(ids: NodeId[]): Promise<Map<NodeId, string>>;
  /** For each request, the version of the dataset current at `at` (a run reading it saw this one), or null. */
  datasetVersionsAt(requests: Array<{ dataset: NodeId; at: number; exceptRun?: string }>): Promise<Array<string | null>>;
  /** The current column lineage of each dataset's fields; datasets without any are left out. */
  columnLineage(ids: NodeId[]): Promise<Map<NodeId, ColumnLineageRecord[]>>;
  /** Jobs of a namespace (null: of every namespace, by namespace then name), optionally only those whose latest run is in one of the states. */
  listJobs(namespace: string | null, page: Page, filter?: { latestRunStates?: RunState[] }): Promise<{ items: JobRecord[]; total: number }>;
  getJob(id: NodeId): Promise<JobRecord | null>;
  getJobs(ids: NodeId[]): Promise<JobRecord[]>;
  listRuns(job: NodeId, page: Page): Promise<{ items: RunRecord[]; total: number }>;
  getRun(runId: string): Promise<RunRecord | null>;
  /** The runs of these ids that exist, in the order asked, without repeats (one read, where getRun per id is one each). */
  getRuns(runIds: string[]): Promise<RunRecord[]>;
  /** Each job's latest run (the run JobRecord.latestRunId names), for the jobs that have one, read without their job rows. */
  latestRuns(jobIds: NodeId[]): Promise<Map<NodeId, RunRecord>>;
  search(query: string, opts: { type?: 'DATASET' | 'JOB'; namespace?: string; limit: number }): Promise<SearchHit[]>;
  /** How many hits search() would give without a limit. */
  countSearch(query: string, opts: { type?: 'DATASET' | 'JOB'; namespace?: string }): Promise<number>;
  /** OpenLineage run events per type in each bucket [boundaries[i], boundaries[i + 1]) of event time. */
  eventTypeCounts(boundaries: number[]): Promise<EventTypeCounts[]>;
  /**
   * How many jobs, datasets or sources had been created before the end of each bucket. With `datasetNamespace`, datasets
   * and sources count only datasets whose namespace it accepts (a source from the first such dataset); jobs ignore it.
   */
  createdCounts(kind: ActivityKind, boundaries: number[], filter?: CreatedCountsFilter): Promise<number[]>;
  listEvents(opts: { after?: number; before?: number; sortDirection: 'asc' | 'desc' } & Page): Promise<{ items: StoredEvent[]; total: number }>;
  /** The seq of the newest event (0 for an empty store). */
  headSeq(): Promise<number>;
  /** Raw events after `afterSeq`, in seq order (at most `limit`), each with its stored hash. */
  eventsBySeq(afterSeq: number, limit: number): Promise<Array<StoredEvent & { hash: string }>>;
  /** Every row of one derived table (the columns compared by `lineage verify --derived`). */
  derivedRows(table: DerivedTable): Promise<DerivedRow[]>;
  /** Row counts, for health and metrics. */
  stats(): Promise<{ events: number; datasets: number; jobs: number; runs: number; edges: number }>;
}

/** How a store is chosen: STORE_URL = sqlite:<file> | sqlite::memory: | postgres://... */
export type StoreUrl = string;
