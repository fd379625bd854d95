/**
 * Gateway -> shard messages for findings and freshness (the same typed transport as shard-rpc.contract.ts).
 * Requests are validated at the gateway's edge (libs/model parseFindingQuery) and again at the shard.
 */
import type { FindingDetail, FindingPage, FindingQuery, FreshnessPolicyDocument, FreshnessState, NodeId } from '@lineage-hub/model';

export const FindingsRpcPatterns = {
  /** FindingQuery -> FindingPage */
  list: 'findings.list',
  /** FindingGetRequest -> FindingDetail | null */
  get: 'findings.get',
  /** FreshnessRequest -> FreshnessState | null */
  freshness: 'freshness.get',
  /** NoPolicyRequest -> FreshnessPolicyDocument (the shard's document in force) */
  policies: 'freshness-policies.get',
  /** PutPoliciesRequest -> FreshnessPolicyDocument; refused whole (invalid-argument naming the field), nothing applied */
  putPolicies: 'freshness-policies.put',
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

export type PoliciesRequest = Record<string, never>;
export type PoliciesResponse = FreshnessPolicyDocument;

export interface PutPoliciesRequest {
  /** The document as the client sent it: validated by the shard, which owns it. */
  document: unknown;
}
export type PutPoliciesResponse = FreshnessPolicyDocument;
