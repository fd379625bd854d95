/**
 * ReconcileSources over in-memory arrays: the facts indexed once by dataset, job and query id. Used where the
 * whole history is at hand (tests, benches, a shard's full evaluation).
 */
import type { FreshnessPolicy, NodeId } from '@lineage-hub/model';
import { CoverageIndex } from './coverage-index';
import { PolicyResolver } from './freshness/policy-resolver';
import { JobHintIndex } from './hint-match';
import { nameOf, namespaceOf } from './node-parts';
import { pushTo } from './multi-map';
import { writesByQueryKey } from './query-id';
import type { ReconcileSources } from './reconcile-sources';
import type { CoverageFact, ReconcileConfig, RunFact, WriteFact } from './reconcile.types';

export interface HistoryFacts {
  domain: string;
  writes: readonly WriteFact[];
  runs: readonly RunFact[];
  coverage: readonly CoverageFact[];
  policies: readonly FreshnessPolicy[];
  /** Tags per dataset (for tag policies). */
  tags?: ReadonlyMap<NodeId, readonly string[]>;
  /** Jobs known without runs in this history (hint targets). */
  jobs?: readonly NodeId[];
  /**
   * An index already built over exactly `jobs` with hintIndexOf (a shard keeps it between evaluations): used as it
   * is when it also holds every job of `runs`, rebuilt otherwise.
   */
  jobHints?: JobHintIndex<NodeId>;
  /** An index already built over exactly `coverage` (a shard that asked it before building the snapshot). */
  coverageIndex?: CoverageIndex;
}

const EMPTY: never[] = [];

export class HistorySnapshot implements ReconcileSources {
  readonly domain: string;
  readonly coverage: CoverageIndex;
  readonly hintIndex: JobHintIndex<NodeId>;
  readonly runsByQueryId = new Map<string, RunFact>();
  private readonly writesByDataset = new Map<NodeId, WriteFact[]>();
  /** Built on first use: only runs that carry query ids ask (most histories never do). */
  private writesByQuery: Map<string, WriteFact[]> | null = null;
  private readonly runsByJob = new Map<NodeId, RunFact[]>();
  private readonly runsByOutput = new Map<NodeId, RunFact[]>();
  private readonly resolver: PolicyResolver;

  constructor(
    private readonly facts: HistoryFacts,
    readonly config: ReconcileConfig,
    readonly now: number,
  ) {
    this.domain = facts.domain;
    for (const w of facts.writes) pushTo(this.writesByDataset, w.dataset, w);
    for (const r of facts.runs) {
      pushTo(this.runsByJob, r.job, r);
      for (const o of r.outputs) pushTo(this.runsByOutput, o, r);
      for (const q of r.externalQueryIds) this.runsByQueryId.set(q, r);
    }
    this.hintIndex = facts.jobHints && this.covers(facts.jobHints) ? facts.jobHints : HistorySnapshot.hintIndexOf([...this.runsByJob.keys(), ...(facts.jobs ?? [])]);
    this.coverage = facts.coverageIndex ?? new CoverageIndex(facts.coverage);
    this.resolver = new PolicyResolver(facts.policies);
  }

  /** The hint index over these jobs (each once). */
  static hintIndexOf(jobs: Iterable<NodeId>): JobHintIndex<NodeId> {
    return new JobHintIndex([...new Set(jobs)].map((id) => ({ id, name: nameOf(id) })));
  }

  /** Does a prebuilt index (over exactly `jobs`) hold the jobs of the runs too? */
  private covers(index: JobHintIndex<NodeId>): boolean {
    for (const j of this.runsByJob.keys()) if (!index.ids.has(j)) return false;
    return true;
  }

  datasets(): NodeId[] {
    return [...new Set<NodeId>([...this.writesByDataset.keys(), ...this.runsByOutput.keys()])];
  }

  jobs(): NodeId[] {
    return [...this.runsByJob.keys()];
  }

  writesTo(dataset: NodeId) {
    return this.writesByDataset.get(dataset) ?? EMPTY;
  }

  writeByQueryId(queryId: string) {
    this.writesByQuery ??= writesByQueryKey(this.facts.writes);
    return this.writesByQuery.get(queryId) ?? EMPTY;
  }

  runsOf(job: NodeId) {
    return this.runsByJob.get(job) ?? EMPTY;
  }

  runsOutputting(dataset: NodeId) {
    return this.runsByOutput.get(dataset) ?? EMPTY;
  }

  policyFor(dataset: NodeId): FreshnessPolicy | null {
    if (this.resolver.empty) return null; // most shards: no policy, no id to parse
    return this.resolver.resolve({ dataset, namespace: namespaceOf(dataset), tags: this.facts.tags?.get(dataset) ?? [], domain: this.domain });
  }
}
