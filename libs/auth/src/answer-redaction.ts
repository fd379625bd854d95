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

/** Keys whose string value is SQL text (the SQLJobFacet's `query`, observed writes' query text). */
const SQL_TEXT_KEYS = new Set(['query', 'queryText', 'sqlText', 'sql', 'statement']);
/** Keys under which a record lists the nodes it reads, writes or connects to. */
const LINK_KEYS = ['inputs', 'outputs', 'inEdges', 'outEdges', 'inputFields'];
export const SQL_REDACTED = '[redacted: touches a hidden dataset]';
const IDENT = 'A-Za-z0-9_$';
/** The identifier words of a text, lower case. */
const words = (text: string): string[] => text.toLowerCase().split(/[^a-z0-9_$]+/).filter(Boolean);

/**
 * The names a hidden dataset may be written as in text: its full name and its last segment (`customers_pii` of
 * `db.public.customers_pii`, `file` of `s3://bucket/path/file`), matched as whole identifiers, ignoring case.
 */
function mentionPattern(hidden: Iterable<string>): RegExp | null {
  const names = new Set<string>();
  for (const id of hidden) {
    const parsed = nodeIdOfString(id) ? parseNodeId(id) : null;
    if (!parsed || parsed.kind === 'run' || parsed.kind === 'datasetField') continue;
    names.add(parsed.name.toLowerCase());
    const segment = parsed.name.split(/[./\\]/).filter(Boolean).pop();
    if (segment && segment.length >= 3) names.add(segment.toLowerCase());
  }
  if (names.size === 0) return null;
  const alternatives = [...names].sort((a, b) => b.length - a.length).map(escape).join('|');
  return new RegExp(`(?<![${IDENT}])(?:${alternatives})(?![${IDENT}])`, 'gi');
}

/**
 * Rewrites an answer by a plan: a hidden record becomes a stub with its opaque id (graph and impact nodes keep
 * their distance and edges, so a path through it still connects) or leaves a list; every mention of a hidden id
 * (edges, references, keys) becomes the opaque id; its name in free text (messages, descriptions), qualified or
 * by its last segment, is replaced too; hidden columns leave their dataset's `fields`, schema and column-lineage
 * facets. SQL is never rewritten, it is withheld (the safer rule: SQL names a table in too many spellings,
 * quoted, aliased, by synonym): a record that reads, writes or links to a hidden node loses its `sql` facet, and
 * any SQL text that mentions a hidden dataset (qualified or unqualified, any case, quotes ignored) is replaced by
 * SQL_REDACTED. Returns the count of hidden nodes met.
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
  const mentions = mentionPattern(plan.hidden.keys());
  const opaqueOfMention = new Map<string, string>();
  for (const [id, opaque] of plan.hidden) {
    const parsed = nodeIdOfString(id) ? parseNodeId(id) : null;
    if (!parsed || parsed.kind === 'run' || parsed.kind === 'datasetField') continue;
    opaqueOfMention.set(parsed.name.toLowerCase(), opaque);
    const segment = parsed.name.split(/[./\\]/).filter(Boolean).pop();
    if (segment && !opaqueOfMention.has(segment.toLowerCase())) opaqueOfMention.set(segment.toLowerCase(), opaque);
  }
  const columnsOf = hiddenColumnsByDataset(plan.hidden.keys());
  const mentionsHidden = (sql: string): boolean => {
    if (!mentions) return false;
    mentions.lastIndex = 0;
    const found = mentions.test(sql.replace(/["`[\]]/g, ''));
    mentions.lastIndex = 0;
    return found;
  };

  // a cheap test first: a string can name a hidden dataset only if one of its words is the last word of a hidden name
  const lastWords = new Set<string>();
  for (const id of plan.hidden.keys()) {
    const parsed = nodeIdOfString(id) ? parseNodeId(id) : null;
    if (!parsed || parsed.kind === 'run' || parsed.kind === 'datasetField') continue;
    const word = words(parsed.name).pop();
    if (word) lastWords.add(word);
  }
  const mayName = (value: string): boolean => words(value).some((w) => lastWords.has(w));

  const text = (value: string, key: string | null): string => {
    const exact = plan.hidden.get(value);
    if (exact) {
      met.add(value);
      return exact;
    }
    if (!mayName(value)) return value;
    if (key !== null && SQL_TEXT_KEYS.has(key) && mentionsHidden(value)) return SQL_REDACTED;
    let out = value;
    if (pattern.test(out)) {
      pattern.lastIndex = 0;
      out = out.replace(pattern, (m) => texts.get(m) ?? m);
    }
    pattern.lastIndex = 0;
    if (mentions) {
      mentions.lastIndex = 0;
      out = out.replace(mentions, (m) => opaqueOfMention.get(m.toLowerCase()) ?? m);
    }
    return out;
  };
  const idsOf = new WeakMap<Obj, string[]>();
  const nodeIdsOf = (o: Obj, key: string | null): string[] => {
    let ids = idsOf.get(o);
    if (!ids) idsOf.set(o, (ids = nodeIdsOfObject(o, key)));
    return ids;
  };
  const hiddenIdOf = (o: Obj, key: string | null): string | undefined => nodeIdsOf(o, key).find((id) => plan.hidden.has(id));
  /** Does a record read, write or link to a hidden node (its inputs, outputs, edges)? */
  const touchesHidden = (o: Obj): boolean =>
    LINK_KEYS.some(
      (k) =>
        Array.isArray(o[k]) &&
        (o[k] as unknown[]).some((item) =>
          typeof item === 'string' ? plan.hidden.has(item) : isPlainObject(item) && (hiddenIdOf(item, k) !== undefined || Object.values(item).some((v) => typeof v === 'string' && plan.hidden.has(v))),
        ),
    );

  const walk = (value: unknown, key: string | null, tainted = false): unknown => {
    if (typeof value === 'string') return text(value, key);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) {
        const hiddenId = isPlainObject(item) ? hiddenIdOf(item, key) : undefined;
        if (hiddenId) {
          met.add(hiddenId);
          if (key !== null && REMOVE_FROM.has(key)) continue;
          out.push(stub(item as Obj, plan.hidden.get(hiddenId)!, walk));
        } else out.push(walk(item, key, tainted));
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
      const taint = tainted || touchesHidden(o);
      const out: Obj = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === 'sql' && isPlainObject(v) && (taint || (typeof v.query === 'string' && mayName(v.query) && mentionsHidden(v.query)))) continue;
        out[plan.hidden.get(k) ?? k] = walk(v, k, taint);
      }
      const dataset = columnsOf.size ? nodeIdsOf(o, key).find((id) => columnsOf.has(id)) : undefined;
      if (dataset) stripColumns(out, columnsOf.get(dataset)!, (column) => met.add(`datasetField:${dataset.slice('dataset:'.length)}:${column}`));
      return out;
    }
    return value;
  };
  const redacted = walk(body, null);
  return { body: redacted, hiddenCount: met.size };
}

/** The stub of a hidden record: its opaque id and only what keeps a graph connected. */
function stub(o: Obj, opaque: string, walk: (value: unknown, key: string | null, tainted?: boolean) => unknown): Obj {
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
