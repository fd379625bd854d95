import { parseNodeId } from '@lineage-hub/model';
import { collectNodeIds, datasetOf, isPlainObject, nodeIdOfString, nodeIdsOfObject } from './node-refs';
import type { NodeFacts, Redactor } from './redaction';

type Obj = Record<string, unknown>;

/** What the redaction of one answer decided: hidden node id -> its opaque id, and the restricted ids shown. */
export interface RedactionPlan {
  hidden: Map<string, string>;
  /** Restricted (or private-domain) nodes this viewer is cleared to see: their reads are audited. */
  restrictedShown: string[];
}

/** Lists whose hidden members are left out (with the count) instead of replaced by a stub. */
const REMOVE_FROM = new Set(['datasets', 'jobs', 'results', 'versions', 'runs', 'events', 'findings', 'alerts']);
const MIN_NAME_IN_TEXT = 4;

/**
 * Decides, for one viewer, which of the nodes an answer refers to are hidden: the node itself is hidden by the
 * Redactor's rule; a column is hidden with its dataset, or by its own column tag when the viewer is not cleared.
 */
export function planRedaction(ids: Iterable<string>, facts: Map<string, NodeFacts>, redactor: Redactor): RedactionPlan {
  const hidden = new Map<string, string>();
  const restrictedShown: string[] = [];
  const hide = (id: string) => hidden.set(id, redactor.hiddenId(id));
  for (const id of ids) {
    const fact = facts.get(id);
    const dataset = datasetOf(id);
    const datasetFact = dataset && dataset !== id ? facts.get(dataset) : undefined;
    if ((fact && redactor.hides(fact)) || (datasetFact && redactor.hides(datasetFact))) hide(id);
    else if (fact && redactor.isRestricted(fact)) restrictedShown.push(id);
    if (fact?.restrictedColumns?.length && !hidden.has(id) && redactor.hidesColumns(fact)) {
      const parsed = parseNodeId(id);
      if (parsed.kind === 'dataset') for (const column of fact.restrictedColumns) hide(`datasetField:${parsed.namespace}:${parsed.name}:${column}`);
    }
  }
  return { hidden, restrictedShown };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrites an answer by a plan: a hidden record becomes a stub with its opaque id (graph and impact nodes keep
 * their distance and edges, so a path through it still connects) or leaves a list; every mention of a hidden id
 * (edges, references, keys) becomes the opaque id; its name in free text (SQL, messages) is replaced too; hidden
 * columns leave their dataset's `fields`, schema and column-lineage facets. Returns the count of hidden nodes met.
 */
export function applyRedaction(body: unknown, plan: RedactionPlan): { body: unknown; hiddenCount: number } {
  if (plan.hidden.size === 0) return { body, hiddenCount: 0 };
  const met = new Set<string>();
  const texts = new Map<string, string>();
  for (const [id, opaque] of plan.hidden) {
    texts.set(id, opaque);
    const parsed = parseNodeId(id);
    if (parsed.kind !== 'run' && parsed.kind !== 'datasetField' && parsed.name.length >= MIN_NAME_IN_TEXT) texts.set(parsed.name, opaque);
  }
  const pattern = new RegExp([...texts.keys()].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
  const columnsOf = hiddenColumnsByDataset(plan.hidden.keys());

  const text = (value: string): string => {
    const exact = plan.hidden.get(value);
    if (exact) {
      met.add(value);
      return exact;
    }
    if (!pattern.test(value)) return value;
    pattern.lastIndex = 0;
    return value.replace(pattern, (m) => texts.get(m) ?? m);
  };
  const hiddenIdOf = (o: Obj, key: string | null): string | undefined => nodeIdsOfObject(o, key).find((id) => plan.hidden.has(id));

  const walk = (value: unknown, key: string | null): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const hiddenId = isPlainObject(item) ? hiddenIdOf(item, key) : undefined;
        if (hiddenId) {
          met.add(hiddenId);
          if (key !== null && REMOVE_FROM.has(key)) continue;
          out.push(stub(item as Obj, plan.hidden.get(hiddenId)!, walk));
        } else out.push(walk(item, key));
      }
      return out;
    }
    if (isPlainObject(value)) {
      const o = value;
      const hiddenId = hiddenIdOf(o, key);
      if (hiddenId) {
        met.add(hiddenId);
        return stub(o, plan.hidden.get(hiddenId)!, walk);
      }
      const out: Obj = {};
      for (const [k, v] of Object.entries(o)) out[plan.hidden.get(k) ?? k] = walk(v, k);
      const dataset = nodeIdsOfObject(o, key).find((id) => columnsOf.has(id));
      if (dataset) stripColumns(out, columnsOf.get(dataset)!, (column) => met.add(`datasetField:${dataset.slice('dataset:'.length)}:${column}`));
      return out;
    }
    return value;
  };
  const redacted = walk(body, null);
  return { body: redacted, hiddenCount: met.size };
}

/** The stub of a hidden record: its opaque id and only what keeps a graph connected. */
function stub(o: Obj, opaque: string, walk: (value: unknown, key: string | null) => unknown): Obj {
  if (typeof o.id !== 'string' && typeof o.namespace === 'string' && typeof o.name === 'string') return { namespace: 'hidden', name: opaque, hidden: true };
  const out: Obj = { id: opaque, type: 'RESTRICTED', hidden: true };
  if (typeof o.distance === 'number') out.distance = o.distance;
  if ('data' in o) out.data = null;
  for (const edges of ['inEdges', 'outEdges'] as const) if (Array.isArray(o[edges])) out[edges] = walk(o[edges], edges);
  return out;
}

function hiddenColumnsByDataset(ids: Iterable<string>): Map<string, Set<string>> {
  const byDataset = new Map<string, Set<string>>();
  for (const id of ids) {
    const parsed = nodeIdOfString(id) ? parseNodeId(id) : null;
    if (parsed?.kind !== 'datasetField') continue;
    const dataset = `dataset:${parsed.namespace}:${parsed.name}`;
    const set = byDataset.get(dataset) ?? new Set<string>();
    set.add(parsed.field);
    byDataset.set(dataset, set);
  }
  return byDataset;
}

/** Removes hidden columns from a visible dataset record: `fields`, the schema, tags and column-lineage facets. */
function stripColumns(record: Obj, columns: Set<string>, onHidden: (column: string) => void): void {
  const keep = (fields: unknown) =>
    Array.isArray(fields)
      ? fields.filter((f) => {
          const name = f && typeof f === 'object' ? (f as Obj).name : undefined;
          if (typeof name === 'string' && columns.has(name)) {
            onHidden(name);
            return false;
          }
          return true;
        })
      : fields;
  if ('fields' in record) record.fields = keep(record.fields);
  const facets = record.facets as Obj | undefined;
  if (!facets || typeof facets !== 'object') return;
  const schema = facets.schema as Obj | undefined;
  if (schema && typeof schema === 'object' && 'fields' in schema) facets.schema = { ...schema, fields: keep(schema.fields) };
  const tags = facets.tags as Obj | undefined;
  if (tags && Array.isArray(tags.tags)) facets.tags = { ...tags, tags: tags.tags.filter((t) => !(t && typeof t === 'object' && columns.has(String((t as Obj).field)))) };
  const columnLineage = facets.columnLineage as Obj | undefined;
  if (columnLineage?.fields && typeof columnLineage.fields === 'object') {
    const fields = { ...(columnLineage.fields as Obj) };
    for (const column of columns) {
      if (column in fields) onHidden(column);
      delete fields[column];
    }
    facets.columnLineage = { ...columnLineage, fields };
  }
}

export { collectNodeIds };
