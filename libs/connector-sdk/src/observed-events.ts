/**
 * Building OpenLineage RunEvents for what a source says ran. Events must be deterministic (same source row,
 * same event, byte for byte) so a batch delivered twice after a retry changes nothing at the shard.
 */
import { createHash } from 'node:crypto';

const OL_SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const facetUrl = (version: string, name: string) => `https://openlineage.io/spec/facets/${version}/${name}.json#/$defs/${name}`;

/** A UUID (RFC 4122 layout, version 5 style: sha1 of the parts) that is the same for the same parts. */
export const deterministicUuid = (...parts: Array<string | number>): string => {
  const hex = createHash('sha1').update(parts.map(String).join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** A short stable fingerprint of a statement (whitespace and case folded), e.g. to name a recurring query's job. */
export const statementFingerprint = (sql: string): string =>
  createHash('sha1').update(sql.replace(/\s+/g, ' ').trim().toLowerCase()).digest('hex').slice(0, 12);

export interface DatasetRef {
  namespace: string;
  name: string;
}

export interface ColumnLineageInput {
  /** Output column -> the input fields it derives from. */
  [outputField: string]: Array<DatasetRef & { field: string; transformations?: Array<{ type: string; subtype?: string }> }>;
}

export interface ObservedRunInput {
  /** Producer URI of the connector, e.g. https://github.com/lineage-hub/lineage-hub/connectors/redshift */
  producer: string;
  runId: string;
  job: DatasetRef;
  eventTime: number;
  startTime?: number;
  inputs: DatasetRef[];
  outputs: Array<DatasetRef & { rowCount?: number; columnLineage?: ColumnLineageInput }>;
  sql?: string;
  /** The vendor's id of the statement (ExternalQueryRunFacet). */
  externalQueryId?: string;
  /** The vendor source name for ExternalQueryRunFacet, e.g. the namespace. */
  source?: string;
  integration: string;
  eventType?: 'COMPLETE' | 'FAIL';
}

/** One COMPLETE (or FAIL) RunEvent describing an observed statement. */
export const observedRunEvent = (input: ObservedRunInput): Record<string, any> => {
  const facet = (version: string, name: string, body: Record<string, unknown>) => ({
    _producer: input.producer,
    _schemaURL: facetUrl(version, name),
    ...body,
  });
  const runFacets: Record<string, unknown> = {};
  if (input.externalQueryId)
    runFacets.externalQuery = facet('1-0-2', 'ExternalQueryRunFacet', {
      externalQueryId: input.externalQueryId,
      source: input.source ?? input.job.namespace,
    });
  const jobFacets: Record<string, unknown> = {
    jobType: facet('2-0-4', 'JobTypeJobFacet', { processingType: 'BATCH', integration: input.integration, jobType: 'QUERY' }),
  };
  if (input.sql) jobFacets.sql = facet('1-1-0', 'SQLJobFacet', { query: input.sql });
  return {
    eventType: input.eventType ?? 'COMPLETE',
    eventTime: new Date(input.eventTime).toISOString(),
    producer: input.producer,
    schemaURL: OL_SCHEMA,
    run: { runId: input.runId, facets: runFacets },
    job: { namespace: input.job.namespace, name: input.job.name, facets: jobFacets },
    inputs: input.inputs.map((d) => ({ namespace: d.namespace, name: d.name })),
    outputs: input.outputs.map((d) => {
      const out: Record<string, any> = { namespace: d.namespace, name: d.name };
      if (d.columnLineage && Object.keys(d.columnLineage).length > 0) {
        out.facets = {
          columnLineage: facet('1-2-0', 'ColumnLineageDatasetFacet', {
            fields: Object.fromEntries(
              Object.entries(d.columnLineage).map(([field, inputs]) => [
                field,
                {
                  inputFields: inputs.map((i) => ({
                    namespace: i.namespace,
                    name: i.name,
                    field: i.field,
                    ...(i.transformations ? { transformations: i.transformations } : {}),
                  })),
                },
              ]),
            ),
          }),
        };
      }
      if (d.rowCount !== undefined)
        out.outputFacets = { outputStatistics: facet('1-0-2', 'OutputStatisticsOutputDatasetFacet', { rowCount: d.rowCount }) };
      return out;
    }),
  };
};
