/**
 * Gateway -> shard messages for findings and freshness (the same typed transport as shard-rpc.contract.ts).
 * Requests are validated at the gateway's edge (libs/model parseFindingQuery) and again at the shard.
 */
import type { FindingDetail, FindingPage, FindingQuery, FreshnessState, NodeId } from '@lineage-hub/model';

export const FindingsRpcPatterns = {
  /** FindingQuery -> FindingPage */
  list: 'findings.list',
  /** FindingGetRequest -> FindingDetail | null */
  get: 'findings.get',
  /** FreshnessRequest -> FreshnessState | null */
  freshness: 'freshness.get',
} as const;

export type FindingsListRequest = FindingQuery;
export type FindingsListResponse = FindingPage;

export interface FindingGetRequest {
  id: string;
}
export type FindingGetResponse = FindingDetail | null;

export interface FreshnessRequest {
  dataset: NodeId;
}
export type FreshnessResponse = FreshnessState | null;
