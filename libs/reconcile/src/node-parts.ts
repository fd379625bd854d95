/** The parts of dataset and job ids the rules need, tolerant of ids that do not parse. */
import { parseNodeId, type NodeId } from '@lineage-hub/model';
import { NamespaceCache } from './namespace-cache';

const parseNamespace = (id: NodeId | string): string => {
  try {
    const parsed = parseNodeId(id);
    return parsed.kind === 'run' ? '' : parsed.namespace;
  } catch {
    return '';
  }
};

/** Ids per generation of the namespace cache: a shard's datasets (100,000 and more) fit in one, with room to spare. */
export const NAMESPACE_CACHE_IDS = 200_000;
const namespaces = new NamespaceCache(NAMESPACE_CACHE_IDS, parseNamespace);

export const namespaceOf = (id: NodeId | string): string => namespaces.get(id);

export const nameOf = (id: NodeId | string): string => {
  try {
    const parsed = parseNodeId(id);
    return parsed.kind === 'run' ? parsed.runId : parsed.name;
  } catch {
    return String(id);
  }
};

/** The vendor platform of a namespace: `snowflake://acme` -> snowflake. */
export const platformOf = (namespace: string): string => {
  const i = namespace.indexOf('://');
  return (i > 0 ? namespace.slice(0, i) : namespace).toLowerCase();
};

/** A short excerpt of a statement for evidence. */
export const excerpt = (text: string | undefined, max = 160): string | undefined =>
  text === undefined ? undefined : text.length <= max ? text : `${text.slice(0, max - 1)}…`;
