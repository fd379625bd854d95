/**
 * Gateway -> shard: what the gateway's redaction layer needs to know about the nodes of an answer (libs/auth
 * node-facts.ts). The shard classifies the datasets it holds from their current tags (OpenLineage tags facet,
 * column tags) under its RESTRICTED_TAGS rules.
 */
export const ClassificationRpcPatterns = {
  /** ClassificationRequest -> ClassificationResponse */
  of: 'classification.of',
} as const;

export interface ClassificationRequest {
  /** Dataset and job node ids (columns are asked for by their dataset). */
  ids: string[];
}

export interface ClassificationResponse {
  domain: string;
  /** The asked ids this shard holds. */
  held: string[];
  /** Held datasets restricted by a dataset tag. */
  restricted: string[];
  /** Held dataset id -> its columns restricted by a column tag. */
  restrictedColumns: Record<string, string[]>;
  /** The shard's graph version when it answered (callers cache the answer until the version moves on). */
  version?: number;
}
