/** Every rule over every subject of a snapshot: the drafts a full evaluation raises. */
import type { FreshnessModel, NodeId } from '@lineage-hub/model';
import { evaluateConnectors, evaluateDataset, evaluateJob } from './evaluate';
import type { FreshnessVerdict } from './freshness/freshness-evaluator';
import type { HistorySnapshot } from './history-snapshot';
import type { FindingDraft } from './reconcile.types';

export interface FullEvaluation {
  drafts: FindingDraft[];
  models: Map<NodeId, FreshnessModel>;
  freshness: Map<NodeId, FreshnessVerdict>;
}

export const evaluateAll = (snapshot: HistorySnapshot): FullEvaluation => {
  const drafts: FindingDraft[] = [];
  const models = new Map<NodeId, FreshnessModel>();
  const freshness = new Map<NodeId, FreshnessVerdict>();
  for (const dataset of snapshot.datasets()) {
    const e = evaluateDataset(dataset, snapshot);
    drafts.push(...e.drafts);
    models.set(dataset, e.model);
    freshness.set(dataset, e.freshness);
  }
  for (const job of snapshot.jobs()) drafts.push(...evaluateJob(job, snapshot));
  drafts.push(...evaluateConnectors(snapshot));
  return { drafts, models, freshness };
};
