/**
 * The OpenLineage 2-0-2 envelope as the project defines it: RunEvent, DatasetEvent and JobEvent, written from
 * the specification (https://openlineage.io/spec/2-0-2/OpenLineage.json). Facet containers only require the
 * base facet fields here; the standard facets are checked by key and placement (openlineage-*-facets.schema.ts).
 * An event is valid when it is exactly one of the three kinds (the spec's top-level `oneOf`).
 */
import { arrayOf, FACET_BASE, mapOf, obj, type SchemaObject, str } from './openlineage-schema.parts';
import type { OpenLineageEventKind } from './openlineage.types';

export const OPENLINEAGE_SPEC_VERSION = '2-0-2';
export const RUN_EVENT_TYPES = ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER'] as const;

const run = obj({ runId: str, facets: mapOf(FACET_BASE.RunFacet) }, ['runId']);
const job = obj({ namespace: str, name: str, facets: mapOf(FACET_BASE.JobFacet) }, ['namespace', 'name']);
const datasetFields = { namespace: str, name: str, facets: mapOf(FACET_BASE.DatasetFacet) };
const dataset = obj(datasetFields, ['namespace', 'name']);
const inputDataset = obj({ ...datasetFields, inputFacets: mapOf(FACET_BASE.InputDatasetFacet) }, ['namespace', 'name']);
const outputDataset = obj({ ...datasetFields, outputFacets: mapOf(FACET_BASE.OutputDatasetFacet) }, ['namespace', 'name']);

/** eventTime, producer and schemaURL: on every event. */
const base = { eventTime: str, producer: str, schemaURL: str };
const baseRequired = ['eventTime', 'producer', 'schemaURL'];

export const EVENT_SCHEMAS: Record<OpenLineageEventKind, SchemaObject> = {
  RunEvent: obj(
    { ...base, eventType: { type: 'string', enum: [...RUN_EVENT_TYPES] }, run, job, inputs: arrayOf(inputDataset), outputs: arrayOf(outputDataset) },
    [...baseRequired, 'run', 'job'],
  ),
  DatasetEvent: { ...obj({ ...base, dataset }, [...baseRequired, 'dataset']), not: { required: ['job', 'run'] } },
  JobEvent: { ...obj({ ...base, job, inputs: arrayOf(inputDataset), outputs: arrayOf(outputDataset) }, [...baseRequired, 'job']), not: { required: ['run'] } },
};

export const EVENT_KINDS: readonly OpenLineageEventKind[] = ['RunEvent', 'DatasetEvent', 'JobEvent'];
