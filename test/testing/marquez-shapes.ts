/**
 * Marquez 0.51's answer shapes, written from its model classes (api/src/main/java/marquez/service/models/*.java,
 * db/models/LineageMetric.java and IntervalMetric.java, api/v2beta/SearchResource.java and the documents
 * SearchService indexes) and checked field by field: each listed field must be there with its type; fields the
 * hub adds are allowed. `?` = may be null.
 */
/** A scalar type name, an enum (several strings), a one-element array (array of), an object of field shapes, or {nullable}. */
export type Shape = string | readonly unknown[] | { readonly [field: string]: unknown };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const nullable = (shape: Shape) => ({ nullable: shape });

export const DatasetId = { namespace: 'string', name: 'string' };
export const Field = { name: 'string', type: 'string?', tags: ['string'], description: 'string?' };
export const Run = {
  id: 'string',
  createdAt: 'iso',
  updatedAt: 'iso',
  nominalStartTime: 'iso?',
  nominalEndTime: 'iso?',
  state: ['NEW', 'RUNNING', 'COMPLETED', 'FAILED', 'ABORTED'],
  startedAt: 'iso?',
  endedAt: 'iso?',
  durationMs: 'int?',
  args: 'object',
  jobVersion: { namespace: 'string', name: 'string', version: 'uuid' },
  inputDatasetVersions: [{ datasetVersionId: { namespace: 'string', name: 'string', version: 'uuid?' }, facets: 'object' }],
  outputDatasetVersions: [{ datasetVersionId: { namespace: 'string', name: 'string', version: 'uuid' }, facets: 'object' }],
  context: 'object',
  facets: 'object',
} as const;
export const Job = {
  id: DatasetId,
  type: ['BATCH', 'STREAM', 'SERVICE'],
  name: 'string',
  simpleName: 'string',
  parentJobName: 'string?',
  parentJobUuid: 'uuid?',
  createdAt: 'iso',
  updatedAt: 'iso',
  namespace: 'string',
  inputs: [DatasetId],
  outputs: [DatasetId],
  location: 'string?',
  description: 'string?',
  latestRun: nullable(Run),
  latestRuns: [Run],
  facets: 'object',
  currentVersion: 'uuid?',
  labels: ['string'],
  tags: ['string'],
};
export const ColumnLineage = {
  name: 'string',
  inputFields: [{ namespace: 'string', dataset: 'string', field: 'string', transformationDescription: 'string?', transformationType: 'string?' }],
  transformationDescription: 'string?',
  transformationType: 'string?',
};
export const Dataset = {
  id: DatasetId,
  type: ['DB_TABLE', 'STREAM'],
  name: 'string',
  physicalName: 'string',
  createdAt: 'iso',
  updatedAt: 'iso',
  namespace: 'string',
  sourceName: 'string',
  fields: [Field],
  tags: ['string'],
  lastModifiedAt: 'iso?',
  lastLifecycleState: 'string?',
  description: 'string?',
  currentVersion: 'uuid?',
  columnLineage: nullable([ColumnLineage]),
  facets: 'object',
  deleted: 'boolean',
};
export const DatasetVersion = {
  id: { namespace: 'string', name: 'string', version: 'uuid' },
  type: ['DB_TABLE', 'STREAM'],
  name: 'string',
  physicalName: 'string',
  createdAt: 'iso',
  version: 'uuid',
  namespace: 'string',
  sourceName: 'string',
  fields: [Field],
  tags: ['string'],
  lifecycleState: 'string?',
  description: 'string?',
  createdByRun: nullable(Run),
  facets: 'object',
};
export const LineageMetric = { startInterval: 'iso', endInterval: 'iso', fail: 'int', start: 'int', complete: 'int', abort: 'int' };
export const IntervalMetric = { startInterval: 'iso', endInterval: 'iso', count: 'int' };
export const Tag = { name: 'string', description: 'string?' };
export const RunFacets = { runId: 'string', facets: 'object' };
export const JobDocument = { run_id: 'string?', eventType: 'string?', name: 'string', type: ['BATCH', 'STREAM'], namespace: 'string', facets: 'object', runFacets: 'object' };
export const DatasetDocument = { run_id: 'string?', eventType: 'string?', name: 'string', namespace: 'string', facets: 'object', inputFacets: 'object', outputFacets: 'object' };
export const SearchV2 = (doc: Shape) => ({ hits: [doc], highlights: ['object'] });

const scalar = (value: unknown, type: string, at: string): string[] => {
  const optional = type.endsWith('?');
  const base = optional ? type.slice(0, -1) : type;
  if (value === undefined) return [`${at}: missing`];
  if (value === null) return optional ? [] : [`${at}: null, expected ${base}`];
  const ok =
    base === 'string' ? typeof value === 'string'
    : base === 'iso' ? typeof value === 'string' && ISO.test(value)
    : base === 'uuid' ? typeof value === 'string' && UUID.test(value)
    : base === 'int' ? Number.isInteger(value)
    : base === 'boolean' ? typeof value === 'boolean'
    : base === 'object' ? typeof value === 'object' && !Array.isArray(value)
    : false;
  return ok ? [] : [`${at}: ${JSON.stringify(value)} is not ${base}`];
};

/** The differences between `value` and `shape`, as "path: problem" lines (empty = conforms). */
export const shapeErrors = (value: unknown, shape: Shape, at = '$'): string[] => {
  if (typeof shape === 'string') return scalar(value, shape, at);
  if (Array.isArray(shape) && shape.length > 0 && typeof shape[0] === 'string' && shape.length > 1) {
    return (shape as string[]).includes(value as string) ? [] : [`${at}: ${JSON.stringify(value)} is not one of ${shape.join('|')}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${at}: expected an array, got ${JSON.stringify(value)}`];
    return value.flatMap((item, i) => shapeErrors(item, (shape as readonly Shape[])[0], `${at}[${i}]`));
  }
  if ('nullable' in (shape as object) && Object.keys(shape).length === 1) {
    return value === null ? [] : shapeErrors(value, (shape as { nullable: Shape }).nullable, at);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object, got ${JSON.stringify(value)}`];
  return Object.entries(shape as Record<string, Shape>).flatMap(([field, inner]) => shapeErrors((value as Record<string, unknown>)[field], inner, `${at}.${field}`));
};
