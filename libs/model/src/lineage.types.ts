/**
 * The derived lineage graph, as the store keeps it and the index and federation read it.
 * Times are epoch milliseconds (UTC). `validTo === null` means "still valid".
 */
import type { NodeId } from './node-id';

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

/** What a connector saw a warehouse do: who wrote which table, when, by which query, with how many rows. */
export interface ObservedWrite {
  dataset: NodeId;
  /** Datasets the same statement read, when known. */
  sources: NodeId[];
  writtenAt: number;
  user?: string;
  queryId: string;
  queryText?: string;
  rows?: number;
  /** The connector instance that saw it. */
  connectorId: string;
}

export type NodeType = 'DATASET' | 'JOB' | 'DATASET_FIELD';
