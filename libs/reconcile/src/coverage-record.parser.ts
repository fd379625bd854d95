/** POST /api/v1/coverage bodies: an array of coverage records, validated whole (the first bad field refuses all). */
import { invalidArgument, type CoverageRecord } from '@lineage-hub/model';

const text = (v: unknown, field: string): string => {
  if (typeof v !== 'string' || v.trim() === '') throw invalidArgument(field, 'is required (a non-empty string)');
  return v;
};

const time = (v: unknown, field: string): number => {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? (/^\d+$/.test(v) ? Number(v) : Date.parse(v)) : NaN;
  if (!Number.isFinite(ms) || ms < 0) throw invalidArgument(field, 'must be epoch milliseconds or an ISO-8601 time');
  return Math.trunc(ms);
};

export const parseCoverageRecords = (body: unknown, now: number): CoverageRecord[] => {
  if (!Array.isArray(body)) throw invalidArgument('body', 'expected a JSON array of coverage records');
  return body.map((raw, i) => {
    const at = `[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidArgument(at, 'expected an object');
    const r = raw as Record<string, unknown>;
    const from = time(r.from, `${at}.from`);
    const to = time(r.to, `${at}.to`);
    if (to < from) throw invalidArgument(`${at}.to`, 'must not be before from');
    const gapsRaw = r.gaps ?? [];
    if (!Array.isArray(gapsRaw)) throw invalidArgument(`${at}.gaps`, 'must be an array of {from, to, kind?, reason?}');
    const gaps = gapsRaw.map((g, j) => {
      const gat = `${at}.gaps[${j}]`;
      if (typeof g !== 'object' || g === null) throw invalidArgument(gat, 'expected an object');
      const gg = g as Record<string, unknown>;
      const gf = time(gg.from, `${gat}.from`);
      const gt = time(gg.to, `${gat}.to`);
      if (gt < gf) throw invalidArgument(`${gat}.to`, 'must not be before from');
      return { from: gf, to: gt, ...(typeof gg.kind === 'string' && { kind: gg.kind }), ...(typeof gg.reason === 'string' && { reason: gg.reason }) };
    });
    return {
      connectorId: text(r.connectorId, `${at}.connectorId`),
      platform: text(r.platform, `${at}.platform`).toLowerCase(),
      namespace: text(r.namespace, `${at}.namespace`),
      from,
      to,
      gaps,
      recordedAt: r.recordedAt === undefined ? now : time(r.recordedAt, `${at}.recordedAt`),
    };
  });
};
