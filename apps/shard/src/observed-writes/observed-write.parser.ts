/**
 * Edge validation of POST /api/v1/observed-writes: an array of ObservedWrite (libs/model). Every dataset id is
 * canonicalised; the first bad entry refuses the whole request (nothing is half-written).
 */
import { canonicalNodeId, DomainError, invalidArgument, isWriteOperation, nodeKind, WRITE_OPERATIONS, type JobHints, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import { parseTime } from '../marquez/query-params';

const datasetRef = (value: unknown, field: string): NodeId => {
  if (typeof value !== 'string') throw invalidArgument(field, 'must be a dataset node id string');
  let id: NodeId;
  try {
    id = canonicalNodeId(value);
  } catch (err) {
    if (err instanceof DomainError) throw invalidArgument(field, err.message);
    throw err;
  }
  if (nodeKind(id) !== 'dataset') throw invalidArgument(field, `must be a dataset node id, got "${value}"`);
  return id;
};

const optionalText = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidArgument(field, 'must be a string');
  return value;
};

const requiredText = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || value.length === 0) throw invalidArgument(field, 'is required (a non-empty string)');
  return value;
};

const writtenAt = (value: unknown, field: string): number => {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.trunc(value);
  if (typeof value === 'string') return parseTime(value, field);
  throw invalidArgument(field, 'must be epoch milliseconds or an ISO-8601 time');
};

const operationOf = (value: unknown, field: string) => {
  if (value === undefined || value === null) return {};
  if (!isWriteOperation(value)) throw invalidArgument(field, `must be one of ${WRITE_OPERATIONS.join(', ')}`);
  return { operation: value };
};

const HINT_TEXT = ['airflowDag', 'airflowTask', 'dbtNode', 'dbtInvocation', 'queryTag', 'queryLabel'] as const;

/** The job hints a connector extracted (libs/model JobHints): strings, labels a string map, comment an object. */
const jobHintsOf = (value: unknown, field: string): JobHints | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidArgument(field, 'must be an object (JobHints)');
  const h = value as Record<string, unknown>;
  const out: JobHints = {};
  for (const k of HINT_TEXT) if (h[k] !== undefined) out[k] = optionalText(h[k], `${field}.${k}`);
  if (h.labels !== undefined) {
    if (typeof h.labels !== 'object' || h.labels === null || Array.isArray(h.labels) || Object.values(h.labels).some((v) => typeof v !== 'string'))
      throw invalidArgument(`${field}.labels`, 'must be a map of string labels');
    out.labels = h.labels as Record<string, string>;
  }
  if (h.comment !== undefined) {
    if (typeof h.comment !== 'object' || h.comment === null || Array.isArray(h.comment)) throw invalidArgument(`${field}.comment`, 'must be an object');
    out.comment = h.comment as Record<string, unknown>;
  }
  return out;
};

export const parseObservedWrite = (value: unknown, at: string): ObservedWrite => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidArgument(at, 'expected an object');
  const w = value as Record<string, unknown>;
  const sources = w.sources ?? [];
  if (!Array.isArray(sources)) throw invalidArgument(`${at}.sources`, 'must be an array of dataset node ids');
  const rows = w.rows;
  if (rows !== undefined && rows !== null && !(typeof rows === 'number' && Number.isInteger(rows) && rows >= 0)) {
    throw invalidArgument(`${at}.rows`, 'must be a non-negative integer');
  }
  return {
    dataset: datasetRef(w.dataset, `${at}.dataset`),
    sources: sources.map((s, i) => datasetRef(s, `${at}.sources[${i}]`)),
    writtenAt: writtenAt(w.writtenAt, `${at}.writtenAt`),
    user: optionalText(w.user, `${at}.user`),
    queryId: requiredText(w.queryId, `${at}.queryId`),
    ...(w.rootQueryId !== undefined && w.rootQueryId !== null && { rootQueryId: requiredText(w.rootQueryId, `${at}.rootQueryId`) }),
    queryText: optionalText(w.queryText, `${at}.queryText`),
    rows: typeof rows === 'number' ? rows : undefined,
    connectorId: requiredText(w.connectorId, `${at}.connectorId`),
    ...operationOf(w.operation, `${at}.operation`),
    ...(w.actor !== undefined && w.actor !== null && { actor: optionalText(w.actor, `${at}.actor`) }),
    ...(w.hints !== undefined && w.hints !== null && { hints: jobHintsOf(w.hints, `${at}.hints`) }),
  };
};

export const parseObservedWrites = (body: unknown): ObservedWrite[] => {
  if (!Array.isArray(body)) throw invalidArgument('body', 'expected a JSON array of observed writes');
  return body.map((w, i) => parseObservedWrite(w, `[${i}]`));
};
