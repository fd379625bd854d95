/** The parts of dataset and job ids the rules need, tolerant of ids that do not parse. */
import { parseNodeId, type NodeId } from '@lineage-hub/model';

const parseNamespace = (id: NodeId | string): string => {
  try {
    const parsed = parseNodeId(id);
    return parsed.kind === 'run' ? '' : parsed.namespace;
  } catch {
    return '';
  }
};

/** Ids' namespaces already parsed: the rules ask for the same datasets' again and again (coverage, policies, outputs). */
const namespaces = new Map<string, string>();
const MAX_NAMESPACES = 50_000;

export const namespaceOf = (id: NodeId | string): string => {
  let ns = namespaces.get(id);
  if (ns === undefined) {
    ns = parseNamespace(id);
    if (namespaces.size >= MAX_NAMESPACES) namespaces.clear();
    namespaces.set(id, ns);
  }
  return ns;
};

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
