/**
 * Query-parameter parsing at the HTTP/RPC edge, one set for the shards and the gateway (so the gateway refuses
 * exactly what a shard refuses): every value is checked here and a bad one becomes an invalid-argument
 * DomainError naming the parameter (400 over HTTP). Node ids go through canonicalNodeId. Exported from the
 * barrel as the `queryParams` namespace (the helpers' names are short).
 */
import { invalidArgument } from './errors';
import { canonicalNodeId } from './naming';
import { type NodeId, type NodeKind, nodeKind } from './node-id';

export type QueryParams = Record<string, unknown>;

const single = (query: QueryParams, name: string): string | undefined => {
  const value = query[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) throw invalidArgument(name, 'given more than once');
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw invalidArgument(name, 'must be a single value');
  return String(value);
};

export const optionalString = (query: QueryParams, name: string): string | undefined => single(query, name);

export const requiredString = (query: QueryParams, name: string): string => {
  const value = single(query, name);
  if (value === undefined) throw invalidArgument(name, 'is required');
  return value;
};

export const integer = (query: QueryParams, name: string, fallback: number, min: number, max: number): number => {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw invalidArgument(name, `must be an integer, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw invalidArgument(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
};

export const boolean = (query: QueryParams, name: string, fallback: boolean): boolean => {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalidArgument(name, `must be true or false, got "${text}"`);
};

export const oneOf = <T extends string>(query: QueryParams, name: string, allowed: readonly T[], fallback: T): T => {
  const text = single(query, name);
  if (text === undefined) return fallback;
  const match = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
  if (!match) throw invalidArgument(name, `must be one of ${allowed.join(', ')}, got "${text}"`);
  return match;
};

/** ISO-8601 date-time or epoch milliseconds -> epoch ms. */
export const parseTime = (text: string, name: string): number => {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) throw invalidArgument(name, `must be an ISO-8601 time or epoch milliseconds, got "${text}"`);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalidArgument(name, `must be an ISO-8601 time or epoch milliseconds, got "${text}"`);
  return ms;
};

export const optionalTime = (query: QueryParams, name: string): number | undefined => {
  const text = single(query, name);
  return text === undefined ? undefined : parseTime(text, name);
};

/** A node id parameter, canonicalised; `kinds` restricts which kinds the endpoint takes. */
export const nodeIdParam = (query: QueryParams, name: string, kinds: readonly NodeKind[]): NodeId => {
  const id = canonicalNodeId(requiredString(query, name));
  const kind = nodeKind(id);
  if (!kinds.includes(kind)) throw invalidArgument(name, `must be a ${kinds.join(' or ')} node id, got a ${kind} id`);
  return id;
};

export const page = (query: QueryParams, defaultLimit = 100) => ({
  limit: integer(query, 'limit', defaultLimit, 1, 10_000),
  offset: integer(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
});
