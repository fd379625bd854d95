/**
 * Column lineage a dataset's columnLineage and lineage facets declare, as ColumnDecls, and their merge into one
 * declaration per (from, to) for a run. Pure.
 */
import { datasetFieldId, datasetId, type NodeId, type Transformation } from '@lineage-hub/model';
import type { FieldRecord } from '../lineage-store.port';
import { canonicalJson } from './canonical-json';
import { array, isObject, text, type Json } from './json-guards';
import type { ColumnDecl } from './run-state';

const transformation = (raw: unknown): Transformation | null => {
  if (!isObject(raw) || !text(raw.type)) return null;
  const out: Transformation = { type: raw.type };
  if (text(raw.subtype)) out.subtype = raw.subtype;
  if (typeof raw.description === 'string') out.description = raw.description;
  if (typeof raw.masking === 'boolean') out.masking = raw.masking;
  return out;
};

const transformations = (raw: unknown): Transformation[] => array(raw).map(transformation).filter((t): t is Transformation => t !== null);

/** The deprecated transformationType/transformationDescription pair (IDENTITY | MASKED | other). */
const legacyTransformation = (entry: Json): Transformation[] => {
  const type = text(entry.transformationType);
  if (!type) return [];
  const description = text(entry.transformationDescription) ?? undefined;
  const upper = type.toUpperCase();
  if (upper === 'IDENTITY') return [{ type: 'DIRECT', subtype: 'IDENTITY', description, masking: false }];
  if (upper === 'MASKED') return [{ type: 'DIRECT', subtype: 'TRANSFORMATION', description, masking: true }];
  return [{ type: 'DIRECT', subtype: upper, description }];
};

/** A source in a columnLineage or lineage facet: a field when it names one, else the whole dataset. */
const sourceNode = (input: Json, typed = true): NodeId | null => {
  if (!text(input.namespace) || !text(input.name)) return null;
  if (typed && input.type !== undefined && input.type !== 'DATASET') return null;
  return text(input.field) ? datasetFieldId(input.namespace, input.name, input.field) : datasetId(input.namespace, input.name);
};

/**
 * Column edges a dataset's columnLineage (1-0-0..1-2-0) and lineage (1-0-0) facets declare. Every edge ends at a
 * field of the target: a dataset-wide dependency (columnLineage `dataset[]`, lineage `inputs`) becomes an edge to
 * each field the target is known to have in this event (its schema facet, else the fields the facets name).
 * The source is a field when the facet names one, else the whole source dataset.
 */
export const datasetColumnDecls = (
  target: { namespace: string; name: string },
  facets: Json,
  at: number,
  schema: FieldRecord[] | null = null,
): ColumnDecl[] => {
  const decls: ColumnDecl[] = [];
  const fieldId = (field: string) => datasetFieldId(target.namespace, target.name, field);
  const add = (from: NodeId | null, field: string, list: Transformation[]) => {
    const to = fieldId(field);
    if (from && from !== to) decls.push({ from, to, transformations: list, at });
  };
  const wide: Array<{ from: NodeId | null; list: Transformation[] }> = [];
  const named = new Set<string>();
  const columnLineage = facets.columnLineage;
  if (isObject(columnLineage)) {
    if (isObject(columnLineage.fields)) {
      for (const [field, entry] of Object.entries(columnLineage.fields)) {
        if (!isObject(entry)) continue;
        named.add(field);
        const legacy = legacyTransformation(entry);
        for (const input of array(entry.inputFields)) {
          if (!isObject(input)) continue;
          const own = transformations(input.transformations);
          add(sourceNode(input, false), field, own.length > 0 ? own : legacy);
        }
      }
    }
    for (const input of array(columnLineage.dataset)) {
      if (isObject(input)) wide.push({ from: sourceNode(input, false), list: transformations(input.transformations) });
    }
  }
  const lineage = facets.lineage;
  if (isObject(lineage)) {
    for (const input of array(lineage.inputs)) {
      if (isObject(input)) wide.push({ from: sourceNode(input), list: transformations(input.transformations) });
    }
    if (isObject(lineage.fields)) {
      for (const [field, entry] of Object.entries(lineage.fields)) {
        if (!isObject(entry)) continue;
        named.add(field);
        for (const input of array(entry.inputs)) if (isObject(input)) add(sourceNode(input), field, transformations(input.transformations));
      }
    }
  }
  if (wide.length > 0) {
    const targets = schema && schema.length > 0 ? schema.map((f) => f.name) : [...named].sort();
    for (const { from, list } of wide) for (const field of targets) add(from, field, list);
  }
  return decls;
};

const byPair = (a: ColumnDecl, b: ColumnDecl): number => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0);

/**
 * One declaration per (from, to), sorted by from then to (the order of the keys `from\0to`, ids holding no NUL:
 * checkDerivedIds refuses those), the transformations of repeated pairs merged in declaration order. A stable sort
 * and a merge of neighbours: no key strings, no Map (measured ~2.7x cheaper than by key).
 */
export const mergeDecls = (decls: ColumnDecl[]): ColumnDecl[] => {
  if (decls.length === 0) return [];
  const sorted = decls.slice().sort(byPair);
  const out: ColumnDecl[] = [sorted[0]];
  for (let i = 1; i < sorted.length; i += 1) {
    const decl = sorted[i];
    const last = out[out.length - 1];
    if (last.from === decl.from && last.to === decl.to) out[out.length - 1] = { ...last, transformations: mergeTransformations(last.transformations, decl.transformations) };
    else out.push(decl);
  }
  return out;
};

/** The same source declared twice in one event (e.g. columnLineage and lineage facets): keep every distinct transformation. */
const mergeTransformations = (a: Transformation[], b: Transformation[]): Transformation[] => {
  const seen = new Map(a.map((t) => [canonicalJson(t), t]));
  for (const t of b) {
    const key = canonicalJson(t);
    if (!seen.has(key)) seen.set(key, t);
  }
  return [...seen.values()];
};
