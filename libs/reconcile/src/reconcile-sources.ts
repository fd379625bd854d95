/** What the evaluation reads: a shard's history, by subject. A shard adapts its store to this; tests and benches use HistorySnapshot. */
import type { FreshnessPolicy, NodeId } from '@lineage-hub/model';
import type { CoverageIndex } from './coverage-index';
import type { JobHintIndex } from './hint-match';
import type { ReconcileConfig, RunFact, WriteFact } from './reconcile.types';

export interface ReconcileSources {
  domain: string;
  now: number;
  config: ReconcileConfig;
  coverage: CoverageIndex;
  hintIndex: JobHintIndex<NodeId>;
  /** The run whose ExternalQueryRunFacet names this query id. */
  runsByQueryId: ReadonlyMap<string, RunFact>;
  writesTo(dataset: NodeId): readonly WriteFact[];
  /** The writes a run's external query id names: its own, or the statements of a BigQuery job reference with that bare job id (query-id.ts). */
  writeByQueryId(queryId: string): readonly WriteFact[];
  runsOf(job: NodeId): readonly RunFact[];
  runsOutputting(dataset: NodeId): readonly RunFact[];
  policyFor(dataset: NodeId): FreshnessPolicy | null;
}
