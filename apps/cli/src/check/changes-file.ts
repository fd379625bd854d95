/**
 * A plain changes file (`lineage check --changes FILE`, JSON or YAML): a list (or `{changes: [...]}`) of
 * `{kind, dataset, column?, renamedTo?, fromType?, toType?}` where `dataset` is a dataset id or `{namespace, name}`.
 * Every entry is checked; the first bad one is a usage error naming its index and field.
 */
import { canonicalDataset, canonicalNodeId } from '@lineage-hub/model';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../cli-io';
import { CHANGE_KINDS, type ChangeKind, type SchemaChange } from './change.types';

const COLUMN_KINDS = new Set<ChangeKind>(['column-dropped', 'column-renamed', 'column-type-changed', 'column-added']);

const datasetOf = (value: unknown, field: string): string => {
  if (typeof value === 'string') {
    if (!value.startsWith('dataset:')) throw new UsageError(`${field}: "${value}" is not a dataset id (dataset:{namespace}:{name})`);
    try {
      return canonicalNodeId(value);
    } catch (e) {
      throw new UsageError(`${field}: ${(e as Error).message}`);
    }
  }
  const v = value as { namespace?: unknown; name?: unknown } | null;
  if (v && typeof v.namespace === 'string' && typeof v.name === 'string') {
    const { namespace, name } = canonicalDataset(v.namespace, v.name);
    return `dataset:${namespace}:${name}`;
  }
  throw new UsageError(`${field}: is required (a dataset id or {namespace, name})`);
};

const optionalText = (value: unknown, at: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !value) throw new UsageError(`${at}: must be a non-empty string`);
  return value;
};

export const parseChangesFile = (text: string, file: string): SchemaChange[] => {
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UsageError(`${file}: cannot parse: ${(e as Error).message.split('\n')[0]}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { changes?: unknown })?.changes;
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected a list of changes (or {changes: [...]})`);
  return list.map((raw, i) => {
    const at = `${file}: changes[${i}]`;
    if (!raw || typeof raw !== 'object') throw new UsageError(`${at}: must be an object`);
    const entry = raw as Record<string, unknown>;
    const kind = entry.kind as ChangeKind;
    if (!CHANGE_KINDS.includes(kind)) throw new UsageError(`${at}.kind: "${String(entry.kind)}" is not one of ${CHANGE_KINDS.join(', ')}`);
    const change: SchemaChange = { kind, dataset: datasetOf(entry.dataset, `${at}.dataset`), file };
    change.column = optionalText(entry.column, `${at}.column`);
    change.renamedTo = optionalText(entry.renamedTo, `${at}.renamedTo`);
    change.fromType = optionalText(entry.fromType, `${at}.fromType`);
    change.toType = optionalText(entry.toType, `${at}.toType`);
    if (COLUMN_KINDS.has(kind) && !change.column) throw new UsageError(`${at}.column: is required for ${kind}`);
    if ((kind === 'column-renamed' || kind === 'dataset-renamed') && !change.renamedTo) throw new UsageError(`${at}.renamedTo: is required for ${kind}`);
    if (kind === 'dataset-renamed') change.renamedTo = datasetOf(change.renamedTo, `${at}.renamedTo`);
    return change;
  });
};
