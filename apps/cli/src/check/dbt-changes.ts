/**
 * Changes between two dbt `manifest.json` files (`lineage check --base old/manifest.json --head new/manifest.json`):
 * models, seeds and snapshots that disappear (dataset-removed) or move to another relation (dataset-renamed), and
 * their documented columns' drops, renames and type changes (column-diff.ts). Datasets are named as dbt's
 * OpenLineage integration names them: `{database}.{schema}.{alias}` in the warehouse's namespace (`--namespace`;
 * BigQuery's is `bigquery`).
 */
import { canonicalDataset } from '@lineage-hub/model';
import { UsageError } from '../cli-io';
import type { SchemaChange } from './change.types';
import { diffColumns } from './column-diff';

const MATERIALISED = new Set(['model', 'seed', 'snapshot']);

interface DbtNode {
  unique_id: string;
  resource_type: string;
  database?: string | null;
  schema?: string;
  name: string;
  alias?: string | null;
  original_file_path?: string;
  columns?: Record<string, { name?: string; data_type?: string | null }>;
  config?: { materialized?: string };
}

export const isDbtManifest = (json: any): boolean => !!json && typeof json === 'object' && typeof json.nodes === 'object' && typeof json.metadata?.dbt_schema_version === 'string';

const relations = (manifest: any, file: string): Map<string, DbtNode> => {
  if (!isDbtManifest(manifest)) throw new UsageError(`${file}: not a dbt manifest.json (no metadata.dbt_schema_version / nodes)`);
  const out = new Map<string, DbtNode>();
  for (const node of Object.values(manifest.nodes as Record<string, DbtNode>)) {
    if (MATERIALISED.has(node.resource_type) && node.config?.materialized !== 'ephemeral') out.set(node.unique_id, node);
  }
  return out;
};

export const dbtNamespace = (manifest: any, given: string | undefined): string => {
  if (given) return given;
  if (manifest?.metadata?.adapter_type === 'bigquery') return 'bigquery';
  throw new UsageError(`--namespace is required for a dbt manifest of adapter "${manifest?.metadata?.adapter_type ?? 'unknown'}" (e.g. snowflake://acme, postgres://host:5432)`);
};

export const dbtChanges = (base: any, head: any, files: { base: string; head: string }, namespaceFlag?: string): SchemaChange[] => {
  const namespace = dbtNamespace(head, namespaceFlag);
  const before = relations(base, files.base);
  const after = relations(head, files.head);
  const idOf = (n: DbtNode) => {
    const parts = [n.database, n.schema, n.alias || n.name].filter((p): p is string => !!p);
    const { namespace: ns, name } = canonicalDataset(namespace, parts.join('.'));
    return `dataset:${ns}:${name}`;
  };
  const columnsOf = (n: DbtNode) => Object.entries(n.columns ?? {}).map(([key, c]) => ({ name: c.name ?? key, type: c.data_type ?? undefined }));
  const changes: SchemaChange[] = [];
  for (const [uid, old] of before) {
    const next = after.get(uid);
    const where = { file: (next ?? old).original_file_path ?? files.head, line: 1 };
    if (!next) {
      changes.push({ kind: 'dataset-removed', dataset: idOf(old), ...where });
      continue;
    }
    if (idOf(old) !== idOf(next)) changes.push({ kind: 'dataset-renamed', dataset: idOf(old), renamedTo: idOf(next), ...where });
    else changes.push(...diffColumns(idOf(old), columnsOf(old), columnsOf(next), where));
  }
  return changes;
};
