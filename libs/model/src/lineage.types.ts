/**
 * The derived lineage graph, as the store keeps it and the index and federation read it.
 * Times are epoch milliseconds (UTC). `validTo === null` means "still valid".
 */
import type { JobHints } from './job-hints';
import type { NodeId } from './node-id';
import type { WriteOperation } from './write-operation';

export type Provenance = 'declared' | 'observed' | 'manual';

/** OpenLineage column-lineage transformation (ColumnLineageDatasetFacet 1-2-0). */
export interface Transformation {
  type: 'DIRECT' | 'INDIRECT' | string;
  subtype?: string; // IDENTITY, TRANSFORMATION, AGGREGATION, JOIN, FILTER, GROUP_BY, SORT, WINDOW, CONDITIONAL
  description?: string;
  masking?: boolean;
}

/** job -> dataset (the job writes it) or dataset -> job (the job reads it). */
export interface LineageEdge {
  from: NodeId;
  to: NodeId;
  /** 'reads': dataset -> job; 'writes': job -> dataset. */
  kind: 'reads' | 'writes';
  provenance: Provenance;
  validFrom: number;
  validTo: number | null;
}

/** datasetField -> datasetField through a job. Dataset-level dependencies (INDIRECT on a whole dataset) have `from` = a dataset id. */
export interface ColumnEdge {
  from: NodeId; // datasetField (or dataset for dataset-level dependencies)
  to: NodeId; // datasetField
  job: NodeId | null;
  transformations: Transformation[];
  provenance: Provenance;
  validFrom: number;
  validTo: number | null;
}

/** An alias (symlink, registry entry) of a canonical dataset node. */
export interface AliasRecord {
  alias: NodeId;
  canonical: NodeId;
}

/**
 * What a connector saw a warehouse do: which statement touched which table, how (operation), who (actor), when,
 * by which query, with how many rows, and the job hints the vendor kept (labels, query tags, query comments) so
 * the write can be attributed to a declared job. A DELETE or TRUNCATE is reported with its operation and is
 * never a write of data (see `isDataWrite`).
 */
export interface ObservedWrite {
  dataset: NodeId;
  /** Datasets the same statement read, when known (empty for DELETE/TRUNCATE of the whole table). */
  sources: NodeId[];
  writtenAt: number;
  /** What the statement did (absent only on writes recorded before operations were kept: treat as a data write). */
  operation?: WriteOperation;
  /** The user or service account that ran the statement. */
  actor?: string;
  /** @deprecated the old name of `actor`; read `actor ?? user` until every store row carries `actor`. */
  user?: string;
  /** The vendor's id of the statement (matches the OpenLineage ExternalQueryRunFacet `externalQueryId`). */
  queryId: string;
  /**
   * The top-level statement that ran this one (the one a client submitted), when the vendor reports it: a BigQuery
   * script's job (the child job's `parent_job_id`, as a job reference `project:LOCATION.jobId`), the outermost CALL of a
   * Snowflake stored procedure (`root_query_id`; a nested procedure's `parent_query_id` is an inner CALL). A declared
   * run whose ExternalQueryRunFacet names it (Airflow names the script's job) names this statement too.
   */
  rootQueryId?: string;
  queryText?: string;
  rows?: number;
  /** Labels, query tag, query label and query comment of the statement (libs/model job-hints). */
  hints?: JobHints;
  /** The connector instance that saw it. */
  connectorId: string;
}

export type NodeType = 'DATASET' | 'JOB' | 'DATASET_FIELD';
