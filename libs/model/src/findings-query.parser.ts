/**
 * GET /api/v1/findings parameters (shard and gateway alike): kind, status, dataset, job, since, limit, cursor.
 * A bad value is an invalid-argument error naming the parameter; node ids are canonicalised.
 */
import { invalidArgument } from './errors';
import { FINDING_KINDS, FINDING_STATUSES, type FindingKind, type FindingQuery, type FindingStatus } from './findings.types';
import { canonicalNodeId } from './naming';
import { nodeKind, type NodeId } from './node-id';

const single = (query: Record<string, unknown>, name: string): string | undefined => {
  const value = query[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) throw invalidArgument(name, 'given more than once');
  if (typeof value !== 'string' && typeof value !== 'number') throw invalidArgument(name, 'must be a single value');
  return String(value);
};

const nodeParam = (query: Record<string, unknown>, name: string, kind: 'dataset' | 'job'): NodeId | undefined => {
  const text = single(query, name);
  if (text === undefined) return undefined;
  let id: NodeId;
  try {
    id = canonicalNodeId(text);
  } catch (e) {
    throw invalidArgument(name, (e as Error).message);
  }
  if (nodeKind(id) !== kind) throw invalidArgument(name, `must be a ${kind} node id (${kind}:{namespace}:{name})`);
  return id;
};

/** The largest epoch milliseconds a Date holds (±8.64e15, year 275760). */
const MAX_TIME_MS = 8.64e15;

/** ISO-8601 or epoch milliseconds, within what a Date holds. */
export const parseTimeParam = (text: string, name: string): number => {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME_MS) throw invalidArgument(name, `must be an ISO-8601 time or epoch milliseconds, got "${text}"`);
  return ms;
};

export const parseFindingQuery = (query: Record<string, unknown>): FindingQuery => {
  const out: FindingQuery = {};
  const known = new Set(['kind', 'status', 'dataset', 'job', 'since', 'limit', 'cursor']);
  for (const key of Object.keys(query)) if (!known.has(key)) throw invalidArgument(key, `unknown parameter (use ${[...known].join(', ')})`);
  const kind = single(query, 'kind');
  if (kind !== undefined) {
    if (!(FINDING_KINDS as readonly string[]).includes(kind)) throw invalidArgument('kind', `must be one of ${FINDING_KINDS.join(', ')}`);
    out.kind = kind as FindingKind;
  }
  const status = single(query, 'status');
  if (status !== undefined) {
    if (!(FINDING_STATUSES as readonly string[]).includes(status)) throw invalidArgument('status', `must be one of ${FINDING_STATUSES.join(', ')}`);
    out.status = status as FindingStatus;
  }
  const dataset = nodeParam(query, 'dataset', 'dataset');
  if (dataset) out.dataset = dataset;
  const job = nodeParam(query, 'job', 'job');
  if (job) out.job = job;
  const since = single(query, 'since');
  if (since !== undefined) out.since = parseTimeParam(since, 'since');
  const limit = single(query, 'limit');
  if (limit !== undefined) {
    if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000) throw invalidArgument('limit', `must be an integer between 1 and 1000, got "${limit}"`);
    out.limit = Number(limit);
  }
  const cursor = single(query, 'cursor');
  if (cursor !== undefined) out.cursor = cursor;
  return out;
};

/** Paging cursor of finding lists (shard and gateway alike): the last finding's (openedAt, id), newest first. */
export const encodeFindingCursor = (f: { openedAt: number; id: string }): string => Buffer.from(JSON.stringify([f.openedAt, f.id])).toString('base64url');

export const decodeFindingCursor = (cursor: string): { openedAt: number; id: string } => {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && Math.abs(v[0]) <= MAX_TIME_MS && typeof v[1] === 'string') return { openedAt: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw invalidArgument('cursor', 'not a cursor this API returned');
};

/** Newest first: openedAt descending, then id descending (the order cursors page through). */
export const compareFindings = (a: { openedAt: number; id: string }, b: { openedAt: number; id: string }): number =>
  b.openedAt - a.openedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** GET /api/v1/freshness?dataset= */
export const parseFreshnessQuery = (query: Record<string, unknown>): NodeId => {
  const dataset = nodeParam(query, 'dataset', 'dataset');
  if (!dataset) throw invalidArgument('dataset', 'is required (a dataset node id)');
  return dataset;
};

/**
 * POST /api/v1/findings/evaluate?mode=: `incremental` (the default) or `full`. It takes no body: one with fields
 * (`{"mode": "full"}`) would be ignored, so it is refused naming them.
 */
export const parseEvaluateQuery = (query: Record<string, unknown>, body?: unknown): 'incremental' | 'full' => {
  if (body !== undefined && body !== null) {
    const isEmptyObject = typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
    if (!isEmptyObject) {
      const key = typeof body === 'object' && !Array.isArray(body) ? Object.keys(body)[0] : undefined;
      throw invalidArgument(key === undefined ? 'body' : `body.${key}`, 'the evaluation takes no body (mode is a query parameter: ?mode=full)');
    }
  }
  for (const key of Object.keys(query)) if (key !== 'mode') throw invalidArgument(key, 'unknown parameter (use mode)');
  const mode = single(query, 'mode') ?? 'incremental';
  if (mode !== 'incremental' && mode !== 'full') throw invalidArgument('mode', `must be incremental or full, got "${mode}"`);
  return mode;
};
