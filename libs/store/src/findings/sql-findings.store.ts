/** FindingsStore over SQL (SQLite and PostgreSQL alike): the facts reader and the findings repository behind one port. */
import type { CoverageRecord, FindingQuery, FreshnessPolicyDocument, FreshnessState, NodeId } from '@lineage-hub/model';
import type { SqlDriver } from '../sql/sql-driver';
import { FindingsFactsReader } from './findings-facts.reader';
import type { FindingsChanges, FindingsMark, FindingsStore } from './findings-store.port';
import { FindingsRepository } from './findings.repository';

export class SqlFindingsStore implements FindingsStore {
  private readonly facts: FindingsFactsReader;
  private readonly repo: FindingsRepository;

  constructor(db: SqlDriver) {
    this.facts = new FindingsFactsReader(db);
    this.repo = new FindingsRepository(db);
  }

  scanRuns = (since: number) => this.facts.scanRuns(since);
  scanWrites = (since: number) => this.facts.scanWrites(since);
  runsOfJobs = (jobs: readonly NodeId[], since: number) => this.facts.runsOfJobs(jobs, since);
  writersOf = (datasets: readonly NodeId[]) => this.facts.writersOf(datasets);
  writesTo = (datasets: readonly NodeId[], since: number) => this.facts.writesTo(datasets, since);
  recentOrNamingWritesTo = (datasets: readonly NodeId[], since: number, recentSince: number, actors: readonly string[]) =>
    this.facts.recentOrNamingWritesTo(datasets, since, recentSince, actors);
  writesByQueryIds = (queryIds: readonly string[]) => this.facts.writesByQueryIds(queryIds);
  jobIds = () => this.facts.jobIds();
  datasetTags = (datasets?: readonly NodeId[]) => this.facts.datasetTags(datasets);
  changesSince = (mark: { eventSeq: number; writeSeq: number }) => this.facts.changesSince(mark);
  latestMark = () => this.facts.latestMark();
  jobsWithOpenRuns = () => this.facts.jobsWithOpenRuns();
  dueDatasets = (now: number) => this.facts.dueDatasets(now);

  recordCoverage = (records: readonly CoverageRecord[]) => this.repo.recordCoverage(records);
  listCoverage = (since: number) => this.repo.listCoverage(since);
  getPolicies = () => this.repo.getPolicies();
  putPolicies = (doc: FreshnessPolicyDocument, at: number) => this.repo.putPolicies(doc, at);
  getMark = () => this.repo.getMark();
  openFindings = (scope?: { datasets: readonly NodeId[]; jobs: readonly NodeId[] }) => this.repo.openFindings(scope);
  applyEvaluation = (changes: FindingsChanges, freshness: readonly FreshnessState[], mark: FindingsMark) => this.repo.applyEvaluation(changes, freshness, mark);
  listFindings = (query: FindingQuery) => this.repo.listFindings(query);
  getFinding = (id: string) => this.repo.getFinding(id);
  getFreshness = (dataset: NodeId) => this.repo.getFreshness(dataset);
  countOpenByKind = () => this.repo.countOpenByKind();
}
