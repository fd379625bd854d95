/**
 * Edge validation of the admin API's run and cursor bodies. Times are ISO-8601 (with a zone) or epoch ms; a
 * window is half-open [from, to), so two runs over adjacent windows read each statement exactly once.
 */
import { invalidArgument } from '@lineage-hub/model';
import type { Cursor } from '@lineage-hub/connector-sdk';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const parseInstant = (value: unknown, field: string): number => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && ISO.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalidArgument(field, 'must be an ISO-8601 time with a zone (e.g. 2026-12-01T00:00:00Z) or epoch milliseconds');
};

const objectBody = (body: unknown): Record<string, unknown> => {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidArgument('body', 'must be a JSON object');
  return body as Record<string, unknown>;
};

/** `POST /connectors/{id}/runs` body: nothing (run now from the cursor) or `{from, to}` (a backfill / re-run). */
export const parseRunRequest = (body: unknown, now: number): { window?: { from: number; to: number } } => {
  const b = objectBody(body);
  const unknown = Object.keys(b).find((k) => k !== 'from' && k !== 'to');
  if (unknown) throw invalidArgument(unknown, 'is not a run option (only "from" and "to")');
  if (b.from === undefined && b.to === undefined) return {};
  if (b.from === undefined) throw invalidArgument('from', 'is required with "to"');
  if (b.to === undefined) throw invalidArgument('to', 'is required with "from"');
  const from = parseInstant(b.from, 'from');
  const to = parseInstant(b.to, 'to');
  if (to <= from) throw invalidArgument('to', 'must be after "from"');
  if (to > now) throw invalidArgument('to', 'must not be in the future');
  return { window: { from, to } };
};

/** `PUT /connectors/{id}/cursor` body: `{watermark}` (the connector builds its cursor) or `{cursor}` (raw, or null to start afresh). */
export const parseCursorUpdate = (body: unknown): { watermark: number } | { cursor: Cursor | null } => {
  const b = objectBody(body);
  const unknown = Object.keys(b).find((k) => k !== 'watermark' && k !== 'cursor');
  if (unknown) throw invalidArgument(unknown, 'is not a cursor field (only "watermark" or "cursor")');
  if (b.watermark !== undefined && b.cursor !== undefined) throw invalidArgument('cursor', 'give either "watermark" or "cursor", not both');
  if (b.watermark !== undefined) return { watermark: parseInstant(b.watermark, 'watermark') };
  if (!('cursor' in b)) throw invalidArgument('watermark', 'is required (or "cursor")');
  if (b.cursor !== null && (typeof b.cursor !== 'object' || Array.isArray(b.cursor))) throw invalidArgument('cursor', 'must be a JSON object or null');
  return { cursor: b.cursor as Cursor | null };
};
