/** The facts side of FindingsStore: runs, observed writes, what changed since a mark, what is due. */
import { bigQueryJobId, canonicalDataset, datasetId, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import type { Row } from '../relational/row-codec';
import { oneOf } from '../sql/one-of-condition';
import type { SqlDriver } from '../sql/sql-driver';
import { datasetTagsFromRow } from './dataset-tags';
import { factRunFromRow, observedWriteFromRow } from './findings-rows';
import type { FactRun, FindingsChangesSince } from './findings-store.port';

const RUN_COLUMNS = 'run_id, owner, state, state_at, started_at, ended_at, inputs, outputs, facets';
/**
 * Declared runs only: a connector delivers, with each statement it saw, a run of provenance `observed` carrying the
 * statement's ExternalQueryRunFacet; that run is the warehouse's doing, not a pipeline's declaration, and would
 * otherwise explain the very write it was made from (by query id and by time).
 */
const DECLARED_RUN = "kind = 'run' AND provenance <> 'observed'";
const WRITE_COLUMNS = 'connector_id, query_id, dataset_id, written_at, sources, user_name, query_text, row_count, operation, actor, hints, root_query_id';

/** The parts of a stored event (the raw payload) that name what it changed. */
interface RunlessEvent {
  run?: { runId?: unknown };
  dataset?: unknown;
  inputs?: unknown;
  outputs?: unknown;
}

/** A dataset reference of a raw payload as its stored id (canonical, as ingest derived it); null if it names none. */
const datasetRef = (ref: unknown): NodeId | null => {
  if (typeof ref !== 'object' || ref === null) return null;
  const { namespace, name } = ref as { namespace?: unknown; name?: unknown };
  if (typeof namespace !== 'string' || typeof name !== 'string' || !namespace || !name) return null;
  try {
    const c = canonicalDataset(namespace, name);
    return datasetId(c.namespace, c.name);
  } catch {
    return null; // ingest refused what it cannot name: no row of it to re-evaluate
  }
};

/** Whether schema fields (or their nested fields) carry tags. */
const fieldsCarryTags = (fields: unknown): boolean =>
  Array.isArray(fields) && fields.some((f: { tags?: unknown; fields?: unknown } | null) => typeof f === 'object' && f !== null && (f.tags !== undefined || fieldsCarryTags(f.fields)));

/** Whether a dataset reference carries tags (the TagsDatasetFacet, or tags on its schema's fields). */
const carriesTags = (ref: unknown): boolean => {
  const facets = (ref as { facets?: { tags?: unknown; schema?: { fields?: unknown } } } | null)?.facets;
  if (typeof facets !== 'object' || facets === null) return false;
  return facets.tags !== undefined || fieldsCarryTags(facets.schema?.fields);
};

/**
 * A run event's inputs that carry tags: the tags may change the policy that applies to an input, which nothing else
 * marks changed (its writers are other jobs). Its outputs are re-evaluated through the job anyway.
 */
const addTaggedInputs = (event: RunlessEvent, into: Set<NodeId>): void => {
  if (!Array.isArray(event.inputs)) return;
  for (const ref of event.inputs) {
    if (!carriesTags(ref)) continue;
    const id = datasetRef(ref);
    if (id) into.add(id);
  }
};

const addRunlessDatasets = (event: RunlessEvent, into: Set<NodeId>): void => {
  const refs = [event.dataset, ...(Array.isArray(event.inputs) ? event.inputs : []), ...(Array.isArray(event.outputs) ? event.outputs : [])];
  for (const ref of refs) {
    const id = datasetRef(ref);
    if (id) into.add(id);
  }
};

export class FindingsFactsReader {
  constructor(private readonly db: SqlDriver) {}

  /** Rows whose `column` is one of `values`, in one query (none asked when there are no values). */
  private async whereOneOf(sqlBefore: string, column: string, values: readonly string[], sqlAfter = '', params: (string | number)[] = []): Promise<Row[]> {
    if (values.length === 0) return [];
    const c = oneOf(this.db.dialect, column, values);
    return this.db.query<Row>(`${sqlBefore} ${c.sql} ${sqlAfter}`, [c.param, ...params]);
  }

  async scanRuns(since: number): Promise<FactRun[]> {
    const rows = await this.db.query<Row>(`SELECT ${RUN_COLUMNS} FROM runs WHERE ${DECLARED_RUN} AND (started_at >= ? OR ended_at >= ? OR ended_at IS NULL)`, [since, since]);
    return rows.map(factRunFromRow);
  }

  async scanWrites(since: number): Promise<ObservedWrite[]> {
    return (await this.db.query<Row>(`SELECT ${WRITE_COLUMNS} FROM observed_writes WHERE written_at >= ?`, [since])).map(observedWriteFromRow);
  }

  async runsOfJobs(jobs: readonly NodeId[], since: number): Promise<FactRun[]> {
    const rows = await this.whereOneOf(`SELECT ${RUN_COLUMNS} FROM runs WHERE ${DECLARED_RUN} AND`, 'owner', jobs, 'AND (started_at >= ? OR ended_at >= ? OR ended_at IS NULL)', [since, since]);
    return rows.map(factRunFromRow);
  }

  async writersOf(datasets: readonly NodeId[]): Promise<NodeId[]> {
    const rows = await this.whereOneOf("SELECT DISTINCT from_id FROM edges WHERE kind IN ('reads', 'writes') AND kind = 'writes' AND", 'to_id', datasets);
    return [...new Set(rows.map((r) => r.from_id as NodeId))];
  }

  async writesTo(datasets: readonly NodeId[], since: number): Promise<ObservedWrite[]> {
    return (await this.whereOneOf(`SELECT ${WRITE_COLUMNS} FROM observed_writes WHERE`, 'dataset_id', datasets, 'AND written_at >= ?', [since])).map(observedWriteFromRow);
  }

  async recentOrNamingWritesTo(datasets: readonly NodeId[], since: number, recentSince: number, actors: readonly string[]): Promise<ObservedWrite[]> {
    // in lower case both sides: a configured actor is also keyed in lower case (reconcile actorMapping), so a
    // statement its warehouse reports in another case still counts as one that may name a job
    const a = oneOf(this.db.dialect, 'lower(COALESCE(actor, user_name))', [...new Set(actors.map((x) => x.toLowerCase()))]);
    const rows = await this.whereOneOf(
      `SELECT ${WRITE_COLUMNS} FROM observed_writes WHERE`,
      'dataset_id',
      datasets,
      `AND written_at >= ? AND (written_at >= ? OR (sources <> '[]' AND (hints IS NOT NULL OR ${a.sql})))`,
      [since, recentSince, a.param],
    );
    return rows.map(observedWriteFromRow);
  }

  /**
   * The writes whose query id is one of `queryIds`, or is a BigQuery job reference (`project:LOCATION.jobId`) whose
   * job id is: a declared run names the bare id (Airflow), the connector the reference. Likewise the writes whose
   * root statement (the top-level one that ran them: a BigQuery script's job, a Snowflake procedure's outermost CALL)
   * is. Each write once.
   */
  async writesByQueryIds(queryIds: readonly string[]): Promise<ObservedWrite[]> {
    const bare = queryIds.filter((q) => q.indexOf(':') < 0); // (a job id holds no ':')
    const select = `SELECT ${WRITE_COLUMNS} FROM observed_writes WHERE`;
    const [exact, byJob, byRoot, byRootJob] = await Promise.all([
      this.whereOneOf(select, 'query_id', queryIds),
      this.whereOneOf(select, 'bigquery_job_id', bare),
      this.whereOneOf(select, 'root_query_id', queryIds),
      this.whereOneOf(select, 'bigquery_root_job_id', bare),
    ]);
    if (!byJob.length && !byRoot.length && !byRootJob.length) return exact.map(observedWriteFromRow);
    // rows written before migration 10 hold a candidate job id: only true references to an asked job are kept
    const asked = new Set(bare);
    const key = (r: Row) => `${r.connector_id}\u0000${r.query_id}\u0000${r.dataset_id}`;
    const seen = new Set(exact.map(key));
    const rows = [...exact];
    const add = (r: Row) => {
      if (seen.has(key(r))) return;
      seen.add(key(r));
      rows.push(r);
    };
    for (const r of byJob) if (asked.has(bigQueryJobId(r.query_id as string) ?? '')) add(r);
    for (const r of byRoot) add(r);
    for (const r of byRootJob) add(r);
    return rows.map(observedWriteFromRow);
  }

  /** Tags of the given datasets, or of every tagged dataset when none are given (only datasets with a tag appear). */
  async datasetTags(datasets?: readonly NodeId[]): Promise<Map<NodeId, string[]>> {
    const tagged = `(facets LIKE '%"tags"%' OR fields LIKE '%"tags":["%')`;
    const rows = datasets
      ? await this.whereOneOf(`SELECT id, facets, fields FROM datasets WHERE ${tagged} AND`, 'id', datasets)
      : await this.db.query<Row>(`SELECT id, facets, fields FROM datasets WHERE ${tagged}`);
    const out = new Map<NodeId, string[]>();
    for (const r of rows) {
      const tags = datasetTagsFromRow(r.facets, r.fields);
      if (tags.length) out.set(r.id as NodeId, tags);
    }
    return out;
  }

  async jobIds(): Promise<NodeId[]> {
    return (await this.db.query<Row>('SELECT id FROM jobs')).map((r) => r.id as NodeId);
  }

  async changesSince(mark: { eventSeq: number; writeSeq: number }): Promise<FindingsChangesSince> {
    // the jobs that got events and the new writes are independent reads: sent together
    const [events, written] = await Promise.all([this.eventsSince(mark.eventSeq), this.writesSince(mark.writeSeq)]);
    return { jobs: events.jobs, datasets: written.datasets, described: events.datasets, writes: written.writes, eventSeq: events.eventSeq, writeSeq: written.writeSeq };
  }

  /**
   * The jobs whose declared runs got events after `after`, and the datasets of the events that carry no run (a
   * DatasetEvent's dataset, a JobEvent's inputs and outputs) and a run event's tagged inputs: such an event may
   * change a dataset's tags, and so the freshness policy that applies to it, with no write of it and no run of its
   * writers to mark it changed.
   */
  private async eventsSince(after: number): Promise<{ jobs: NodeId[]; datasets: NodeId[]; eventSeq: number }> {
    const events = await this.db.query<Row>('SELECT seq, payload FROM events WHERE seq > ? ORDER BY seq', [after]);
    const runIds = new Set<string>();
    const datasets = new Set<NodeId>();
    let eventSeq = after;
    for (const e of events) {
      eventSeq = Math.max(eventSeq, Number(e.seq));
      let event: RunlessEvent;
      try {
        event = JSON.parse(e.payload) as RunlessEvent;
      } catch {
        continue; // a raw event is always JSON; nothing to attribute otherwise
      }
      const runId = event.run?.runId;
      if (typeof runId === 'string') {
        runIds.add(runId);
        addTaggedInputs(event, datasets);
      } else if (event.run === undefined) addRunlessDatasets(event, datasets);
    }
    const owners = await this.whereOneOf(`SELECT DISTINCT owner FROM runs WHERE ${DECLARED_RUN} AND`, 'run_id', [...runIds]);
    return { jobs: owners.map((r) => r.owner as NodeId), datasets: [...datasets], eventSeq };
  }

  /** Writes strictly after the mark, by insertion sequence (one statement, so the writes and the new mark agree). */
  private async writesSince(after: number): Promise<{ datasets: NodeId[]; writes: ObservedWrite[]; writeSeq: number }> {
    // grouped here, not by GROUP BY dataset_id, which SQLite answers by walking the whole dataset index
    const rows = await this.db.query<Row>(`SELECT ${WRITE_COLUMNS}, write_seq FROM observed_writes WHERE write_seq > ? ORDER BY write_seq`, [after]);
    let writeSeq = after;
    const datasets = new Set<NodeId>();
    const writes: ObservedWrite[] = [];
    for (const r of rows) {
      writes.push(observedWriteFromRow(r));
      datasets.add(r.dataset_id as NodeId);
      writeSeq = Math.max(writeSeq, Number(r.write_seq));
    }
    return { datasets: [...datasets], writes, writeSeq };
  }

  /** The marks an evaluation of everything now would leave: the last event seq and the last write seq accepted. */
  async latestMark(): Promise<{ eventSeq: number; writeSeq: number }> {
    const [e] = await this.db.query<Row>('SELECT MAX(seq) AS m FROM events');
    const [w] = await this.db.query<Row>('SELECT MAX(write_seq) AS m FROM observed_writes');
    return { eventSeq: Number(e?.m ?? 0), writeSeq: Number(w?.m ?? 0) };
  }

  async jobsWithOpenRuns(): Promise<NodeId[]> {
    const rows = await this.db.query<Row>(`SELECT DISTINCT owner FROM runs WHERE ${DECLARED_RUN} AND ended_at IS NULL AND state IN ('START', 'RUNNING', 'NEW')`);
    return rows.map((r) => r.owner as NodeId);
  }

  async dueDatasets(now: number): Promise<NodeId[]> {
    // not yet stale and past its expected update, or stale at a policy's warn level and past its error threshold
    // (one arm per index)
    const rows = await this.db.query<Row>(
      "SELECT dataset_id FROM freshness_states WHERE expected_by IS NOT NULL AND expected_by <= ? AND status <> 'stale' UNION SELECT dataset_id FROM freshness_states WHERE escalates_at <= ?",
      [now, now],
    );
    return rows.map((r) => r.dataset_id as NodeId);
  }
}
