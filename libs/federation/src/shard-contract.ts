/**
 * Every message of the shard contract with its request and response type: the one table ShardClient.call and the
 * shard's handlers are checked against. To add a message: its pattern in ShardRpcPatterns (or in a sibling
 * `*.contract.ts` spread into it), its request/response types, and one line here (libs/federation/README.md).
 */
import type {
  ExpandRequest,
  ExpandResponse,
  FilterResponse,
  IngestBatchResult,
  IngestRequest,
  NodesRequest,
  NodesResponse,
  ShardInfo,
  ShardPattern,
  VersionResponse,
} from './shard-rpc.contract';
import type * as R from './shard-reads.contract';
import type * as F from './findings-rpc.contract';
import type { FindingsRpcPatterns } from './findings-rpc.contract';
import type * as C from './classification-rpc.contract';
import type { ClassificationRpcPatterns } from './classification-rpc.contract';
import type * as D from './delivery-rpc.contract';
import type { DeliveryRpcPatterns } from './delivery-rpc.contract';

interface Message<Req, Res> {
  request: Req;
  response: Res;
}

export interface ShardMessages {
  'lineage.expand': Message<ExpandRequest, ExpandResponse>;
  'lineage.filter': Message<R.NoRequest, FilterResponse>;
  'shard.info': Message<R.NoRequest, ShardInfo>;
  'shard.version': Message<R.NoRequest, VersionResponse>;
  'lineage.ingest': Message<IngestRequest, IngestBatchResult>;
  'marquez.nodes': Message<NodesRequest, NodesResponse>;
  'marquez.namespaces': Message<R.NoRequest, R.NamespacesResponse>;
  'marquez.namespace': Message<R.NamespaceRequest, R.MarquezRecord>;
  'marquez.datasets': Message<R.NamespacePageRequest, R.DatasetsResponse>;
  'marquez.dataset': Message<R.DatasetRequest, R.MarquezRecord>;
  'marquez.dataset-versions': Message<R.DatasetPageRequest, R.DatasetVersionsResponse>;
  'marquez.jobs': Message<R.NamespacePageRequest, R.JobsResponse>;
  'marquez.job': Message<R.JobRequest, R.MarquezRecord>;
  'marquez.runs': Message<R.JobPageRequest, R.RunsResponse>;
  'marquez.run': Message<R.RunRequest, R.MarquezRecord>;
  'marquez.run-facets': Message<R.RunFacetsRequest, R.RunFacetsResponse>;
  'marquez.search': Message<R.SearchRequest, R.SearchResponse>;
  'marquez.events': Message<R.EventsRequest, R.EventsResponse>;
  'marquez.tags': Message<R.NoRequest, R.TagsResponse>;
  'marquez.lineage': Message<R.LineageRequest, R.LineageGraphResponse>;
  'marquez.column-lineage': Message<R.ColumnLineageRequest, R.LineageGraphResponse>;
  'observed-writes.list': Message<R.ObservedWritesRequest, R.ObservedWritesResponse>;
  'marquez.all-jobs': Message<R.AllJobsRequest, R.JobsResponse>;
  'marquez.stats': Message<R.StatsRequest, R.StatsResponse>;
  'marquez.search-v2beta': Message<R.SearchV2Request, R.SearchV2Response>;
  'marquez.dataset-versions-at': Message<R.DatasetVersionsAtRequest, R.DatasetVersionsAtResponse>;
  'findings.list': Message<F.FindingsListRequest, F.FindingsListResponse>;
  'findings.get': Message<F.FindingGetRequest, F.FindingGetResponse>;
  'freshness.get': Message<F.FreshnessRequest, F.FreshnessResponse>;
  'freshness-policies.get': Message<F.PoliciesRequest, F.PoliciesResponse>;
  'freshness-policies.put': Message<F.PutPoliciesRequest, F.PutPoliciesResponse>;
  'classification.of': Message<C.ClassificationRequest, C.ClassificationResponse>;
  'observed-writes.record': Message<D.ObservedWritesRecordRequest, D.RecordedCount>;
  'coverage.record': Message<D.CoverageRecordRequest, D.RecordedCount>;
}

export type ShardMessageName = keyof ShardMessages & string;
export type ShardRequest<M extends ShardMessageName> = ShardMessages[M]['request'];
export type ShardResponse<M extends ShardMessageName> = ShardMessages[M]['response'];

/** Compile-time check: every pattern has a row above, and every row a pattern. */
type AllPatterns =
  | ShardPattern
  | (typeof FindingsRpcPatterns)[keyof typeof F.FindingsRpcPatterns]
  | (typeof ClassificationRpcPatterns)[keyof typeof C.ClassificationRpcPatterns]
  | (typeof DeliveryRpcPatterns)[keyof typeof D.DeliveryRpcPatterns];
type Missing = Exclude<AllPatterns, ShardMessageName> | Exclude<ShardMessageName, AllPatterns>;
export const CONTRACT_COMPLETE: [Missing] extends [never] ? true : { missing: Missing } = true;
