/**
 * The standard dataset, input-dataset and output-dataset facets (OpenLineage spec facets, current versions), as
 * the project defines them. Some keys are defined in more than one placement (`dataQualityMetrics` on a dataset
 * and on an input, `subset` on an input and on an output, `lineage` on a dataset and on a job).
 */
import { LINEAGE_DEFS } from './openlineage-run-job-facets.schema';
import { arrayOf, bool, define, facet, type FacetDefinition, int, mapOf, num, obj, type SchemaObject, str, transformation } from './openlineage-schema.parts';

const inputField = obj({ namespace: str, name: str, field: str, transformations: arrayOf(transformation) }, ['namespace', 'name', 'field']);

const columnMetrics = mapOf(
  obj({ nullCount: int, distinctCount: int, sum: num, count: num, min: num, max: num, quantiles: mapOf(num) }),
);
const qualityMetrics = { rowCount: int, bytes: int, fileCount: int, lastUpdated: str, columnMetrics };

const assertion = obj(
  { assertion: str, success: bool, column: str, severity: str, name: str, description: str, expected: str, actual: str, content: str, contentType: str, params: { type: 'object' } },
  ['assertion', 'success'],
);

/** Subset conditions (BaseSubsetDatasetFacet): location, partition, a comparison or a binary combination. */
const SUBSET_DEFS: Record<string, SchemaObject> = {
  Condition: {
    type: 'object',
    oneOf: [{ $ref: '#/$defs/Location' }, { $ref: '#/$defs/Partition' }, { $ref: '#/$defs/Binary' }, { $ref: '#/$defs/Compare' }],
  },
  Binary: obj({ left: { $ref: '#/$defs/Condition' }, right: { $ref: '#/$defs/Condition' }, type: { const: 'binary' }, operator: str }, ['left', 'right', 'operator', 'type']),
  Compare: obj(
    {
      type: { const: 'compare' },
      left: { oneOf: [{ $ref: '#/$defs/FieldExpression' }, { $ref: '#/$defs/LiteralExpression' }] },
      right: { oneOf: [{ $ref: '#/$defs/FieldExpression' }, { $ref: '#/$defs/LiteralExpression' }] },
      comparison: str,
    },
    ['left', 'right', 'comparison', 'type'],
  ),
  FieldExpression: obj({ type: { const: 'field' }, field: str }, ['field', 'type']),
  LiteralExpression: obj({ type: { const: 'literal' }, value: str }, ['value', 'type']),
  Partition: obj({ type: { const: 'partition' }, partitions: arrayOf(obj({ identifier: str, dimensions: { type: 'object' } }, ['dimensions'])) }, ['partitions', 'type']),
  Location: obj({ type: { const: 'location' }, locations: arrayOf(str) }, ['locations', 'type']),
};

const schemaField: SchemaObject = obj({ name: str, type: str, description: str, ordinal_position: int, fields: arrayOf({ $ref: '#/$defs/Field' }) }, ['name']);

