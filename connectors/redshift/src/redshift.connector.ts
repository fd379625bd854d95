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
  deterministicUuid,
  observedRunEvent,
  type PullBatch,
  statementFingerprint,
  timeWindows,
  type TimeWindow,
} from '@lineage-hub/connector-sdk';
import { canonicalDataset, datasetId, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import type { RedshiftConfig } from './redshift.config';
import { RedshiftSession, utcText } from './redshift-session';
import { rebuildQueryText } from './redshift-text';
import { type StatementRow, stlViews, sysViews, tableNames, userNames } from './redshift-system-views';
import { columnLineageFor } from './redshift-column-lineage';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MIN_WINDOW_MS = 1_000;
const ID_CHUNK = 500;
export const REDSHIFT_PRODUCER = 'https://github.com/lineage-hub/lineage-hub/tree/main/connectors/redshift';

interface RedshiftCursor {
  watermark: number;
  seen: Array<[string, number]>;
}

interface TableName {
  database: string;
  schema: string;
  name: string;
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

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const keyOf = (row: StatementRow) => `${row.xid}:${row.query}`;

export class RedshiftConnector implements Connector {
  readonly namespace: string;
  private readonly tableCache = new Map<number, TableName | null>();
  private readonly userCache = new Map<number, string>();

  constructor(private readonly config: RedshiftConfig) {
    const port = config.namespacePort ?? config.port;
    this.namespace = canonicalDataset(`redshift://${config.clusterIdentifier}.${config.region}:${port}`, 'x').namespace;
  }

  async *pull(cursor: Cursor | null, ctx: ConnectorContext): AsyncIterable<PullBatch> {
    const state = parseCursor(cursor);
    const c = this.config;
    const now = ctx.now();
    if (state && state.watermark > now + 5 * MINUTE)
      throw cursorInvalid(`Redshift cursor watermark ${new Date(state.watermark).toISOString()} is in the future`);
    const views = c.mode === 'serverless' ? sysViews : stlViews;
    const overlap = c.overlapMinutes * MINUTE;
    const end = Math.floor((now - c.lagMinutes * MINUTE) / 1000) * 1000;
    const horizon = now - c.retentionDays * DAY;
    const session = new RedshiftSession(c, ctx);
    const gaps: CoverageGap[] = [];
    try {
      let start = state ? state.watermark - overlap : end - c.initialLookbackHours * 60 * MINUTE;
      if (start < horizon) {
        gaps.push({
          kind: 'retention-horizon',
          from: start,
          to: horizon,
          reason: `${state ? 'cursor' : 'initial lookback'} reaches past the ${c.retentionDays}-day system-table retention; statements before ${new Date(horizon).toISOString()} are gone`,
        });
        start = horizon;
      }
      if (state) {
        const [row] = await session.query<{ oldest: Date | null }>(views.oldest());
        const oldest = row?.oldest?.getTime();
        if (oldest !== undefined && oldest > Math.max(state.watermark, start)) {
          gaps.push({
            kind: 'retention-horizon',
            from: Math.max(state.watermark, start),
            to: oldest,
            reason: `the oldest statement still retained starts at ${new Date(oldest).toISOString()}, after the cursor: the statements between were purged before they were read`,
          });
          start = oldest;
        }
      }
      let watermark = state?.watermark ?? start;
      const seen = new Map<string, number>(state?.seen ?? []);
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
        const { events, writes, columnStats, unresolved } = await this.describe(fresh, session, ctx);
        if (unresolved.length > 0)
          windowGaps.push({
            kind: 'partial',
            from: window.from,
            to: window.to,
            reason: `${unresolved.length} written table id(s) are not in SVV_TABLE_INFO (dropped, temporary or empty tables): ${unresolved.slice(0, 10).join(', ')}; their writes were not reported`,
          });
        watermark = Math.max(watermark, window.to);
        for (const r of rows) seen.set(keyOf(r), r.starttime.getTime());
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

  /** Turns statements into RunEvents and observed writes. */
  private async describe(rows: StatementRow[], session: RedshiftSession, ctx: ConnectorContext) {
    const views = this.config.mode === 'serverless' ? sysViews : stlViews;
    const targets = new Map<number, Array<{ tbl: number; rows: number }>>();
    const scans = new Map<number, number[]>();
    const texts = new Map<number, Array<{ sequence: number; text: string }>>();
    for (const ids of chunks(rows.map((r) => Number(r.query)), ID_CHUNK)) {
      for (const t of await session.query<{ query: number | string; tbl: number; inserted: string; deleted: string }>(views.targets(ids))) {
        const list = targets.get(Number(t.query)) ?? [];
        list.push({ tbl: Number(t.tbl), rows: Math.max(Number(t.inserted), Number(t.deleted)) });
        targets.set(Number(t.query), list);
      }
      for (const s of await session.query<{ query: number | string; tbl: number }>(views.scans(ids))) {
        const list = scans.get(Number(s.query)) ?? [];
        list.push(Number(s.tbl));
        scans.set(Number(s.query), list);
      }
      for (const p of await session.query<{ query: number | string; sequence: number; text: string }>(views.texts(ids))) {
        const list = texts.get(Number(p.query)) ?? [];
        list.push({ sequence: Number(p.sequence), text: p.text });
        texts.set(Number(p.query), list);
      }
    }
    await this.resolveTables([...targets.values()].flat().map((t) => t.tbl).concat([...scans.values()].flat()), session);
    await this.resolveUsers(rows.map((r) => Number(r.userid)), session);

    const events: Record<string, any>[] = [];
    const writes: ObservedWrite[] = [];
    const columnStats = { statements: 0, withColumns: 0, reason: undefined as string | undefined };
    const unresolved = new Set<number>();
    for (const row of rows) {
      const query = Number(row.query);
      const outputs = (targets.get(query) ?? [])
        .map((t) => ({ ...t, table: this.tableCache.get(t.tbl) }))
        .filter((t) => (t.table ? true : (unresolved.add(t.tbl), false)));
      if (outputs.length === 0) continue;
      const targetIds = new Set(outputs.map((o) => o.tbl));
      const inputs = [...new Set(scans.get(query) ?? [])]
        .filter((tbl) => !targetIds.has(tbl))
        .map((tbl) => this.tableCache.get(tbl))
        .filter((t): t is TableName => !!t)
        .map((t) => this.dataset(t));
      const sql = texts.has(query) ? rebuildQueryText(texts.get(query)!) : (row.querytxt ?? '').replace(/\s+$/, '');
      const at = (row.endtime ?? row.starttime).getTime();
      const label = (row.label ?? '').trim();
      const outputRefs = outputs.map((o) => ({ ...this.dataset(o.table!), rowCount: o.rows }));
      columnStats.statements += 1;
      const columns = columnLineageFor(ctx, sql, row.database.trim(), this.namespace, outputRefs);
      if (columns.lineage) columnStats.withColumns += 1;
      else columnStats.reason = columns.reason;
      events.push(
        observedRunEvent({
          producer: REDSHIFT_PRODUCER,
          runId: deterministicUuid(this.namespace, row.xid, query),
          job: { namespace: this.namespace, name: label && label !== 'default' ? label : `statement.${statementFingerprint(sql)}` },
          eventTime: at,
          inputs,
          outputs: outputRefs.map((o) => ({ ...o, columnLineage: columns.lineage?.get(o.name) })),
          sql: sql || undefined,
          externalQueryId: String(query),
          source: this.namespace,
          integration: 'REDSHIFT',
        }),
      );
      for (const o of outputRefs) {
        writes.push({
          dataset: datasetId(o.namespace, o.name),
          sources: inputs.map((i) => datasetId(i.namespace, i.name)) as NodeId[],
          writtenAt: at,
          user: this.userCache.get(Number(row.userid)) ?? `userid:${row.userid}`,
          queryId: String(query),
          queryText: sql || undefined,
          rows: o.rowCount,
          connectorId: ctx.connectorId,
        });
      }
    }
    if (unresolved.size > 0)
      ctx.log('warn', 'written tables not in SVV_TABLE_INFO (dropped, temporary or empty); their writes are skipped', {
        tableIds: [...unresolved].sort((a, b) => a - b),
      });
    return { events, writes, columnStats, unresolved: [...unresolved].sort((a, b) => a - b) };
  }

  private dataset(table: TableName) {
    return canonicalDataset(this.namespace, `${table.database}.${table.schema}.${table.name}`);
  }

  private async resolveTables(ids: number[], session: RedshiftSession) {
    const missing = [...new Set(ids)].filter((id) => !this.tableCache.has(id));
    for (const chunk of chunks(missing.sort((a, b) => a - b), ID_CHUNK)) {
      const found = await session.query<{ table_id: number | string; database: string; schema: string; name: string }>(tableNames(chunk));
      for (const t of found) this.tableCache.set(Number(t.table_id), { database: t.database, schema: t.schema, name: t.name });
      for (const id of chunk) if (!this.tableCache.has(id)) this.tableCache.set(id, null);
    }
  }

  private async resolveUsers(ids: number[], session: RedshiftSession) {
    const missing = [...new Set(ids)].filter((id) => !this.userCache.has(id)).sort((a, b) => a - b);
    if (missing.length === 0) return;
    for (const u of await session.query<{ usesysid: number; usename: string }>(userNames(missing)))
      this.userCache.set(Number(u.usesysid), String(u.usename).trim());
  }
}
