/**
 * OpenLineage 2-0-2 event types (spec/current/OpenLineage.json) and the standard facets the hub reads.
 * Facet maps stay open (`[key: string]: unknown`): producers send custom facets and the hub keeps them.
 */
import type { Transformation } from './lineage.types';

export type RunEventType = 'START' | 'RUNNING' | 'COMPLETE' | 'ABORT' | 'FAIL' | 'OTHER';
export type OpenLineageEventKind = 'RunEvent' | 'DatasetEvent' | 'JobEvent';

/** `_producer` and `_schemaURL` on every facet; `_deleted: true` asks a consumer to drop a job/dataset facet. */
export interface BaseFacet {
  _producer: string;
  _schemaURL: string;
  _deleted?: boolean;
  [key: string]: unknown;
}

// ---------- run facets ----------

export interface ParentRunFacet extends BaseFacet {
  run: { runId: string };
  job: { namespace: string; name: string };
  root?: { run: { runId: string }; job: { namespace: string; name: string } };
}

export interface NominalTimeRunFacet extends BaseFacet {
  nominalStartTime: string;
  nominalEndTime?: string;
}

export interface ErrorMessageRunFacet extends BaseFacet {
  message: string;
  programmingLanguage: string;
  stackTrace?: string;
}

export interface RunFacets {
  parent?: ParentRunFacet;
  nominalTime?: NominalTimeRunFacet;
  errorMessage?: ErrorMessageRunFacet;
  [key: string]: unknown;
}

// ---------- job facets ----------

export interface SqlJobFacet extends BaseFacet {
  query: string;
  dialect?: string;
}

export interface JobTypeJobFacet extends BaseFacet {
  processingType: 'BATCH' | 'STREAMING' | string;
  integration: string;
  jobType?: string;
}

export interface DocumentationFacet extends BaseFacet {
  description: string;
  contentType?: string;
}

export interface OwnershipFacet extends BaseFacet {
  owners?: Array<{ name: string; type?: string }>;
}

/** LineageFacet 1-0-0: a source of explicit lineage (a dataset, a dataset field, or a job). */
export type LineageInput =
  | { type: 'DATASET'; namespace: string; name: string; field?: string; transformations?: Transformation[] }
  | { type: 'JOB'; namespace?: string; name?: string; runId?: string; transformations?: Transformation[] };

/** LineageFacet 1-0-0 on a job: entries naming target datasets or jobs and their sources. */
export type LineageEntry =
  | {
      type: 'DATASET';
      namespace: string;
      name: string;
      inputs?: LineageInput[];
      fields?: Record<string, { inputs: LineageInput[] }>;
    }
  | { type: 'JOB'; namespace?: string; name?: string; runId?: string; inputs?: LineageInput[] };

export interface LineageJobFacet extends BaseFacet {
  entries: LineageEntry[];
}

/** LineageFacet 1-0-0 on a dataset: what feeds this dataset, at entity and/or field level. */
export interface LineageDatasetFacet extends BaseFacet {
  inputs?: LineageInput[];
  fields?: Record<string, { inputs: LineageInput[] }>;
}

export interface JobFacets {
  sql?: SqlJobFacet;
  jobType?: JobTypeJobFacet;
  documentation?: DocumentationFacet;
  ownership?: OwnershipFacet;
  lineage?: LineageJobFacet;
  [key: string]: unknown;
}

// ---------- dataset facets ----------

export interface SchemaField {
  name: string;
  type?: string;
  description?: string;
  ordinal_position?: number;
  fields?: SchemaField[];
}

export interface SchemaDatasetFacet extends BaseFacet {
  fields?: SchemaField[];
}

export interface SymlinksDatasetFacet extends BaseFacet {
  identifiers?: Array<{ namespace: string; name: string; type: string }>;
}

/** ColumnLineageDatasetFacet 1-2-0. */
export interface ColumnLineageInputField {
  namespace: string;
  name: string;
  field: string;
  transformations?: Transformation[];
}

export interface ColumnLineageDatasetFacet extends BaseFacet {
  fields: Record<
    string,
    { inputFields: ColumnLineageInputField[]; transformationDescription?: string; transformationType?: string }
  >;
  /** Dependencies on whole datasets (filters, joins, grouping...). */
  dataset?: ColumnLineageInputField[];
}

export type LifecycleStateChange = 'ALTER' | 'CREATE' | 'DROP' | 'OVERWRITE' | 'RENAME' | 'TRUNCATE';

export interface LifecycleStateChangeDatasetFacet extends BaseFacet {
  lifecycleStateChange: LifecycleStateChange;
  previousIdentifier?: { namespace: string; name: string };
}

export interface DatasourceDatasetFacet extends BaseFacet {
  name?: string;
  uri?: string;
}

export interface DatasetVersionDatasetFacet extends BaseFacet {
  datasetVersion: string;
}

export interface DatasetFacets {
  schema?: SchemaDatasetFacet;
  symlinks?: SymlinksDatasetFacet;
  columnLineage?: ColumnLineageDatasetFacet;
  lineage?: LineageDatasetFacet;
  lifecycleStateChange?: LifecycleStateChangeDatasetFacet;
  documentation?: DocumentationFacet;
  ownership?: OwnershipFacet;
  dataSource?: DatasourceDatasetFacet;
  version?: DatasetVersionDatasetFacet;
  [key: string]: unknown;
}

export interface OutputStatisticsOutputDatasetFacet extends BaseFacet {
  rowCount?: number;
  size?: number;
  fileCount?: number;
}

export interface InputDatasetFacets {
  [key: string]: unknown;
}

export interface OutputDatasetFacets {
  outputStatistics?: OutputStatisticsOutputDatasetFacet;
  [key: string]: unknown;
}

// ---------- the envelope ----------

export interface Run {
  runId: string;
  facets?: RunFacets;
}

export interface Job {
  namespace: string;
  name: string;
  facets?: JobFacets;
}

export interface Dataset {
  namespace: string;
  name: string;
  facets?: DatasetFacets;
}

export interface InputDataset extends Dataset {
  inputFacets?: InputDatasetFacets;
}

export interface OutputDataset extends Dataset {
  outputFacets?: OutputDatasetFacets;
}

interface BaseEvent {
  eventTime: string;
  producer: string;
  schemaURL: string;
}

export interface RunEvent extends BaseEvent {
  eventType?: RunEventType;
  run: Run;
  job: Job;
  inputs?: InputDataset[];
  outputs?: OutputDataset[];
}

export interface DatasetEvent extends BaseEvent {
  dataset: Dataset;
}

export interface JobEvent extends BaseEvent {
  job: Job;
  inputs?: InputDataset[];
  outputs?: OutputDataset[];
}

export type OpenLineageEvent = RunEvent | DatasetEvent | JobEvent;
