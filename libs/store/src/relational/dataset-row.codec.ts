/** A stored dataset row (DATASET_SELECT: the datasets row joined with its times) as the values reads and merges share. */
import type { DatasetRecord } from '../lineage-store.port';
import { parse, type Row } from './row-codec';
import { fieldsFromColumn } from './stored-fields.codec';

/** What a dataset row holds that both a DatasetRecord (reads) and a DatasetAgg (a batch's merge) take as they are. */
export type DatasetRowValues = Omit<DatasetRecord, 'deleted' | 'aliases'>;

export const datasetValuesFromRow = (r: Row): DatasetRowValues => {
  const facets = parse<Record<string, unknown>>(r.facets, {});
  return {
    id: r.id,
    namespace: r.namespace,
    name: r.name,
    createdAt: Number(r.created_at),
    // the last write; a dataset no event wrote (stored 0) was last updated when it was first seen
    updatedAt: Number(r.updated_at) || Number(r.created_at),
    sourceName: r.source_name ?? null,
    description: r.description ?? null,
    fields: fieldsFromColumn(r.fields, facets),
    facets,
    currentVersion: r.current_version ?? null,
    lifecycleState: r.lifecycle_state ?? null,
  };
};
