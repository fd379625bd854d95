/**
 * Changes between two sets of OpenLineage events (`--base`/`--head` files of events: a JSON object, an array or
 * JSON lines): the schema facets of datasets present in both are compared (column-diff.ts), and a head dataset with
 * a lifecycleStateChange facet DROP (or RENAME with previousIdentifier) is removed (renamed).
 */
import { canonicalDataset } from '@lineage-hub/model';
import { UsageError } from '../cli-io';
import type { SchemaChange } from './change.types';
import { type ColumnSchema, diffColumns } from './column-diff';

interface Dataset {
  namespace: string;
  name: string;
  facets?: Record<string, any>;
}

export const parseEventsText = (text: string, file: string): any[] => {
  const trimmed = text.trim();
  if (!trimmed) return [];
  try {
    const json = JSON.parse(trimmed);
    return Array.isArray(json) ? json : [json];
  } catch {
    return trimmed.split('\n').filter((l) => l.trim()).map((l, i) => {
      try {
        return JSON.parse(l);
      } catch (e) {
        throw new UsageError(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
    });
  }
};

const idOf = (d: Dataset) => {
  const { namespace, name } = canonicalDataset(d.namespace, d.name);
  return `dataset:${namespace}:${name}`;
};

const datasetsOf = (events: any[]): Dataset[] =>
  events.flatMap((e) => [...(e?.inputs ?? []), ...(e?.outputs ?? []), ...(e?.dataset ? [e.dataset] : [])]).filter((d): d is Dataset => typeof d?.namespace === 'string' && typeof d?.name === 'string');

/** The last schema seen per dataset (later events win). */
const schemas = (events: any[]): Map<string, ColumnSchema[]> => {
  const out = new Map<string, ColumnSchema[]>();
  for (const d of datasetsOf(events)) {
    const fields = d.facets?.schema?.fields;
    if (Array.isArray(fields)) out.set(idOf(d), fields.filter((f: any) => typeof f?.name === 'string').map((f: any) => ({ name: f.name, type: typeof f.type === 'string' ? f.type : undefined })));
  }
  return out;
};

export const schemaFacetChanges = (base: any[], head: any[], files: { base: string; head: string }): SchemaChange[] => {
  const where = { file: files.head };
  const changes: SchemaChange[] = [];
  for (const d of datasetsOf(head)) {
    const lifecycle = d.facets?.lifecycleStateChange;
    if (lifecycle?.lifecycleStateChange === 'DROP') changes.push({ kind: 'dataset-removed', dataset: idOf(d), ...where });
    if (lifecycle?.lifecycleStateChange === 'RENAME' && lifecycle.previousIdentifier?.name) {
      changes.push({ kind: 'dataset-renamed', dataset: idOf({ namespace: lifecycle.previousIdentifier.namespace ?? d.namespace, name: lifecycle.previousIdentifier.name }), renamedTo: idOf(d), ...where });
    }
  }
  const before = schemas(base);
  const after = schemas(head);
  for (const [id, columns] of before) {
    const next = after.get(id);
    if (next) changes.push(...diffColumns(id, columns, next, where));
  }
  return changes;
};
