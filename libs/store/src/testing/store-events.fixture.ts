/** Hand-built OpenLineage events (already canonical) and the shared conformance events, for the store tests. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultOpenLineageSpecDir, sharedDir } from '@lineage-hub/common';
import { createEventValidator, type EventValidator } from '@lineage-hub/model';
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

// ---------------------------------------------------------------- shared conformance events


let validator: EventValidator | null = null;
const prepare = (raw: Record<string, any>): IngestInput => {
  validator ??= createEventValidator({ specDir: defaultOpenLineageSpecDir() });
  return validator.prepare(raw).input;
};

const compat = (folder: string) => path.join(sharedDir(), 'conformance', 'openlineage', 'events', 'compat-consumer', folder);

/** compat-consumer airflow line_01..line_32, in file order, through prepareEvent (validated, canonical). */
export const airflowEvents = (): IngestInput[] => {
  const dir = compat('airflow');
  return readdirSync(dir)
    .filter((f) => /^line_\d+\.json$/.test(f))
    .sort()
    .map((f) => prepare(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
};

/** compat-consumer CLL 1..9 (Spark column lineage, symlinks), in order. */
export const cllEvents = (): IngestInput[] => {
  const dir = compat('CLL');
  return readdirSync(dir)
    .filter((f) => /^\d+\.json$/.test(f))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((f) => prepare(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))));
};
