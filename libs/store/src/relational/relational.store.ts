/**
 * The store over SQL, shared by the SQLite and PostgreSQL adapters (one file each, differing only in the driver).
 * It holds no logic of its own: migrations (schema.migrator.ts), the write path (relational-writes.ts), the read
 * path (relational-reads.ts), the graph snapshot (graph-snapshot.reader.ts) and the chain check (chain.verifier.ts).
 */
import { DomainError, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import type {
  ActivityKind,
  CreatedCountsFilter,
  ChainVerification,
  ColumnLineageRecord,
  EventTypeCounts,
  DatasetRecord,
  DatasetVersionRecord,
  DerivedRow,
  DerivedTable,
  GraphSnapshot,
  IngestInput,
  IngestResult,
  JobRecord,
  LineageStore,
  NamespaceRecord,
  Page,
  RunRecord,
  RunState,
  SearchHit,
  StoredEvent,
} from '../lineage-store.port';
import type { FindingsStore } from '../findings/findings-store.port';
import { SqlFindingsStore } from '../findings/sql-findings.store';
import type { SqlDriver } from '../sql/sql-driver';
import { verifyChain } from './chain.verifier';
import { eventsBySeq, headSeq, readDerivedRows } from './derived-rows.reader';
import { loadGraph } from './graph-snapshot.reader';
import { ActivityStatsReads } from './activity-stats.reads';
import { DatasetVersionReads } from './dataset-version.reads';
import { RelationalReads } from './relational-reads';
import { RelationalWrites } from './relational-writes';
import { migrateSchema } from './schema.migrator';

const readOnly = (broken: ChainVerification) =>
  new DomainError(
    'unavailable',
    `chain: the event chain is broken at event ${broken.brokenAt} (${broken.reason}); the store is read-only until an operator repairs it`,
    'chain',
  );

export abstract class RelationalLineageStore implements LineageStore {
  private readonly writes: RelationalWrites;
  private readonly reads: RelationalReads;
  private readonly versions: DatasetVersionReads;
  private readonly activity: ActivityStatsReads;
  /** Set when verifyChain() found the chain broken: the store refuses to extend it (read-only). */
  private broken: ChainVerification | null = null;
  /** Findings, freshness, policies and coverage (libs/store/src/findings). */
  readonly findings: FindingsStore;

  protected constructor(
    protected readonly db: SqlDriver,
    private readonly clock: () => number = Date.now,
  ) {
    this.writes = new RelationalWrites(db, clock);
    this.reads = new RelationalReads(db);
    this.versions = new DatasetVersionReads(db);
    this.activity = new ActivityStatsReads(db, db.dialect);
    this.findings = new SqlFindingsStore(db);
  }

  migrate(): Promise<void> {
    return migrateSchema(this.db, this.clock);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  ingest(batch: IngestInput[]): Promise<IngestResult> {
    if (this.broken) return Promise.reject(readOnly(this.broken));
    return this.writes.ingest(batch);
  }

  async verifyChain(): Promise<ChainVerification> {
    const result = await verifyChain(this.db);
    if (!result.ok) this.broken = result;
    return result;
  }

  brokenChain(): ChainVerification | null {
    return this.broken;
  }

  loadGraph(): Promise<GraphSnapshot> {
    return loadGraph(this.db);
  }

  recordObservedWrites(writes: ObservedWrite[]): Promise<{ inserted: number; duplicates: number }> {
    return this.writes.recordObservedWrites(writes);
  }

  listObservedWrites(filter: { dataset?: NodeId; since?: number; until?: number }, page: Page): Promise<ObservedWrite[]> {
    return this.reads.listObservedWrites(filter, page);
  }

  listNamespaces(): Promise<NamespaceRecord[]> {
    return this.reads.listNamespaces();
  }

  listDatasets(namespace: string, page: Page): Promise<{ items: DatasetRecord[]; total: number }> {
    return this.reads.listDatasets(namespace, page);
  }

  getDataset(id: NodeId): Promise<DatasetRecord | null> {
    return this.reads.getDataset(id);
  }

  getDatasets(ids: NodeId[]): Promise<DatasetRecord[]> {
    return this.reads.getDatasets(ids);
  }

  listDatasetVersions(id: NodeId, page: Page): Promise<{ items: DatasetVersionRecord[]; total: number }> {
    return this.versions.listDatasetVersions(id, page);
  }

  currentVersions(ids: NodeId[]): Promise<Map<NodeId, string>> {
    return this.versions.currentVersions(ids);
  }

  datasetVersionsAt(requests: Array<{ dataset: NodeId; at: number; exceptRun?: string }>): Promise<Array<string | null>> {
    return this.versions.versionsAt(requests);
  }

  columnLineage(ids: NodeId[]): Promise<Map<NodeId, ColumnLineageRecord[]>> {
    return this.versions.columnLineage(ids);
  }

  listJobs(namespace: string | null, page: Page, filter?: { latestRunStates?: RunState[] }): Promise<{ items: JobRecord[]; total: number }> {
    return this.reads.listJobs(namespace, page, filter);
  }

  getJob(id: NodeId): Promise<JobRecord | null> {
    return this.reads.getJob(id);
  }

  getJobs(ids: NodeId[]): Promise<JobRecord[]> {
    return this.reads.getJobs(ids);
  }

  listRuns(job: NodeId, page: Page): Promise<{ items: RunRecord[]; total: number }> {
    return this.reads.listRuns(job, page);
  }

  getRun(runId: string): Promise<RunRecord | null> {
    return this.reads.getRun(runId);
  }

  getRuns(runIds: string[]): Promise<RunRecord[]> {
    return this.reads.getRuns(runIds);
  }

  latestRuns(jobIds: NodeId[]): Promise<Map<NodeId, RunRecord>> {
    return this.reads.latestRuns(jobIds);
  }

  search(query: string, opts: { type?: 'DATASET' | 'JOB'; namespace?: string; limit: number }): Promise<SearchHit[]> {
    return this.reads.search(query, opts);
  }

  countSearch(query: string, opts: { type?: 'DATASET' | 'JOB'; namespace?: string }): Promise<number> {
    return this.reads.countSearch(query, opts);
  }

  eventTypeCounts(boundaries: number[]): Promise<EventTypeCounts[]> {
    return this.activity.eventTypeCounts(boundaries);
  }

  createdCounts(kind: ActivityKind, boundaries: number[], filter?: CreatedCountsFilter): Promise<number[]> {
    return this.activity.createdCounts(kind, boundaries, filter);
  }

  listEvents(opts: { after?: number; before?: number; sortDirection: 'asc' | 'desc' } & Page): Promise<{ items: StoredEvent[]; total: number }> {
    return this.reads.listEvents(opts);
  }

  headSeq(): Promise<number> {
    return headSeq(this.db);
  }

  eventsBySeq(afterSeq: number, limit: number): Promise<Array<StoredEvent & { hash: string }>> {
    return eventsBySeq(this.db, afterSeq, limit);
  }

  derivedRows(table: DerivedTable): Promise<DerivedRow[]> {
    return readDerivedRows(this.db, table);
  }

  stats(): Promise<{ events: number; datasets: number; jobs: number; runs: number; edges: number }> {
    return this.reads.stats();
  }
}
