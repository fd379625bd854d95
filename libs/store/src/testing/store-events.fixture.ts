/** Hand-built OpenLineage events (already canonical) for the store tests (the shared ones: store-shared-events.conformance.ts). */
import type { IngestInput } from '../lineage-store.port';

export const iso = (ms: number) => new Date(ms).toISOString();
export const T0 = Date.parse('2024-06-01T00:00:00.000Z');
/** T0 + minutes. */
export const at = (minutes: number) => T0 + minutes * 60_000;

export interface DatasetSpec {
  ns?: string;
  name: string;
  fields?: Array<[string, string]>;
  facets?: Record<string, unknown>;
}

const datasetJson = (d: DatasetSpec | string) => {
  const spec = typeof d === 'string' ? { name: d } : d;
  const facets: Record<string, unknown> = { ...(spec.facets ?? {}) };
  if (spec.fields) facets.schema = { _producer: 'test', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json', fields: spec.fields.map(([name, type]) => ({ name, type })) };
  return { namespace: spec.ns ?? 'warehouse', name: spec.name, facets };
};

export const runEvent = (opts: {
  job: string;
  jobNs?: string;
  runId: string;
  type: 'START' | 'RUNNING' | 'COMPLETE' | 'FAIL' | 'ABORT' | 'OTHER';
  time: number;
  inputs?: Array<DatasetSpec | string>;
  outputs?: Array<DatasetSpec | string>;
  jobFacets?: Record<string, unknown>;
  runFacets?: Record<string, unknown>;
}) => ({
  eventType: opts.type,
  eventTime: iso(opts.time),
  producer: 'https://example.com/lineage-hub-tests',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
  run: { runId: opts.runId, facets: opts.runFacets ?? {} },
  job: { namespace: opts.jobNs ?? 'pipelines', name: opts.job, facets: opts.jobFacets ?? {} },
  inputs: (opts.inputs ?? []).map(datasetJson),
  outputs: (opts.outputs ?? []).map(datasetJson),
});

export const datasetEvent = (time: number, dataset: DatasetSpec) => ({
  eventTime: iso(time),
  producer: 'https://example.com/lineage-hub-tests',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
  dataset: datasetJson(dataset),
});

export const jobEvent = (time: number, job: string, inputs: Array<DatasetSpec | string>, outputs: Array<DatasetSpec | string>) => ({
  eventTime: iso(time),
  producer: 'https://example.com/lineage-hub-tests',
  schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent',
  job: { namespace: 'pipelines', name: job, facets: {} },
  inputs: inputs.map(datasetJson),
  outputs: outputs.map(datasetJson),
});

/** An already canonical event as an ingest input. */
export const input = (event: Record<string, any>, provenance?: IngestInput['provenance']): IngestInput => ({
  event,
  raw: event,
  ...(provenance ? { provenance } : {}),
});
