/** The write and query side of FindingsStore: findings with history, freshness states, policies, coverage, marks. */
import { FINDING_KINDS, type CoverageRecord, type Finding, type FindingDetail, type FindingKind, type FindingPage, type FindingQuery, type FreshnessPolicyDocument, type FreshnessState, type NodeId } from '@lineage-hub/model';
import { decodeFindingCursor, encodeFindingCursor } from '@lineage-hub/model';
import type { Row } from '../relational/row-codec';
import { oneOf } from '../sql/one-of-condition';
import type { SqlDriver, SqlExecutor, SqlValue } from '../sql/sql-driver';
import { coverageFromRow, FINDING_COLUMNS, findingFromRow, findingRow, FRESHNESS_COLUMNS, freshnessFromRow, freshnessRow } from './findings-rows';
import type { FindingsChanges, FindingsMark } from './findings-store.port';
import { freshnessParam, PG_FRESHNESS_CHUNK, PG_FRESHNESS_UPSERT, pgApplyEvaluation } from './pg-apply-evaluation.sql';

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

const upsert = (conflict: string, columns: string[]) => `ON CONFLICT (${conflict}) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;

const FRESHNESS_UPSERT = upsert('dataset_id', FRESHNESS_COLUMNS.slice(1));

export class FindingsRepository {
  constructor(private readonly db: SqlDriver) {}

  async recordCoverage(records: readonly CoverageRecord[]): Promise<{ inserted: number; duplicates: number }> {
    const rows = records.map((r) => [r.connectorId, r.platform, r.namespace, r.from, r.to, JSON.stringify(r.gaps ?? []), r.recordedAt]);
    const inserted = await this.db.insertRows(
      'coverage_records',
      ['connector_id', 'platform', 'namespace', 'window_from', 'window_to', 'gaps', 'recorded_at'],
      rows,
      'ON CONFLICT (connector_id, window_from, window_to, recorded_at) DO NOTHING',
    );
    return { inserted, duplicates: records.length - inserted };
  }

  async listCoverage(since: number): Promise<CoverageRecord[]> {
    return (await this.db.query<Row>('SELECT * FROM coverage_records WHERE window_to >= ? ORDER BY recorded_at, connector_id', [since])).map(coverageFromRow);
  }

  async getPolicies(): Promise<FreshnessPolicyDocument | null> {
    const [row] = await this.db.query<Row>('SELECT document FROM freshness_policies WHERE id = 1');
    return row ? (JSON.parse(row.document) as FreshnessPolicyDocument) : null;
  }

  async putPolicies(doc: FreshnessPolicyDocument, at: number): Promise<void> {
    await this.db.insertRows('freshness_policies', ['id', 'document', 'updated_at'], [[1, JSON.stringify(doc), at]], upsert('id', ['document', 'updated_at']));
  }

  async getMark(): Promise<FindingsMark | null> {
    const [row] = await this.db.query<Row>('SELECT evaluated_at, event_seq, write_seq FROM findings_state WHERE id = 1');
    return row ? { evaluatedAt: Number(row.evaluated_at), eventSeq: Number(row.event_seq), writeSeq: Number(row.write_seq) } : null;
  }

  async openFindings(scope?: { datasets: readonly NodeId[]; jobs: readonly NodeId[] }): Promise<Finding[]> {
    if (!scope) return (await this.db.query<Row>("SELECT * FROM findings WHERE status = 'open'")).map(findingFromRow);
    const ds = oneOf(this.db.dialect, 'dataset_id', scope.datasets);
    const jobs = oneOf(this.db.dialect, 'job_id', scope.jobs);
    const rows = await this.db.query<Row>(
      `SELECT * FROM findings WHERE status = 'open' AND (${ds.sql} OR ${jobs.sql} OR (dataset_id IS NULL AND job_id IS NULL))`,
      [ds.param, jobs.param],
    );
    return rows.map(findingFromRow);
  }

  async applyEvaluation(changes: FindingsChanges, freshness: readonly FreshnessState[], mark: FindingsMark): Promise<void> {
    if (this.db.dialect === 'postgres') {
      if (freshness.length <= PG_FRESHNESS_CHUNK) {
        const { sql, params } = pgApplyEvaluation(changes, freshness, mark);
        await this.db.execute(sql, params); // one statement: atomic on its own
        return;
      }
      const last = freshness.length - PG_FRESHNESS_CHUNK;
      await this.db.transaction(async (tx: SqlExecutor) => {
        for (let i = 0; i < last; i += PG_FRESHNESS_CHUNK) await tx.execute(PG_FRESHNESS_UPSERT, [freshnessParam(freshness.slice(i, Math.min(i + PG_FRESHNESS_CHUNK, last)), mark.evaluatedAt)]);
        const { sql, params } = pgApplyEvaluation(changes, freshness.slice(last), mark);
        await tx.execute(sql, params);
      });
      return;
    }
    await this.db.transaction(async (tx: SqlExecutor) => {
      const rewrite = [...changes.updated, ...changes.refreshed, ...changes.resolved];
      const mutable = ['status', 'resolved_at', 'updated_at', 'confidence', 'summary', 'evidence'];
      if (changes.opened.length) await tx.insertRows('findings', FINDING_COLUMNS, changes.opened.map(findingRow));
      if (rewrite.length) await tx.insertRows('findings', FINDING_COLUMNS, rewrite.map(findingRow), upsert('id', mutable));
      if (changes.history.length)
        await tx.insertRows(
          'finding_history',
          ['finding_id', 'at', 'change', 'summary'],
          changes.history.map((h) => [h.findingId, h.at, h.change, h.summary]),
          'ON CONFLICT (finding_id, at, change) DO NOTHING',
        );
      if (freshness.length)
        await tx.insertRows('freshness_states', FRESHNESS_COLUMNS, freshness.map((s) => freshnessRow(s, mark.evaluatedAt)), FRESHNESS_UPSERT);
      // writes_at (the time mark before migration 5) is kept at 0: the mark is write_seq
      await tx.insertRows('findings_state', ['id', 'evaluated_at', 'event_seq', 'writes_at', 'write_seq'], [[1, mark.evaluatedAt, mark.eventSeq, 0, mark.writeSeq]], upsert('id', ['evaluated_at', 'event_seq', 'write_seq']));
    });
  }

  async listFindings(query: FindingQuery): Promise<FindingPage> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const add = (sql: string, ...values: SqlValue[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (query.kind) add('kind = ?', query.kind);
    if (query.status) add('status = ?', query.status);
    if (query.dataset) add('dataset_id = ?', query.dataset);
    if (query.job) add('job_id = ?', query.job);
    if (query.since !== undefined) add('updated_at >= ?', query.since);
    if (query.cursor) {
      const { openedAt, id } = decodeFindingCursor(query.cursor);
      add('(opened_at < ? OR (opened_at = ? AND id < ?))', openedAt, openedAt, id);
    }
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
    const rows = await this.db.query<Row>(
      `SELECT * FROM findings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, id DESC LIMIT ?`,
      [...params, limit + 1],
    );
    const findings = rows.slice(0, limit).map(findingFromRow);
    return { findings, nextCursor: rows.length > limit ? encodeFindingCursor(findings[findings.length - 1]) : null };
  }

  async getFinding(id: string): Promise<FindingDetail | null> {
    const [row] = await this.db.query<Row>('SELECT * FROM findings WHERE id = ?', [id]);
    if (!row) return null;
    const history = await this.db.query<Row>('SELECT * FROM finding_history WHERE finding_id = ? ORDER BY at, change', [id]);
    return { ...findingFromRow(row), history: history.map((h) => ({ findingId: h.finding_id, at: Number(h.at), change: h.change, summary: h.summary })) };
  }

  async getFreshness(dataset: NodeId): Promise<FreshnessState | null> {
    const [row] = await this.db.query<Row>('SELECT * FROM freshness_states WHERE dataset_id = ?', [dataset]);
    return row ? freshnessFromRow(row) : null;
  }

  async countOpenByKind(): Promise<Partial<Record<FindingKind, number>>> {
    const rows = await this.db.query<Row>("SELECT kind, COUNT(*) AS n FROM findings WHERE status = 'open' GROUP BY kind");
    const out: Partial<Record<FindingKind, number>> = {};
    for (const k of FINDING_KINDS) out[k] = 0;
    for (const r of rows) out[r.kind as FindingKind] = Number(r.n);
    return out;
  }
}
