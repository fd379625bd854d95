/**
 * The standard run and job facets (OpenLineage spec facets, current versions), as the project defines them.
 * Each entry: the key a producer sends it under, the placement, and the fields the spec requires there.
 */
import { arrayOf, define, facet, FACET_BASE, type FacetDefinition, int, mapOf, obj, type SchemaObject, str, transformation } from './openlineage-schema.parts';

const keyValueSource = obj({ key: str, value: str, source: str }, ['key', 'value']);
const jobRef = obj({ namespace: str, name: str }, ['namespace', 'name']);
const parentRun = obj({ runId: str, facets: mapOf(FACET_BASE.RunFacet) }, ['runId']);
const parentJob = obj({ namespace: str, name: str, facets: mapOf(FACET_BASE.JobFacet) }, ['namespace', 'name']);

/** Job dependencies: another job (and optionally its run) this run waited for or triggered. */
const jobDependency = obj(
  { job: jobRef, run: obj({ runId: str }, ['runId']), dependency_type: str, sequence_trigger_rule: str, status_trigger_rule: str },
  ['job'],
);

const testExecution = obj(
  { name: str, status: str, severity: str, type: str, description: str, expected: str, actual: str, content: str, contentType: str, params: { type: 'object' } },
  ['name', 'status'],
);

export const RUN_FACETS: FacetDefinition[] = [
  define('environmentVariables', 'RunFacet', 'EnvironmentVariablesRunFacet', facet('RunFacet', { environmentVariables: arrayOf(obj({ name: str, value: str }, ['name', 'value'])) }, ['environmentVariables'])),
  define('errorMessage', 'RunFacet', 'ErrorMessageRunFacet', facet('RunFacet', { message: str, programmingLanguage: str, stackTrace: str }, ['message', 'programmingLanguage'])),
  define(
    'executionParameters',
    'RunFacet',
    'ExecutionParametersRunFacet',
    facet('RunFacet', { parameters: arrayOf({ ...obj({ key: str, name: str, description: str, value: str }, ['key']), additionalProperties: false }) }),
  ),
  define('externalQuery', 'RunFacet', 'ExternalQueryRunFacet', facet('RunFacet', { externalQueryId: str, source: str }, ['externalQueryId', 'source'])),
  define(
    'extractionError',
    'RunFacet',
    'ExtractionErrorRunFacet',
    facet(
      'RunFacet',
      { totalTasks: int, failedTasks: int, errors: arrayOf(obj({ errorMessage: str, stackTrace: str, task: str, taskNumber: int }, ['errorMessage'])) },
      ['totalTasks', 'failedTasks', 'errors'],
    ),
  ),
  define('jobDependencies', 'RunFacet', 'JobDependenciesRunFacet', facet('RunFacet', { upstream: arrayOf(jobDependency), downstream: arrayOf(jobDependency), trigger_rule: str })),
  define('nominalTime', 'RunFacet', 'NominalTimeRunFacet', facet('RunFacet', { nominalStartTime: str, nominalEndTime: str }, ['nominalStartTime'])),
  define(
    'parent',
    'RunFacet',
    'ParentRunFacet',
    facet('RunFacet', { run: parentRun, job: parentJob, root: obj({ run: parentRun, job: parentJob }, ['run', 'job']) }, ['run', 'job']),
  ),
  define('processing_engine', 'RunFacet', 'ProcessingEngineRunFacet', facet('RunFacet', { version: str, name: str, openlineageAdapterVersion: str }, ['version'])),
  define('tags', 'RunFacet', 'TagsRunFacet', facet('RunFacet', { tags: arrayOf(keyValueSource) })),
  define('test', 'RunFacet', 'TestRunFacet', facet('RunFacet', { tests: arrayOf(testExecution) }, ['tests'])),
];

// ---------- the Lineage facet (job placement; the dataset placement is in the dataset facets) ----------

/** Shared `$defs` of the Lineage facet: entries, inputs (a dataset, optionally a field, or a job), field entries. */
export const LINEAGE_DEFS: Record<string, SchemaObject> = {
  Transformation: transformation,
  DatasetInput: obj({ namespace: str, name: str, type: { type: 'string', enum: ['DATASET'] }, field: str, transformations: arrayOf({ $ref: '#/$defs/Transformation' }) }, [
    'namespace',
    'name',
    'type',
  ]),
  JobInput: {
    ...obj({ namespace: str, name: str, type: { type: 'string', enum: ['JOB'] }, runId: str, transformations: arrayOf({ $ref: '#/$defs/Transformation' }) }, ['type']),
    dependentRequired: { namespace: ['name'], name: ['namespace'] },
  },
  Input: { oneOf: [{ $ref: '#/$defs/DatasetInput' }, { $ref: '#/$defs/JobInput' }] },
  FieldEntry: obj({ inputs: arrayOf({ $ref: '#/$defs/Input' }) }, ['inputs']),
  DatasetEntry: obj(
    { namespace: str, name: str, type: { type: 'string', enum: ['DATASET'] }, inputs: arrayOf({ $ref: '#/$defs/Input' }), fields: mapOf({ $ref: '#/$defs/FieldEntry' }) },
    ['namespace', 'name', 'type'],
  ),
  JobEntry: {
    ...obj({ namespace: str, name: str, type: { type: 'string', enum: ['JOB'] }, runId: str, inputs: arrayOf({ $ref: '#/$defs/Input' }) }, ['type']),
    dependentRequired: { namespace: ['name'], name: ['namespace'] },
  },
  Entry: { oneOf: [{ $ref: '#/$defs/DatasetEntry' }, { $ref: '#/$defs/JobEntry' }] },
};

const owners = arrayOf(obj({ name: str, type: str }, ['name']));

export const JOB_FACETS: FacetDefinition[] = [
  define('documentation', 'JobFacet', 'DocumentationJobFacet', facet('JobFacet', { description: str, contentType: str }, ['description'])),
  define(
    'jobType',
    'JobFacet',
    'JobTypeJobFacet',
    facet(
      'JobFacet',
      {
        processingType: str,
        integration: str,
        jobType: str,
        emissionPattern: obj({ eventTrigger: str, eventContentMode: str, windowDuration: { type: 'integer', minimum: 1 } }, ['eventTrigger', 'eventContentMode']),
      },
      ['processingType', 'integration'],
    ),
  ),
  define('lineage', 'JobFacet', 'LineageJobFacet', { ...facet('JobFacet', { entries: arrayOf({ $ref: '#/$defs/Entry' }) }, ['entries']), $defs: LINEAGE_DEFS }),
  define('ownership', 'JobFacet', 'OwnershipJobFacet', facet('JobFacet', { owners })),
  define('sql', 'JobFacet', 'SQLJobFacet', facet('JobFacet', { query: str, dialect: str }, ['query'])),
  define('sourceCode', 'JobFacet', 'SourceCodeJobFacet', facet('JobFacet', { language: str, sourceCode: str }, ['language', 'sourceCode'])),
  define(
    'sourceCodeLocation',
    'JobFacet',
    'SourceCodeLocationJobFacet',
    facet('JobFacet', { type: str, url: str, repoUrl: str, path: str, version: str, tag: str, branch: str, pullRequestNumber: str }, ['type', 'url']),
  ),
  define('tags', 'JobFacet', 'TagsJobFacet', facet('JobFacet', { tags: arrayOf(keyValueSource) })),
];

