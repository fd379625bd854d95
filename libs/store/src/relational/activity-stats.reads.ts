/**
 * The counts behind Marquez's dashboard (/api/v1/stats/*), over buckets the caller cuts (hours of the last day, or
 * days of the last week in a time zone): OpenLineage events by type per bucket (by event time), and how many
 * jobs, datasets and sources existed at the end of each bucket (cumulative, by creation time). A source is a
 * dataset's data source (its dataSource facet's name, else its namespace), created with its first dataset.
 */
import type { ActivityKind, CreatedCountsFilter, EventTypeCounts } from '../lineage-store.port';
import type { SqlDialect, SqlExecutor, SqlValue } from '../sql/sql-driver';
import type { Row } from './row-codec';

const EVENT_TYPES = ['START', 'COMPLETE', 'FAIL', 'ABORT'] as const;

export class ActivityStatsReads {
  constructor(
    private readonly db: SqlExecutor,
    private readonly dialect: SqlDialect,
  ) {}

  /** Events per type in each bucket [boundaries[i], boundaries[i + 1]). */
  async eventTypeCounts(boundaries: number[]): Promise<EventTypeCounts[]> {
    const buckets = boundaries.length - 1;
    const out: EventTypeCounts[] = Array.from({ length: Math.max(0, buckets) }, () => ({ start: 0, complete: 0, fail: 0, abort: 0 }));
    if (buckets <= 0) return out;
    const cases: string[] = [];
    const params: SqlValue[] = [];
    for (let i = 0; i < buckets; i++) {
      cases.push(`WHEN event_time_ms < ? THEN ${i}`);
      params.push(boundaries[i + 1]);
    }
    const type = this.dialect === 'postgres' ? "(payload::json ->> 'eventType')" : "json_extract(payload, '$.eventType')";
    const rows = await this.db.query<Row>(
      `SELECT bucket, event_type, count(*) AS n FROM (
         SELECT CASE ${cases.join(' ')} END AS bucket, ${type} AS event_type FROM events WHERE event_time_ms >= ? AND event_time_ms < ?
       ) e WHERE event_type IN (${EVENT_TYPES.map(() => '?').join(', ')}) GROUP BY bucket, event_type`,
      [...params, boundaries[0], boundaries[buckets], ...EVENT_TYPES],
    );
    for (const row of rows) {
      const bucket = out[Number(row.bucket)];
      if (bucket) bucket[String(row.event_type).toLowerCase() as keyof EventTypeCounts] += Number(row.n);
    }
    return out;
  }

  /**
   * How many of `kind` had been created before the end of each bucket (boundaries[i + 1]). With a dataset namespace
   * filter, datasets and sources count only the datasets it accepts: the counts are read per namespace (one row each)
   * and the filter applied to those rows.
   */
  async createdCounts(kind: ActivityKind, boundaries: number[], filter?: CreatedCountsFilter): Promise<number[]> {
    const ends = boundaries.slice(1);
    if (ends.length === 0) return [];
    const accepts = kind === 'jobs' ? undefined : filter?.datasetNamespace;
    if (kind === 'sources') {
      const rows = await this.db.query<Row>(
        'SELECT coalesce(source_name, namespace) AS source, namespace, min(created_at) AS created_at FROM datasets GROUP BY coalesce(source_name, namespace), namespace',
      );
      const firstBySource = new Map<string, number>();
      for (const row of rows) {
        if (accepts && !accepts(String(row.namespace))) continue;
        const source = String(row.source);
        const at = Number(row.created_at);
        firstBySource.set(source, Math.min(at, firstBySource.get(source) ?? at));
      }
      const created = [...firstBySource.values()];
      return ends.map((end) => created.filter((at) => at < end).length);
    }
    const table = kind === 'jobs' ? 'jobs' : 'datasets';
    const sums = ends.map((_, i) => `sum(CASE WHEN created_at < ? THEN 1 ELSE 0 END) AS c${i}`).join(', ');
    if (!accepts) {
      const [row] = await this.db.query<Row>(`SELECT ${sums} FROM ${table}`, ends);
      return ends.map((_, i) => Number(row?.[`c${i}`] ?? 0));
    }
    const rows = await this.db.query<Row>(`SELECT namespace, ${sums} FROM datasets GROUP BY namespace`, ends);
    const kept = rows.filter((row) => accepts(String(row.namespace)));
    return ends.map((_, i) => kept.reduce((n, row) => n + Number(row[`c${i}`] ?? 0), 0));
  }
}
