/**
 * The facts one dataset of an event implies (the dataset, its namespace, aliases from symlinks and renames, DROP and
 * RENAME lifecycle, the column lineage its facets declare), gathered into the event's Collector. Pure.
 */
import { datasetId, type NodeId } from '@lineage-hub/model';
import type { FieldRecord } from '../lineage-store.port';
import { datasetColumnDecls } from './column-lineage.derivation';
import { array, isObject, text, type Json } from './json-guards';
import type { ColumnDecl } from './run-state';
import { schemaFields, schemaVersionId } from './schema-fields.derivation';

export interface NamespaceFact {
  name: string;
  at: number;
}

export interface DatasetFact {
  id: NodeId;
  namespace: string;
  name: string;
  at: number;
  facets: Record<string, unknown>;
  /** Fields of the schema facet, or null when the event carries none. */
  fields: FieldRecord[] | null;
  /** Deterministic version id of (dataset, schema); null without a schema facet. */
  version: string | null;
  sourceName: string | null;
  description: string | null;
  lifecycleState: string | null;
  /** The run that wrote it (outputs of a RunEvent). */
  runId: string | null;
}

export interface AliasFact {
  alias: NodeId;
  canonical: NodeId;
  source: 'symlink' | 'rename';
  at: number;
}

export interface LifecycleFact {
  dataset: NodeId;
  state: string;
  renamedTo: NodeId | null;
  at: number;
}

const datasetFacets = (dataset: Json): Json => ({
  ...(isObject(dataset.facets) ? dataset.facets : {}),
  ...(isObject(dataset.inputFacets) ? dataset.inputFacets : {}),
  ...(isObject(dataset.outputFacets) ? dataset.outputFacets : {}),
});

export interface Collector {
  at: number;
  namespaces: Map<string, NamespaceFact>;
  datasets: Map<NodeId, DatasetFact>;
  aliases: AliasFact[];
  lifecycle: LifecycleFact[];
  columns: ColumnDecl[];
}

/** The dataSource facet's name: a dataset's source_name. */
export const datasetSourceName = (facets: Json): string | null => (isObject(facets.dataSource) ? text(facets.dataSource.name) : null);

/** The documentation facet's description: a dataset's description. */
export const datasetDescription = (facets: Json): string | null => (isObject(facets.documentation) ? text(facets.documentation.description) : null);

export const addDataset = (c: Collector, dataset: unknown, runId: string | null): NodeId | null => {
  if (!isObject(dataset) || !text(dataset.namespace) || !text(dataset.name)) return null;
  const { namespace, name } = dataset as { namespace: string; name: string };
  const id = datasetId(namespace, name);
  const facets = datasetFacets(dataset);
  const fields = schemaFields(facets.schema);
  const lifecycle = isObject(facets.lifecycleStateChange) ? text(facets.lifecycleStateChange.lifecycleStateChange) : null;
  const fact: DatasetFact = {
    id,
    namespace,
    name,
    at: c.at,
    facets,
    fields,
    version: fields ? schemaVersionId(id, fields) : null,
    sourceName: datasetSourceName(facets),
    description: datasetDescription(facets),
    lifecycleState: lifecycle,
    runId,
  };
  const known = c.datasets.get(id);
  c.datasets.set(id, known ? { ...known, ...fact, facets: { ...known.facets, ...facets }, fields: fields ?? known.fields, version: fact.version ?? known.version } : fact);
  c.namespaces.set(namespace, { name: namespace, at: c.at });

  if (isObject(facets.symlinks)) {
    for (const identifier of array(facets.symlinks.identifiers)) {
      if (!isObject(identifier) || !text(identifier.namespace) || !text(identifier.name)) continue;
      const alias = datasetId(identifier.namespace, identifier.name);
      if (alias !== id) c.aliases.push({ alias, canonical: id, source: 'symlink', at: c.at });
    }
  }
  if (lifecycle === 'DROP') c.lifecycle.push({ dataset: id, state: 'DROP', renamedTo: null, at: c.at });
  if (lifecycle === 'RENAME') {
    const previous = (facets.lifecycleStateChange as Json).previousIdentifier;
    if (isObject(previous) && text(previous.namespace) && text(previous.name)) {
      const old = datasetId(previous.namespace, previous.name);
      if (old !== id) {
        c.aliases.push({ alias: old, canonical: id, source: 'rename', at: c.at });
        c.lifecycle.push({ dataset: old, state: 'RENAME', renamedTo: id, at: c.at });
      }
    }
  }
  c.columns.push(...datasetColumnDecls({ namespace, name }, facets, c.at, fields));
  return id;
};

export const collector = (at: number): Collector => ({ at, namespaces: new Map(), datasets: new Map(), aliases: [], lifecycle: [], columns: [] });
