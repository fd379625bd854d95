/**
 * Redshift: who wrote which table, when, by which statement, from which tables. Reads the system views
 * window by window on statement start time; targets from STL_INSERT/STL_DELETE (SYS_QUERY_DETAIL insert/delete
 * steps), sources from STL_SCAN (scan steps), names from SVV_TABLE_INFO, SQL from STL_QUERYTEXT pieces.
 *
 * Cursor: { watermark, seen }. Everything that started before `watermark` has been delivered; each pull
 * re-reads `overlapMinutes` before it (statements are logged when they finish) and skips the (xid, query)
 * keys in `seen`. A watermark older than the retention horizon, or older than the oldest row still
 * retained, is a recorded gap, never a silent skip. A window holding more statements than the cap is split
 * down to one second before a cap-hit gap is recorded.
 */
import {
  type Connector,
  type ConnectorContext,
  type CoverageGap,
  type Cursor,
  cursorInvalid,
  type PullBatch,
  timeWindows,
  type TimeWindow,
} from '@lineage-hub/connector-sdk';
import { canonicalDataset, type ObservedWrite } from '@lineage-hub/model';
import type { RedshiftConfig } from './redshift.config';
import { RedshiftSession, utcText } from './redshift-session';
import { type StatementRow, stlViews, sysViews, type UtilityRow } from './redshift-system-views';
import { RedshiftStatementMapper } from './redshift-statements.mapper';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MIN_WINDOW_MS = 1_000;
export { REDSHIFT_PRODUCER } from './redshift-statements.mapper';

interface RedshiftCursor {
  watermark: number;
  seen: Array<[string, number]>;
}

const parseCursor = (cursor: Cursor | null): RedshiftCursor | null => {
  if (cursor === null || cursor === undefined) return null;
  const { watermark, seen } = cursor as Partial<RedshiftCursor>;
  if (typeof watermark !== 'number' || !Number.isFinite(watermark) || watermark < 0)
    throw cursorInvalid(`Redshift cursor has no usable watermark: ${JSON.stringify(cursor).slice(0, 200)}`);
  if (seen !== undefined && !(Array.isArray(seen) && seen.every((s) => Array.isArray(s) && typeof s[0] === 'string' && typeof s[1] === 'number')))
    throw cursorInvalid('Redshift cursor "seen" must be a list of [key, startTime] pairs');
  return { watermark, seen: seen ?? [] };
};

const keyOf = (row: StatementRow) => `${row.xid}:${row.query}`;
const utilityKey = (row: UtilityRow) => `u:${row.xid}:${row.pid}`;

export class RedshiftConnector implements Connector {
  readonly namespace: string;
  private readonly mapper: RedshiftStatementMapper;

  constructor(private readonly config: RedshiftConfig) {
    const port = config.namespacePort ?? config.port;
    this.namespace = canonicalDataset(`redshift://${config.clusterIdentifier}.${config.region}:${port}`, 'x').namespace;
    this.mapper = new RedshiftStatementMapper(config, this.namespace);
  }