export const DATASET_FACETS: FacetDefinition[] = [
  define(
    'catalog',
    'DatasetFacet',
    'CatalogDatasetFacet',
    facet('DatasetFacet', { framework: str, type: str, name: str, metadataUri: str, warehouseUri: str, source: str, catalogProperties: mapOf(str) }, ['framework', 'type', 'name']),
  ),
  define(
    'columnLineage',
    'DatasetFacet',
    'ColumnLineageDatasetFacet',
    facet('DatasetFacet', { fields: mapOf(obj({ inputFields: arrayOf(inputField), transformationDescription: str, transformationType: str }, ['inputFields'])), dataset: arrayOf(inputField) }, [
      'fields',
    ]),
  ),
  define('dataQualityMetrics', 'DatasetFacet', 'DataQualityMetricsDatasetFacet', facet('DatasetFacet', qualityMetrics, ['columnMetrics'])),
  define('datasetType', 'DatasetFacet', 'DatasetTypeDatasetFacet', facet('DatasetFacet', { datasetType: str, subType: str }, ['datasetType'])),
  define('version', 'DatasetFacet', 'DatasetVersionDatasetFacet', facet('DatasetFacet', { datasetVersion: str }, ['datasetVersion'])),
  define('dataSource', 'DatasetFacet', 'DatasourceDatasetFacet', facet('DatasetFacet', { name: str, uri: str })),
  define('documentation', 'DatasetFacet', 'DocumentationDatasetFacet', facet('DatasetFacet', { description: str, contentType: str }, ['description'])),
  define('hierarchy', 'DatasetFacet', 'HierarchyDatasetFacet', facet('DatasetFacet', { hierarchy: arrayOf(obj({ type: str, name: str }, ['type', 'name'])) }, ['hierarchy'])),
  define(
    'lifecycleStateChange',
    'DatasetFacet',
    'LifecycleStateChangeDatasetFacet',
    facet(
      'DatasetFacet',
      {
        lifecycleStateChange: { type: 'string', enum: ['ALTER', 'CREATE', 'DROP', 'OVERWRITE', 'RENAME', 'TRUNCATE'] },
        previousIdentifier: obj({ name: str, namespace: str }, ['name', 'namespace']),
      },
      ['lifecycleStateChange'],
    ),
  ),
  define('lineage', 'DatasetFacet', 'LineageDatasetFacet', {
    ...facet('DatasetFacet', { inputs: arrayOf({ $ref: '#/$defs/Input' }), fields: mapOf({ $ref: '#/$defs/FieldEntry' }) }),
    $defs: LINEAGE_DEFS,
  }),
  define('ownership', 'DatasetFacet', 'OwnershipDatasetFacet', facet('DatasetFacet', { owners: arrayOf(obj({ name: str, type: str }, ['name'])) })),
  define('schema', 'DatasetFacet', 'SchemaDatasetFacet', { ...facet('DatasetFacet', { fields: arrayOf({ $ref: '#/$defs/Field' }) }), $defs: { Field: schemaField } }),
  define('storage', 'DatasetFacet', 'StorageDatasetFacet', facet('DatasetFacet', { storageLayer: str, fileFormat: str }, ['storageLayer'])),
  define('symlinks', 'DatasetFacet', 'SymlinksDatasetFacet', facet('DatasetFacet', { identifiers: arrayOf(obj({ namespace: str, name: str, type: str }, ['namespace', 'name', 'type'])) })),
  define('tags', 'DatasetFacet', 'TagsDatasetFacet', facet('DatasetFacet', { tags: arrayOf(obj({ key: str, value: str, source: str, field: str }, ['key', 'value'])) })),
];

export const INPUT_DATASET_FACETS: FacetDefinition[] = [
  define('dataQualityAssertions', 'InputDatasetFacet', 'DataQualityAssertionsDatasetFacet', facet('InputDatasetFacet', { assertions: arrayOf(assertion) }, ['assertions'])),
  define('dataQualityMetrics', 'InputDatasetFacet', 'DataQualityMetricsInputDatasetFacet', facet('InputDatasetFacet', qualityMetrics, ['columnMetrics'])),
  define('inputStatistics', 'InputDatasetFacet', 'InputStatisticsInputDatasetFacet', facet('InputDatasetFacet', { rowCount: int, size: int, fileCount: int })),
  define('subset', 'InputDatasetFacet', 'InputSubsetInputDatasetFacet', {
    ...facet('InputDatasetFacet', { inputCondition: { $ref: '#/$defs/Condition' } }, ['inputCondition']),
    $defs: SUBSET_DEFS,
  }),
];

export const OUTPUT_DATASET_FACETS: FacetDefinition[] = [
  define('outputStatistics', 'OutputDatasetFacet', 'OutputStatisticsOutputDatasetFacet', facet('OutputDatasetFacet', { rowCount: int, size: int, fileCount: int })),
  define('subset', 'OutputDatasetFacet', 'OutputSubsetOutputDatasetFacet', {
    ...facet('OutputDatasetFacet', { outputCondition: { $ref: '#/$defs/Condition' } }, ['outputCondition']),
    $defs: SUBSET_DEFS,
  }),
];
