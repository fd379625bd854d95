/** Query-string parsing for the federated reads: every bad parameter is a 400 naming it. */
import { canonicalNodeId, invalidArgument, type NodeId, parseTransformationFilter } from '@lineage-hub/model';
import type { Direction } from '@lineage-hub/federation';

export interface ImpactQuery {
  nodeId: NodeId;
  direction: Direction;
  depth: number;
  asOf?: number;
  transformations?: string[];
  limit: number;
  offset: number;
  /** The running traversal the cursor continues (absent: a new one). */
  walk?: string;
}

export const MAX_DEPTH = 100;
export const MAX_LIMIT = 10_000;

const int = (value: string | undefined, field: string, fallback: number, min: number, max: number): number => {
  if (value === undefined || value === '') return fallback;
  if (!/^-?\d+$/.test(value)) throw invalidArgument(field, `"${value}" is not an integer`);
  const n = Number(value);
  if (n < min || n > max) throw invalidArgument(field, `must be between ${min} and ${max}`);
  return n;
};

/** The largest instant a Date holds (±8.64e15 ms). */
const MAX_TIME_MS = 8.64e15;

/** `asOf`: epoch milliseconds or an ISO-8601 instant, within what a Date holds. */
export const parseAsOf = (value: string | undefined): number | undefined => {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidArgument('asOf', `"${value}" is neither epoch milliseconds nor an ISO-8601 time`);
  if (ms > MAX_TIME_MS) throw invalidArgument('asOf', `${value} is beyond the latest representable time (${MAX_TIME_MS} ms)`);
  return ms;
};

/** Each parameter at most once: a repeated one (`asOf=1&asOf=2`) is a 400 naming it. */
export const singleValued = (q: Record<string, unknown>): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(q)) {
    if (Array.isArray(value)) throw invalidArgument(name, 'given more than once');
    if (value !== undefined && typeof value !== 'string') throw invalidArgument(name, 'must be a single value');
    out[name] = value;
  }
  return out;
};

export const parseNodeIdParam = (value: string | undefined, field = 'nodeId'): NodeId => {
  if (!value) throw invalidArgument(field, 'is required (dataset:{namespace}:{name}, datasetField:…:{field} or job:{namespace}:{name})');
  const id = canonicalNodeId(value);
  if (id.startsWith('run:')) throw invalidArgument(field, 'a run id has no lineage; use a dataset, datasetField or job id');
  return id;
};

export const encodeCursor = (offset: number, walk?: string): string => Buffer.from(JSON.stringify(walk ? { o: offset, w: walk } : { o: offset })).toString('base64url');

export const decodeCursor = (cursor: string | undefined): { offset: number; walk?: string } => {
  if (!cursor) return { offset: 0 };
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Number.isInteger(parsed?.o) && parsed.o >= 0 && (parsed.w === undefined || (typeof parsed.w === 'string' && parsed.w.length <= 64))) {
      return parsed.w === undefined ? { offset: parsed.o } : { offset: parsed.o, walk: parsed.w };
    }
  } catch {
    // fall through
  }
  throw invalidArgument('cursor', 'is not a cursor this API returned');
};

export const parseImpactQuery = (query: Record<string, unknown>): ImpactQuery => {
  const q = singleValued(query);
  const direction = (q.direction ?? 'downstream') as Direction;
  if (direction !== 'downstream' && direction !== 'upstream') {
    throw invalidArgument('direction', `"${q.direction}" must be downstream or upstream`);
  }
  const transformations = q.transformations === undefined ? undefined : parseTransformationFilter(q.transformations);
  return {
    nodeId: parseNodeIdParam(q.nodeId),
    direction,
    depth: int(q.depth, 'depth', 5, 0, MAX_DEPTH),
    asOf: parseAsOf(q.asOf),
    transformations: transformations?.length ? transformations : undefined,
    limit: int(q.limit, 'limit', 1000, 1, MAX_LIMIT),
    ...decodeCursor(q.cursor),
  };
};
