/**
 * Turns Redshift statements (STL/SYS rows) into OpenLineage RunEvents and observed writes, by the rules of
 * redshift-rules.ts: system users yield nothing, temporary/unlisted tables are not datasets (and not gaps),
 * materialized views are named by the view, DELETE/TRUNCATE are reported with their operation and carry no lineage.
 */
import { type ConnectorContext, deterministicUuid, observedRunEvent, statementFingerprint } from '@lineage-hub/connector-sdk';
import { canonicalDataset, datasetId, isDataWrite, jobHints, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import type { RedshiftConfig } from './redshift.config';
import type { RedshiftSession } from './redshift-session';
import { rebuildQueryText } from './redshift-text';
import { type StatementRow, stlViews, sysViews, tableNames, tablesByName, userNames, type UtilityRow } from './redshift-system-views';
import { columnLineageFor } from './redshift-column-lineage';
import { copySource, datasetTable, isAutoRefresh, isSystemUser, operationOf, type RedshiftTable, truncatedTable } from './redshift-rules';

export const REDSHIFT_PRODUCER = 'https://github.com/lineage-hub/lineage-hub/tree/main/connectors/redshift';
const ID_CHUNK = 500;

type Dataset = RedshiftTable & { materializedView: boolean };

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export interface Described {
  events: Record<string, any>[];
  writes: ObservedWrite[];
  columnStats: { statements: number; withColumns: number; reason?: string };
}

export class RedshiftStatementMapper {
  /** table id -> dataset (null: not a dataset: unlisted, temporary or internal). */
  private readonly tableCache = new Map<number, Dataset | null>();
  private readonly userCache = new Map<number, string>();

  constructor(
    private readonly config: RedshiftConfig,
    readonly namespace: string,
  ) {}

  private get views() {
    return this.config.mode === 'serverless' ? sysViews : stlViews;
  }

  async describe(rows: StatementRow[], session: RedshiftSession, ctx: ConnectorContext): Promise<Described> {
    const targets = new Map<number, Array<{ tbl: number; inserted: number; deleted: number }>>();
    const scans = new Map<number, number[]>();
    const texts = new Map<number, Array<{ sequence: number; text: string }>>();
    const push = <T>(map: Map<number, T[]>, key: number, value: T) => map.set(key, [...(map.get(key) ?? []), value]);
    for (const ids of chunks(rows.map((r) => Number(r.query)), ID_CHUNK)) {
      for (const t of await session.query<{ query: number | string; tbl: number; inserted: string; deleted: string }>(this.views.targets(ids)))
        push(targets, Number(t.query), { tbl: Number(t.tbl), inserted: Number(t.inserted), deleted: Number(t.deleted) });
      for (const s of await session.query<{ query: number | string; tbl: number }>(this.views.scans(ids))) push(scans, Number(s.query), Number(s.tbl));
      for (const p of await session.query<{ query: number | string; sequence: number; text: string }>(this.views.texts(ids)))
        push(texts, Number(p.query), { sequence: Number(p.sequence), text: p.text });
    }
    await this.resolveTables([...targets.values()].flat().map((t) => t.tbl).concat([...scans.values()].flat()), session);
    await this.resolveUsers(rows.map((r) => Number(r.userid)), session);

    const out: Described = { events: [], writes: [], columnStats: { statements: 0, withColumns: 0 } };
    const unlisted = new Set<number>();
    for (const row of rows) {
      const actor = this.userCache.get(Number(row.userid));
      if (isSystemUser(Number(row.userid), actor)) continue;
      const query = Number(row.query);
      // STL_QUERY.querytxt (char(4000), truncated) escapes newlines like STL_QUERYTEXT: same rebuild, one piece.
      const sql = rebuildQueryText(texts.get(query) ?? [{ sequence: 0, text: row.querytxt ?? '' }]);
      const label = (row.label ?? '').trim();
      // One entry per dataset: an MV's backing tables (and a table both deleted from and inserted into) merge.
      const touched = new Map<string, { table: Dataset; inserted: number; deleted: number; ids: number[] }>();
      for (const t of targets.get(query) ?? []) {
        const table = this.tableCache.get(t.tbl);
        if (!table) {
          unlisted.add(t.tbl);
          continue;
        }
        if (isAutoRefresh(label, table.materializedView)) continue;
        const key = `${table.database}.${table.schema}.${table.name}`;
        const entry = touched.get(key) ?? { table, inserted: 0, deleted: 0, ids: [] };
        entry.inserted += t.inserted;
        entry.deleted += t.deleted;
        entry.ids.push(t.tbl);
        touched.set(key, entry);
      }
      if (touched.size === 0) continue;
      const targetIds = new Set([...touched.values()].flatMap((o) => o.ids));
      const inputTables = [...new Set(scans.get(query) ?? [])].filter((tbl) => !targetIds.has(tbl)).map((tbl) => this.tableCache.get(tbl));
      const inputs = [...new Map(inputTables.filter((t): t is Dataset => !!t).map((t) => [this.key(t), this.dataset(t)])).values()];
      // A COPY's source is outside Redshift (STL_SCAN lists no permanent table): the S3 object it names.
      const loaded = copySource(sql);
      if (loaded) inputs.push(canonicalDataset(loaded.namespace, loaded.name));
      const at = (row.endtime ?? row.starttime).getTime();
      const hints = jobHints({ sql, queryLabel: label });
      const outputs: Array<{ namespace: string; name: string; rowCount: number }> = [];
      for (const o of touched.values()) {
        const operation = operationOf(sql, { inserted: o.inserted > 0, deleted: o.deleted > 0 }, o.table.materializedView);
        const ref = this.dataset(o.table);
        const dataWrite = isDataWrite(operation);
        const rows = dataWrite ? o.inserted : o.deleted;
        if (dataWrite) outputs.push({ ...ref, rowCount: rows });
        out.writes.push({
          dataset: datasetId(ref.namespace, ref.name),
          sources: dataWrite ? (inputs.map((i) => datasetId(i.namespace, i.name)) as NodeId[]) : [],
          writtenAt: at,
          operation,
          actor: actor ?? `userid:${row.userid}`,
          queryId: String(query),
          queryText: sql || undefined,
          rows,
          ...(hints ? { hints } : {}),
          connectorId: ctx.connectorId,
        });
      }
      if (outputs.length === 0) continue;
      out.columnStats.statements += 1;
      const columns = columnLineageFor(ctx, sql, row.database.trim(), this.namespace, outputs);
      if (columns.lineage) out.columnStats.withColumns += 1;
      else out.columnStats.reason = columns.reason;
      out.events.push(
        observedRunEvent({
          producer: REDSHIFT_PRODUCER,
          runId: deterministicUuid(this.namespace, row.xid, query),
          job: { namespace: this.namespace, name: hints?.queryLabel ?? `statement.${statementFingerprint(sql)}` },
          eventTime: at,
          inputs,
          outputs: outputs.map((o) => ({ ...o, columnLineage: columns.lineage?.get(o.name) })),
          sql: sql || undefined,
          externalQueryId: String(query),
          source: this.namespace,
          integration: 'REDSHIFT',
        }),
      );
    }
    if (unlisted.size > 0)
      ctx.log('debug', 'written table ids that are not datasets (temporary, internal, or not in SVV_TABLE_INFO) were skipped', {
        tableIds: [...unlisted].sort((a, b) => a - b),
      });
    return out;
  }

  /**
   * TRUNCATE statements (utility text, no table id): the table named in the text, when SVV_TABLE_INFO lists it.
   * A statement longer than 200 characters (a leading dbt comment, say) spans several SVL_STATEMENTTEXT rows, one per
   * `sequence`: they are put back together, as STL_QUERYTEXT pieces are, before the text is read.
   */
  async describeTruncates(pieces: UtilityRow[], session: RedshiftSession, ctx: ConnectorContext, database: string): Promise<ObservedWrite[]> {
    const statements = new Map<string, { row: UtilityRow; pieces: Array<{ sequence: number; text: string }> }>();
    for (const piece of pieces) {
      const key = `${piece.xid}|${piece.pid}|${piece.starttime.getTime()}`;
      const entry = statements.get(key) ?? { row: piece, pieces: [] };
      entry.pieces.push({ sequence: Number(piece.sequence ?? 0), text: String(piece.text ?? '') });
      statements.set(key, entry);
    }
    const rows = [...statements.values()];
    await this.resolveUsers(rows.map((r) => Number(r.row.userid)), session);
    const writes: ObservedWrite[] = [];
    for (const { row, pieces: text } of rows) {
      const actor = this.userCache.get(Number(row.userid));
      const sql = rebuildQueryText(text);
      const named = truncatedTable(sql);
      if (!named || isSystemUser(Number(row.userid), actor)) continue;
      const found = await session.query<{ table_id: number; database: string; schema: string; name: string }>(tablesByName(named.schema, named.name));
      const listed = found.find((t) => t.database.trim().toLowerCase() === (named.database ?? database).toLowerCase()) ?? (named.database ? undefined : found[0]);
      const table = listed ? datasetTable({ database: listed.database, schema: listed.schema, name: listed.name }) : null;
      if (!table) continue;
      const ref = this.dataset(table);
      const hints = jobHints({ sql, queryLabel: row.label });
      writes.push({
        dataset: datasetId(ref.namespace, ref.name),
        sources: [],
        writtenAt: (row.endtime ?? row.starttime).getTime(),
        operation: 'TRUNCATE',
        actor: actor ?? `userid:${row.userid}`,
        queryId: `xid:${row.xid}:${row.pid}`,
        queryText: sql,
        ...(hints ? { hints } : {}),
        connectorId: ctx.connectorId,
      });
    }
    return writes;
  }

  private key(t: RedshiftTable) {
    return `${t.database}.${t.schema}.${t.name}`;
  }

  private dataset(table: RedshiftTable) {
    return canonicalDataset(this.namespace, this.key(table));
  }

  private async resolveTables(ids: number[], session: RedshiftSession) {
    const missing = [...new Set(ids)].filter((id) => !this.tableCache.has(id));
    for (const chunk of chunks(missing.sort((a, b) => a - b), ID_CHUNK)) {
      const found = await session.query<{ table_id: number | string; database: string; schema: string; name: string }>(tableNames(chunk));
      const listed = new Set<number>();
      for (const t of found) {
        listed.add(Number(t.table_id));
        this.tableCache.set(Number(t.table_id), datasetTable({ database: t.database, schema: t.schema, name: t.name }));
      }
      // Unlisted ids are remembered as "not a dataset" for this pull only (a later pull asks again).
      for (const id of chunk) if (!listed.has(id)) this.tableCache.set(id, null);
    }
  }

  private async resolveUsers(ids: number[], session: RedshiftSession) {
    const missing = [...new Set(ids)].filter((id) => !this.userCache.has(id)).sort((a, b) => a - b);
    if (missing.length === 0) return;
    for (const u of await session.query<{ usesysid: number; usename: string }>(userNames(missing)))
      this.userCache.set(Number(u.usesysid), String(u.usename).trim());
  }
}
