/**
 * One sObject's describe -> one OpenLineage event (pure): the object as a dataset with its fields, its
 * lookups and master-detail relations (reference field <- parent Id), and its formula fields' references as
 * column lineage inside the org. Formula paths arrive already resolved against the describes they cross.
 */
import { deterministicUuid, observedRunEvent } from '@lineage-hub/connector-sdk';
import { canonicalDataset, type DatasetName } from '@lineage-hub/model';

export const PRODUCER = 'https://github.com/lineage-hub/lineage-hub/tree/main/connectors/salesforce';
const SCHEMA_FACET = 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet';
const DATASET_TYPE_FACET = 'https://openlineage.io/spec/facets/1-0-0/DatasetTypeDatasetFacet.json#/$defs/DatasetTypeDatasetFacet';

export interface FieldDescribe {
  name: string;
  label?: string;
  type: string;
  referenceTo?: string[];
  relationshipName?: string | null;
  relationshipOrder?: number | null;
  cascadeDelete?: boolean;
  calculated?: boolean;
  calculatedFormula?: string | null;
}

export interface SObjectDescribe {
  name: string;
  label?: string;
  custom?: boolean;
  queryable?: boolean;
  fields: FieldDescribe[];
}

/** A formula reference resolved through relationship hops: the lookup fields crossed and the field read. */
export interface ResolvedReference {
  hops: Array<{ object: string; field: string }>;
  target: { object: string; field: string };
}

export interface MapContext {
  namespace: string;
  /** The sync's clock: every event of one sync carries it, so a re-read gives the same events. */
  syncTime: number;
  /** Formula field name -> the references it reads (unresolvable ones left out). */
  formulas: Map<string, ResolvedReference[]>;
  /** Roll-up summary field name -> the child fields it aggregates and the master-detail field it follows. */
  rollups?: Map<string, RollupSource[]>;
}

export interface RollupSource {
  object: string;
  field: string;
  /** The child's master-detail field (the join), not the summarised value. */
  relationship: boolean;
}

/** Audit lookups every record has: not relations worth a lineage edge. */
const AUDIT_LOOKUPS = new Set(['CreatedById', 'LastModifiedById', 'SystemModstamp']);

export const relationKind = (field: FieldDescribe): 'master-detail' | 'lookup' =>
  field.cascadeDelete || (field.relationshipOrder !== null && field.relationshipOrder !== undefined) ? 'master-detail' : 'lookup';

export const sobjectDataset = (namespace: string, name: string): DatasetName => canonicalDataset(namespace, name);

type InputField = DatasetName & { field: string; transformations: Array<{ type: string; subtype?: string; description?: string }> };

export const mapSObject = (describe: SObjectDescribe, ctx: MapContext): Record<string, any> => {
  const self = sobjectDataset(ctx.namespace, describe.name);
  const inputs = new Map<string, DatasetName>();
  const fields: Record<string, InputField[]> = {};
  const add = (target: string, input: InputField) => {
    const list = (fields[target] ??= []);
    if (!list.some((i) => i.namespace === input.namespace && i.name === input.name && i.field === input.field)) list.push(input);
    if (input.name !== self.name) inputs.set(input.name, { namespace: input.namespace, name: input.name });
  };

  for (const field of describe.fields) {
    if (field.type === 'reference' && field.referenceTo?.length && !AUDIT_LOOKUPS.has(field.name)) {
      const kind = relationKind(field);
      for (const parent of field.referenceTo) {
        add(field.name, { ...sobjectDataset(ctx.namespace, parent), field: 'Id', transformations: [{ type: 'INDIRECT', subtype: 'JOIN', description: kind }] });
      }
    }
    for (const source of ctx.rollups?.get(field.name) ?? []) {
      add(field.name, {
        ...sobjectDataset(ctx.namespace, source.object),
        field: source.field,
        transformations: [
          source.relationship
            ? { type: 'INDIRECT', subtype: 'JOIN', description: 'roll-up summary relationship' }
            : { type: 'DIRECT', subtype: 'AGGREGATION', description: 'roll-up summary' },
        ],
      });
    }
    for (const ref of ctx.formulas.get(field.name) ?? []) {
      for (const hop of ref.hops) {
        add(field.name, { ...sobjectDataset(ctx.namespace, hop.object), field: hop.field, transformations: [{ type: 'INDIRECT', subtype: 'JOIN', description: 'formula relationship' }] });
      }
      add(field.name, {
        ...sobjectDataset(ctx.namespace, ref.target.object),
        field: ref.target.field,
        transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description: 'formula' }],
      });
    }
  }

  const event = observedRunEvent({
    producer: PRODUCER,
    runId: deterministicUuid('salesforce', ctx.namespace, describe.name, ctx.syncTime),
    job: { namespace: ctx.namespace, name: `sobject.${self.name}` },
    eventTime: ctx.syncTime,
    inputs: [...inputs.values()],
    outputs: [{ ...self, ...(Object.keys(fields).length ? { columnLineage: fields } : {}) }],
    integration: 'SALESFORCE',
  });
  event.job.facets.jobType.jobType = 'METADATA';
  const out = event.outputs[0];
  out.facets = {
    ...(out.facets ?? {}),
    schema: {
      _producer: PRODUCER,
      _schemaURL: SCHEMA_FACET,
      fields: describe.fields.map((f) => ({ name: f.name, type: f.type, ...(f.label ? { description: f.label } : {}) })),
    },
    datasetType: { _producer: PRODUCER, _schemaURL: DATASET_TYPE_FACET, datasetType: 'SOBJECT', subType: describe.custom ? 'CUSTOM' : 'STANDARD' },
  };
  return event;
};
