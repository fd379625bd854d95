/** The read path of the relational store: Marquez-style records, observed writes, events and counts. */
import { observedWriteFromRow } from '../findings/findings-rows';
import type { NodeId, ObservedWrite } from '@lineage-hub/model';
import { endedAt } from '../derive/run-state';
import type {
  DatasetRecord,
  JobRecord,
  NamespaceRecord,
  Page,
  RunRecord,
  RunState,
  SearchHit,
  StoredEvent,
} from '../lineage-store.port';
import { chunks, placeholders, type SqlExecutor, type SqlValue } from '../sql/sql-driver';
import { cmp, DATASET_SELECT, IN_CHUNK, parse, runFromRow, selectIn, type Row } from './row-codec';
import { datasetValuesFromRow } from './dataset-row.codec';

const likePattern = (query: string) => `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class RelationalReads {
  constructor(private readonly db: SqlExecutor) {}

  async listObservedWrites(filter: { dataset?: NodeId; since?: number; until?: number }, page: Page): Promise<ObservedWrite[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    const add = (sql: string, value: SqlValue) => {
      where.push(sql);
      params.push(value);
    };
    if (filter.dataset) add('dataset_id = ?', filter.dataset);
    if (filter.since !== undefined) add('written_at >= ?', filter.since);
    if (filter.until !== undefined) add('written_at < ?', filter.until);
    const rows = await this.db.query<Row>(
      `SELECT * FROM observed_writes ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY written_at, connector_id, query_id, dataset_id LIMIT ? OFFSET ?`,
      [...params, page.limit, page.offset],
    );
    return rows.map(observedWriteFromRow);
  }

  // ---------------------------------------------------------------- Marquez-style reads

  async listNamespaces(): Promise<NamespaceRecord[]> {
    const rows = await this.db.query<Row>('SELECT name, created_at, updated_at FROM namespaces ORDER BY name');
    return rows.map((r) => ({ name: r.name, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) }));
  }

  async listDatasets(namespace: string, page: Page): Promise<{ items: DatasetRecord[]; total: number }> {
    const [{ n }] = await this.db.query<Row>('SELECT count(*) AS n FROM datasets WHERE namespace = ?', [namespace]);
    const rows = await this.db.query<Row>(`${DATASET_SELECT} WHERE d.namespace = ? ORDER BY d.name LIMIT ? OFFSET ?`, [namespace, page.limit, page.offset]);
    return { items: this.datasetRecords(rows, await this.aliasesOf(rows.map((r) => r.id))), total: Number(n) };
  }

  async getDataset(id: NodeId): Promise<DatasetRecord | null> {
    const [found] = await this.getDatasets([id]);
    return found ?? null;
  }

  /**
   * Accepts canonical ids and aliases; returns the canonical records, in the order asked, without repeats. The rows of
   * the ids as asked, which of them are aliases, and their aliases are read at once (one round trip on PostgreSQL, the
   * lineage reads' latency under ingest); an alias costs a second read, for its canonical row.
   */
  async getDatasets(ids: NodeId[]): Promise<DatasetRecord[]> {
    if (ids.length === 0) return [];
    const asked = [...new Set(ids)];
    const [aliasRows, rows, aliases] = await Promise.all([
      selectIn(this.db, 'SELECT alias, canonical FROM aliases WHERE alias IN', asked),
      selectIn(this.db, `${DATASET_SELECT} WHERE d.id IN`, asked),
      this.aliasesOf(asked),
    ]);
    const canonical = new Map<NodeId, NodeId>(aliasRows.map((row) => [row.alias, row.canonical]));
    const wanted = [...new Set(ids.map((id) => canonical.get(id) ?? id))];
    const found = new Set(rows.map((r) => r.id as NodeId));
    const more = canonical.size > 0 ? wanted.filter((id) => !found.has(id)) : [];
    if (more.length > 0) {
      const [moreRows, moreAliases] = await Promise.all([selectIn(this.db, `${DATASET_SELECT} WHERE d.id IN`, more), this.aliasesOf(more)]);
      rows.push(...moreRows);
      for (const [id, list] of moreAliases) aliases.set(id, list);
    }
    const byId = new Map(this.datasetRecords(rows, aliases).map((d) => [d.id, d]));
    return wanted.map((id) => byId.get(id)).filter((d): d is DatasetRecord => d !== undefined);
  }

  /** The aliases of each of these canonical ids (sorted). */
  private async aliasesOf(ids: NodeId[]): Promise<Map<NodeId, NodeId[]>> {
    const aliases = new Map<NodeId, NodeId[]>();
    for (const row of await selectIn(this.db, 'SELECT alias, canonical FROM aliases WHERE canonical IN', ids)) {
      aliases.set(row.canonical, [...(aliases.get(row.canonical) ?? []), row.alias]);
    }
    for (const list of aliases.values()) list.sort();
    return aliases;
  }

  private datasetRecords(rows: Row[], aliases: Map<NodeId, NodeId[]>): DatasetRecord[] {
    return rows.map((r) => ({ ...datasetValuesFromRow(r), deleted: Number(r.deleted) === 1, aliases: [...(aliases.get(r.id) ?? [])] }));
  }

  async listJobs(namespace: string | null, page: Page, filter?: { latestRunStates?: RunState[] }): Promise<{ items: JobRecord[]; total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    let from = 'jobs j';
    if (namespace !== null) {
      where.push('j.namespace = ?');
      params.push(namespace);
    }
    const states = filter?.latestRunStates;
    if (states) {
      // the latest run as jobRecords picks it: by start, then id
      from += ` JOIN (SELECT owner, state, row_number() OVER (PARTITION BY owner ORDER BY started_at DESC, run_id DESC) AS rn FROM runs WHERE kind = 'run') r ON r.owner = j.id AND r.rn = 1`;
      where.push(states.length ? `r.state IN (${placeholders(states.length)})` : '1 = 0');
      params.push(...states);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.db.query<Row>(`SELECT count(*) AS n FROM ${from} ${clause}`, params);
    const rows = await this.db.query<Row>(`SELECT j.* FROM ${from} ${clause} ORDER BY j.namespace, j.name LIMIT ? OFFSET ?`, [...params, page.limit, page.offset]);
    return { items: await this.jobRecords(rows, rows.map((r) => r.id)), total: Number(n) };
  }

  async getJob(id: NodeId): Promise<JobRecord | null> {
    const [found] = await this.getJobs([id]);
    return found ?? null;
  }

  /** The jobs' rows, latest runs and current inputs and outputs are read at once (one round trip on PostgreSQL). */
  async getJobs(ids: NodeId[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const byId = new Map((await this.jobRecords(selectIn(this.db, 'SELECT * FROM jobs WHERE id IN', unique), unique)).map((j) => [j.id, j]));
    return unique.map((id) => byId.get(id)).filter((j): j is JobRecord => j !== undefined);
  }

  /** Job records of `rows` (the jobs of `ids`), their latest runs and current edges read beside them. */
  private async jobRecords(jobRows: Row[] | Promise<Row[]>, ids: string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    const io = new Map<string, { inputs: Set<NodeId>; outputs: Set<NodeId> }>();
    const lastRun = new Map<string, { runId: string | null; updatedAt: number }>();
    const reads = chunks(ids, IN_CHUNK).map((chunk) =>
      Promise.all([
        // the latest run (by start, then id) and the latest event time of each job's runs and declarations
        this.db.query<Row>(
          `SELECT owner, run_id, kind, updated_at FROM (
             SELECT owner, run_id, kind, max(updated_at) OVER (PARTITION BY owner) AS updated_at,
                    row_number() OVER (PARTITION BY owner ORDER BY CASE WHEN kind = 'run' THEN 0 ELSE 1 END, started_at DESC, run_id DESC) AS rn
             FROM runs WHERE owner IN (${placeholders(chunk.length)})) ranked
           WHERE rn = 1`,
          chunk,
        ),
        this.db.query<Row>(`SELECT owner, kind, from_id, to_id FROM edges WHERE valid_to IS NULL AND kind <> 'column' AND owner IN (${placeholders(chunk.length)})`, chunk),
      ]),
    );
    const [rows, answers] = await Promise.all([jobRows, Promise.all(reads)]);
    for (const [latest, found] of answers) {
      for (const r of latest) lastRun.set(r.owner, { runId: r.kind === 'run' ? r.run_id : null, updatedAt: Number(r.updated_at) });
      for (const e of found) {
        const entry = io.get(e.owner) ?? { inputs: new Set<NodeId>(), outputs: new Set<NodeId>() };
        if (e.kind === 'reads') entry.inputs.add(e.from_id);
        else entry.outputs.add(e.to_id);
        io.set(e.owner, entry);
      }
    }
    return rows.map((r) => ({
      id: r.id,
      namespace: r.namespace,
      name: r.name,
      type: r.type,
      createdAt: Number(r.created_at),
      updatedAt: Math.max(Number(r.updated_at), lastRun.get(r.id)?.updatedAt ?? -Infinity),
      description: r.description ?? null,
      facets: parse(r.facets, {}),
      inputs: [...(io.get(r.id)?.inputs ?? [])].sort(),
      outputs: [...(io.get(r.id)?.outputs ?? [])].sort(),
      latestRunId: lastRun.get(r.id)?.runId ?? null,
      location: r.location ?? null,
    }));
  }

  async listRuns(job: NodeId, page: Page): Promise<{ items: RunRecord[]; total: number }> {
    const [{ n }] = await this.db.query<Row>("SELECT count(*) AS n FROM runs WHERE owner = ? AND kind = 'run'", [job]);
    const rows = await this.db.query<Row>("SELECT * FROM runs WHERE owner = ? AND kind = 'run' ORDER BY started_at DESC, run_id DESC LIMIT ? OFFSET ?", [
      job, page.limit, page.offset,
    ]);
    return { items: rows.map((r) => this.runRecord(r)), total: Number(n) };
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const [row] = await this.db.query<Row>("SELECT * FROM runs WHERE run_id = ? AND kind = 'run'", [runId]);
    return row ? this.runRecord(row) : null;
  }

  async getRuns(runIds: string[]): Promise<RunRecord[]> {
    const unique = [...new Set(runIds)];
    const byId = new Map((await selectIn(this.db, "SELECT * FROM runs WHERE kind = 'run' AND run_id IN", unique)).map((r) => [r.run_id as string, this.runRecord(r)]));
    return unique.map((id) => byId.get(id)).filter((r): r is RunRecord => r !== undefined);
  }

  async latestRuns(jobIds: NodeId[]): Promise<Map<NodeId, RunRecord>> {
    const latest = new Map<NodeId, RunRecord>();
    // the order jobRecords picks latestRunId by: a run before a declaration, then by start, then by id
    const rows = await selectIn(
      this.db,
      `SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY owner ORDER BY started_at DESC, run_id DESC) AS latest_rank FROM runs r
         WHERE kind = 'run' AND owner IN`,
      [...new Set(jobIds)],
      ') ranked WHERE latest_rank = 1',
    );
    for (const row of rows) latest.set(row.owner, this.runRecord(row));
    return latest;
  }

  private runRecord(row: Row): RunRecord {
    const run = runFromRow(row);
    return {
      runId: run.runId,
      job: run.owner,
      state: run.state,
      createdAt: run.startedAt,
      updatedAt: run.updatedAt,
      startedAt: run.startedAt,
      endedAt: endedAt(run),
      nominalStartTime: run.nominalStartTime,
      nominalEndTime: run.nominalEndTime,
      facets: run.facets,
      inputs: run.inputs,
      outputs: run.outputs,
      parentRunId: run.parentRunId,
    };
  }

  async search(query: string, opts: { type?: 'DATASET' | 'JOB'; namespace?: string; limit: number }): Promise<SearchHit[]> {
    const pattern = likePattern(query);
    const hits: SearchHit[] = [];
    const run = async (from: string, type: 'DATASET' | 'JOB') => {
      const params: SqlValue[] = [pattern];
      // a dataset's last write, or when it was first seen if no event wrote it (dataset-row.codec.ts)
      const updated = type === 'DATASET' ? 'COALESCE(NULLIF(t.updated_at, 0), x.created_at)' : 'x.updated_at';
      let sql = `SELECT x.id, x.namespace, x.name, ${updated} AS sort_at FROM ${from} WHERE lower(x.name) LIKE ? ESCAPE '\\'`;
      if (opts.namespace) {
        sql += ' AND x.namespace = ?';
        params.push(opts.namespace);
      }
      sql += ' ORDER BY sort_at DESC, x.id LIMIT ?';
      params.push(opts.limit);
      for (const r of await this.db.query<Row>(sql, params)) hits.push({ type, name: r.name, namespace: r.namespace, nodeId: r.id, updatedAt: Number(r.sort_at) });
    };
    if (opts.type !== 'JOB') await run('datasets x JOIN dataset_times t ON t.id = x.id', 'DATASET');
    if (opts.type !== 'DATASET') await run('jobs x', 'JOB');
    return hits.sort((a, b) => b.updatedAt - a.updatedAt || cmp(a.nodeId, b.nodeId)).slice(0, opts.limit);
  }

  async countSearch(query: string, opts: { type?: 'DATASET' | 'JOB'; namespace?: string }): Promise<number> {
    let total = 0;
    for (const [table, type] of [['datasets', 'DATASET'], ['jobs', 'JOB']] as const) {
      if (opts.type && opts.type !== type) continue;
      const params: SqlValue[] = [likePattern(query)];
      let sql = `SELECT count(*) AS n FROM ${table} x WHERE lower(x.name) LIKE ? ESCAPE '\\'`;
      if (opts.namespace) {
        sql += ' AND x.namespace = ?';
        params.push(opts.namespace);
      }
      total += Number((await this.db.query<Row>(sql, params))[0].n);
    }
    return total;
  }

  /** Events by event time: `after` inclusive, `before` exclusive (as Marquez's /events/lineage). */
  async listEvents(opts: { after?: number; before?: number; sortDirection: 'asc' | 'desc' } & Page): Promise<{ items: StoredEvent[]; total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (opts.after !== undefined) {
      where.push('event_time_ms >= ?');
      params.push(opts.after);
    }
    if (opts.before !== undefined) {
      where.push('event_time_ms < ?');
      params.push(opts.before);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const direction = opts.sortDirection === 'asc' ? 'ASC' : 'DESC';
    const [{ n }] = await this.db.query<Row>(`SELECT count(*) AS n FROM events ${clause}`, params);
    const rows = await this.db.query<Row>(
      `SELECT seq, received_at, event_time, payload FROM events ${clause} ORDER BY event_time_ms ${direction}, seq ${direction} LIMIT ? OFFSET ?`,
      [...params, opts.limit, opts.offset],
    );
    return {
      total: Number(n),
      items: rows.map((r) => ({ seq: Number(r.seq), receivedAt: Number(r.received_at), eventTime: r.event_time ?? null, event: parse(r.payload, {}) })),
    };
  }

  async stats(): Promise<{ events: number; datasets: number; jobs: number; runs: number; edges: number }> {
    const count = async (sql: string) => Number((await this.db.query<Row>(sql))[0].n);
    return {
      events: await count('SELECT count(*) AS n FROM events'),
      datasets: await count('SELECT count(*) AS n FROM datasets'),
      jobs: await count('SELECT count(*) AS n FROM jobs'),
      runs: await count("SELECT count(*) AS n FROM runs WHERE kind = 'run'"),
      edges: await count('SELECT count(*) AS n FROM edges'),
    };
  }
}