  async *pull(cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<PullBatch> {
    const state = parseCursor(cursor);
    const c = this.config;
    const now = ctx.now();
    if (state && state.watermark > now + 5 * MINUTE)
      throw cursorInvalid(`Redshift cursor watermark ${new Date(state.watermark).toISOString()} is in the future`);
    const views = c.mode === 'serverless' ? sysViews : stlViews;
    const explicit = ctx.window;
    const overlap = explicit ? 0 : c.overlapMinutes * MINUTE;
    const end = explicit ? explicit.to : Math.floor((now - c.lagMinutes * MINUTE) / 1000) * 1000;
    const horizon = now - c.retentionDays * DAY;
    const session = new RedshiftSession(c, ctx);
    const gaps: CoverageGap[] = [];
    try {
      let start = explicit ? explicit.from : state ? state.watermark - overlap : end - c.initialLookbackHours * 60 * MINUTE;
      if (start < horizon) {
        gaps.push({
          kind: 'retention-horizon',
          from: start,
          to: horizon,
          reason: `${explicit ? 'the requested window' : state ? 'cursor' : 'initial lookback'} reaches past the ${c.retentionDays}-day system-table retention; statements before ${new Date(horizon).toISOString()} are gone`,
        });
        start = horizon;
      }
      const readFrom = explicit ? start : state?.watermark;
      if (readFrom !== undefined) {
        const [row] = await session.query<{ oldest: Date | null }>(views.oldest());
        const oldest = row?.oldest?.getTime();
        if (oldest !== undefined && oldest > Math.max(readFrom, start) && start < end) {
          gaps.push({
            kind: 'retention-horizon',
            from: Math.max(readFrom, start),
            to: oldest,
            reason: `the oldest statement still retained starts at ${new Date(oldest).toISOString()}, after the ${explicit ? 'window start' : 'cursor'}: the statements between were purged before they were read`,
          });
          start = Math.min(oldest, end);
        }
      }
      // An explicit window neither reads nor moves the cursor: the worker keeps the cursor it had.
      let watermark = explicit ? start : (state?.watermark ?? start);
      const seen = new Map<string, number>(explicit ? [] : (state?.seen ?? []));
      const pending: TimeWindow[] = timeWindows(start, end, c.windowMinutes * MINUTE);
      if (pending.length === 0 && gaps.length > 0) {
        yield this.batch([], [], { watermark, seen }, { from: start, to: start }, 0, gaps, { statements: 0, withColumns: 0 });
        return;
      }
      let pendingGaps = gaps;
      while (pending.length > 0) {
        if (ctx.signal?.aborted) return;
        const window = pending.shift()!;
        const readBefore = session.rowsRead;
        const rows = await session.query<StatementRow>(
          views.writeStatements(utcText(window.from), utcText(window.to), c.maxStatementsPerWindow + 1),
        );
        const windowGaps = pendingGaps;
        pendingGaps = [];
        if (rows.length > c.maxStatementsPerWindow) {
          if (window.to - window.from > MIN_WINDOW_MS) {
            const mid = window.from + Math.max(MIN_WINDOW_MS, Math.floor((window.to - window.from) / 2 / MIN_WINDOW_MS) * MIN_WINDOW_MS);
            pending.unshift({ from: window.from, to: mid }, { from: mid, to: window.to });
            pendingGaps = windowGaps;
            continue;
          }
          rows.length = c.maxStatementsPerWindow;
          windowGaps.push({
            kind: 'cap-hit',
            from: rows[rows.length - 1].starttime.getTime(),
            to: window.to,
            reason: `more than ${c.maxStatementsPerWindow} writing statements started within one second; the rest of the second was not read (raise maxStatementsPerWindow)`,
          });
        }
        const fresh = rows.filter((r) => !seen.has(keyOf(r)));
        const { events, writes, columnStats } = await this.mapper.describe(fresh, session, ctx);
        const utility = (await session.query<UtilityRow>(views.truncates(utcText(window.from), utcText(window.to), c.maxStatementsPerWindow))).filter(
          (u) => !seen.has(utilityKey(u)),
        );
        writes.push(...(await this.mapper.describeTruncates(utility, session, ctx, this.config.database)));
        watermark = Math.max(watermark, window.to);
        for (const r of rows) seen.set(keyOf(r), r.starttime.getTime());
        for (const u of utility) seen.set(utilityKey(u), u.starttime.getTime());
        for (const [key, at] of seen) if (at < watermark - overlap) seen.delete(key);
        yield this.batch(events, writes, { watermark, seen }, window, session.rowsRead - readBefore, windowGaps, columnStats);
      }
    } finally {
      await session.close();
    }
  }

  private batch(
    events: Record<string, any>[],
    observedWrites: ObservedWrite[],
    state: { watermark: number; seen: Map<string, number> },
    window: TimeWindow,
    rowsRead: number,
    gaps: CoverageGap[],
    columnLineage: { statements: number; withColumns: number; reason?: string },
  ): PullBatch {
    const seen = [...state.seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return {
      events,
      observedWrites,
      cursor: { watermark: state.watermark, seen },
      coverage: { windowStart: window.from, windowEnd: window.to, rowsRead, gaps, columnLineage },
    };
  }
}
