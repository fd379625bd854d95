/**
 * The store over SQL, shared by the SQLite and PostgreSQL adapters (one file each, differing only in the
 * driver). One ingest batch = one transaction: append the raw events to the hash chain, fold what they imply
 * into namespaces/datasets/versions/jobs/runs, then recompute the edge groups of every owner the batch touched
 * from that owner's full set of runs (edge-intervals.ts), so the result never depends on arrival order.
 */
import type { AliasRecord, ColumnEdge, LineageEdge, NodeId, ObservedWrite, Provenance, Transformation } from '@lineage-hub/model';
import { canonicalJson, chainHash, digest, sha256Hex } from './derive/canonical-json';
import { computeOwnerEdges, datasetOf, sortColumnEdges, sortEdges, type EdgeCheckpoint } from './derive/edge-intervals';
import { deriveEvent, type AliasFact, type DatasetFact, type EventFacts, type JobFact, type LifecycleFact } from './derive/event-derivation';
import { endedAt, mergeRunFacts, type RunFact, type RunKind } from './derive/run-state';
import type {
  ChainVerification,
  DatasetRecord,
  DatasetVersionRecord,
  FieldRecord,
  GraphDelta,
  GraphSnapshot,
  IngestInput,
  IngestOutcome,
  IngestResult,
  JobRecord,
  LineageStore,
  NamespaceRecord,
  Page,
  RunRecord,
  RunState,
  SearchHit,
  StoredEvent,
} from './lineage-store.port';
import { MIGRATIONS, migrationSql } from './migrations/schema.migrations';
import { chunks, placeholders, type SqlDriver, type SqlExecutor, type SqlValue } from './sql/sql-driver';

type Row = Record<string, any>;

const IN_CHUNK = 500;
/** Runs replayed from an owner's checkpoint before it is moved forward (see recomputeOwners). */
const REFRESH_AFTER_RUNS = 16;
const MIGRATION_LOCK = 7_744_110;

/** Storage serialisation (plain JSON; hashes use canonicalJson). */
const json = (value: unknown) => JSON.stringify(value ?? null);
const parse = <T>(text: unknown, fallback: T): T => {
  if (typeof text !== 'string' || text.length === 0) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const emptyDelta = (): GraphDelta => ({ groups: [], aliases: [], lifecycle: [] });

/** Newer of two facts by time; ties go to the larger canonical JSON so the choice never depends on order. */
const newerOf = <T extends { at: number }>(a: T, b: T, key: (x: T) => string): T => {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  return key(a) >= key(b) ? a : b;
};

interface DatasetAgg {
  id: NodeId;
  namespace: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  facets: Record<string, unknown>;
  sourceName: string | null;
  description: string | null;
  fields: FieldRecord[];
  currentVersion: string | null;
  versionAt: number | null;
  lifecycleState: string | null;
  lifecycleAt: number | null;
  /** Some event of the batch wrote it (an output). */
  written: boolean;
}

interface VersionAgg {
  datasetId: NodeId;
  version: string;
  createdAt: number;
  fields: FieldRecord[];
  runId: string | null;
  facets: Record<string, unknown>;
}

interface JobAgg {
  id: NodeId;
  namespace: string;
  name: string;
  type: string;
  createdAt: number;
  updatedAt: number;
  description: string | null;
  location: string | null;
  facets: Record<string, unknown>;
}

/** Folds a newer/older pair of descriptive attributes: the side with the later time provides the values. */
const foldDescriptive = <T extends { updatedAt: number }>(a: T, b: T): [T, T] => (a.updatedAt > b.updatedAt ? [b, a] : [a, b]);

const mergeDataset = (a: DatasetAgg, b: DatasetAgg): DatasetAgg => {
  const [older, newer] = foldDescriptive(a, b);
  const versionWinner =
    a.versionAt === null ? b : b.versionAt === null ? a : a.versionAt !== b.versionAt ? (a.versionAt > b.versionAt ? a : b) : (a.currentVersion ?? '') >= (b.currentVersion ?? '') ? a : b;
  const lifecycleWinner =
    a.lifecycleAt === null ? b : b.lifecycleAt === null ? a : a.lifecycleAt !== b.lifecycleAt ? (a.lifecycleAt > b.lifecycleAt ? a : b) : (a.lifecycleState ?? '') >= (b.lifecycleState ?? '') ? a : b;
  return {
    id: a.id,
    namespace: a.namespace,
    name: a.name,
    createdAt: Math.min(a.createdAt, b.createdAt),
    updatedAt: Math.max(a.updatedAt, b.updatedAt),
    facets: { ...older.facets, ...newer.facets },
    sourceName: newer.sourceName ?? older.sourceName,
    description: newer.description ?? older.description,
    fields: versionWinner.fields,
    currentVersion: versionWinner.currentVersion,
    versionAt: versionWinner.versionAt,
    lifecycleState: lifecycleWinner.lifecycleState,
    lifecycleAt: lifecycleWinner.lifecycleAt,
    written: a.written || b.written,
  };
};

const datasetAgg = (fact: DatasetFact): DatasetAgg => ({
  id: fact.id,
  namespace: fact.namespace,
  name: fact.name,
  createdAt: fact.at,
  updatedAt: fact.at,
  facets: fact.facets,
  sourceName: fact.sourceName,
  description: fact.description,
  fields: fact.fields ?? [],
  currentVersion: fact.version,
  versionAt: fact.version ? fact.at : null,
  lifecycleState: fact.lifecycleState,
  lifecycleAt: fact.lifecycleState ? fact.at : null,
  written: fact.runId !== null,
});

/**
 * A facets object's JSON (the text JSON.stringify gives) and one fingerprint per facet (md5 of its key and value JSON,
 * base64, so never a ','), built from the same per-facet JSON. A row's facets_fp lists the prints of the facets it
 * stores: a batch whose every facet print is in that list merges into nothing new (each of its facets is stored with
 * that very value), so the row need not be read or rewritten, whichever side is newer. Not canonical: the same
 * value with another key order only costs a rewrite.
 */
const facetPrints = (facets: Record<string, unknown>): { json: string; prints: string } => {
  let out = '';
  const prints: string[] = [];
  for (const key of Object.keys(facets)) {
    const value = JSON.stringify(facets[key]);
    if (value === undefined) continue; // dropped, as JSON.stringify drops it
    const entry = `${JSON.stringify(key)}:${value}`;
    out += out.length === 0 ? entry : `,${entry}`;
    prints.push(digest('md5', entry, 'base64'));
  }
  return { json: `{${out}}`, prints: prints.sort().join(',') };
};

/** Every print of `batch` (a facetPrints list) is in `stored`. Old rows hold a whole-object md5 and never match. */
const printsCovered = (batch: string, stored: unknown): boolean => {
  if (typeof stored !== 'string') return false;
  if (batch.length === 0) return true;
  for (const print of batch.split(',')) if (!stored.includes(print)) return false;
  return true;
};

const mergeVersion = (a: VersionAgg, b: VersionAgg): VersionAgg => {
  const first = a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? a : b) : (a.runId ?? '') <= (b.runId ?? '') ? a : b;
  return { ...first, createdAt: Math.min(a.createdAt, b.createdAt), runId: first.runId ?? (first === a ? b.runId : a.runId) };
};

const mergeJob = (a: JobAgg, b: JobAgg): JobAgg => {
  const [older, newer] = foldDescriptive(a, b);
  return {
    id: newer.id,
    namespace: newer.namespace,
    name: newer.name,
    type: newer.type,
    createdAt: Math.min(a.createdAt, b.createdAt),
    updatedAt: Math.max(a.updatedAt, b.updatedAt),
    facets: { ...older.facets, ...newer.facets },
    description: newer.description ?? older.description,
    location: newer.location ?? older.location,
  };
};

const jobAgg = (fact: JobFact): JobAgg => ({
  id: fact.id,
  namespace: fact.namespace,
  name: fact.name,
  type: fact.type,
  createdAt: fact.at,
  updatedAt: fact.at,
  description: fact.description,
  location: fact.location,
  facets: fact.facets,
});

const mergeInto = <K, V>(map: Map<K, V>, key: K, value: V, merge: (a: V, b: V) => V) => {
  const known = map.get(key);
  map.set(key, known === undefined ? value : merge(known, value));
};

const runFromRow = (row: Row): RunFact => ({
  runId: row.run_id,
  kind: row.kind as RunKind,
  owner: row.owner,
  startedAt: Number(row.started_at),
  updatedAt: Number(row.updated_at),
  state: row.state as RunState,
  stateAt: Number(row.state_at),
  inputs: parse(row.inputs, []),
  outputs: parse(row.outputs, []),
  columns: parse(row.columns, []),
  provenance: row.provenance as Provenance,
  nominalStartTime: row.nominal_start_time ?? null,
  nominalEndTime: row.nominal_end_time ?? null,
  parentRunId: row.parent_run_id ?? null,
  facets: parse(row.facets, {}),
});

/** What edge computation reads from a run row. */
const EDGE_RUN_COLUMNS = 'run_id, kind, owner, started_at, updated_at, state, state_at, inputs, outputs, columns, provenance';

const RUN_COLUMNS = [
  'run_id', 'kind', 'owner', 'started_at', 'updated_at', 'state', 'state_at', 'ended_at', 'inputs', 'outputs', 'columns',
  'provenance', 'nominal_start_time', 'nominal_end_time', 'parent_run_id', 'facets',
];
const runRow = (run: RunFact): SqlValue[] => [
  run.runId, run.kind, run.owner, run.startedAt, run.updatedAt, run.state, run.stateAt, endedAt(run), json(run.inputs), json(run.outputs),
  json(run.columns), run.provenance, run.nominalStartTime, run.nominalEndTime, run.parentRunId, json(run.facets),
];

/** A dataset row with its times (kept in the narrow dataset_times table, rewritten on every write). */
const DATASET_SELECT = 'SELECT d.*, t.updated_at, t.version_at FROM datasets d JOIN dataset_times t ON t.id = d.id';

const EDGE_COLUMNS = ['owner', 'kind', 'from_id', 'to_id', 'provenance', 'valid_from', 'valid_to', 'transformations', 'from_dataset', 'to_dataset'];

const upsertSuffix = (key: string[], columns: string[]) =>
  `ON CONFLICT (${key.join(',')}) DO UPDATE SET ${columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ')}`;

/**
 * An executor whose writes are sent and not waited for: the caller goes on deriving while the database works
 * (PostgreSQL; SQLite runs each statement at once anyway). Statements still run in call order, so a later read
 * sees the earlier writes. settle() waits for every write and fails with the first failure.
 */
const deferWrites = (tx: SqlExecutor) => {
  const pending: Array<Promise<unknown>> = [];
  const later = <T>(sent: Promise<unknown>, value: T): Promise<T> => {
    sent.catch(() => undefined); // observed by settle()/firstFailure()
    pending.push(sent);
    return Promise.resolve(value);
  };
  const deferred: SqlExecutor = {
    query: (sql, params) => tx.query(sql, params),
    script: (sql) => tx.script(sql),
    execute: (sql, params) => later(tx.execute(sql, params), 0),
    insertRows: (table, columns, rows, suffix) => later(tx.insertRows(table, columns, rows, suffix), rows.length),
    updateRows: (table, key, columns, rows) => later(tx.updateRows(table, key, columns, rows), undefined),
  };
  return {
    tx: deferred,
    settle: () => Promise.all(pending),
    firstFailure: async (): Promise<unknown> => {
      for (const sent of pending) {
        const failure = await sent.then(
          () => undefined,
          (error: unknown) => error ?? new Error('write failed'),
        );
        if (failure !== undefined) return failure;
      }
      return undefined;
    },
  };
};

/** SELECT ... WHERE column IN (ids), chunked. */
const selectIn = async (tx: SqlExecutor, sqlBefore: string, ids: SqlValue[], sqlAfter = ''): Promise<Row[]> => {
  const out: Row[] = [];
  for (const chunk of chunks(ids, IN_CHUNK)) out.push(...(await tx.query<Row>(`${sqlBefore} (${placeholders(chunk.length)}) ${sqlAfter}`, chunk)));
  return out;
};

const edgeFromRow = (row: Row): LineageEdge => ({
  from: row.from_id,
  to: row.to_id,
  kind: row.kind,
  provenance: row.provenance,
  validFrom: Number(row.valid_from),
  validTo: num(row.valid_to),
});

const columnEdgeFromRow = (row: Row): ColumnEdge => ({
  from: row.from_id,
  to: row.to_id,
  job: typeof row.owner === 'string' && row.owner.startsWith('job:') ? (row.owner as NodeId) : null,
  transformations: parse<Transformation[]>(row.transformations, []),
  provenance: row.provenance,
  validFrom: Number(row.valid_from),
  validTo: num(row.valid_to),
});

const likePattern = (query: string) => `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export abstract class SqlLineageStore implements LineageStore {
  protected constructor(
    protected readonly db: SqlDriver,
    private readonly clock: () => number = Date.now,
  ) {}

  async migrate(): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      await tx.script('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const applied = new Set((await tx.query<Row>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await tx.script(migrationSql(migration, this.db.dialect));
        await tx.execute('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, this.clock()]);
      }
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }

  // ---------------------------------------------------------------- ingest

  async ingest(batch: IngestInput[]): Promise<IngestResult> {
    if (batch.length === 0) return { outcomes: [], delta: emptyDelta() };
    const now = this.clock();
    // hashing and derivation need no database: done before the transaction, so concurrent callers overlap
    const prepared = batch.map((input) => {
      const payload = canonicalJson(input.raw);
      const hash = sha256Hex(payload);
      const eventTime = input.raw?.eventTime ?? input.event?.eventTime;
      const receivedAt = input.receivedAt ?? now;
      const facts = deriveEvent(input.event, { eventHash: hash, provenance: input.provenance, fallbackTime: receivedAt });
      return { payload, hash, receivedAt, facts, eventTime: typeof eventTime === 'string' ? eventTime : null };
    });
    return this.db.transaction(async (tx) => {
      // the chain head row lock (PostgreSQL) serialises ingests and is taken before the duplicate check;
      // the DROP count spares a lookup per batch. Both are queued back to back.
      const [[head], hashes] = await Promise.all([
        tx.query<Row>(`SELECT seq, chain_hash, (SELECT count(*) FROM lifecycle WHERE state = 'DROP') AS drops FROM chain_head WHERE id = 1${this.db.forUpdate}`),
        selectIn(tx, 'SELECT event_hash, seq FROM events WHERE event_hash IN', [...new Set(prepared.map((p) => p.hash))]),
      ]);
      const known = new Map<string, number>(hashes.map((row) => [row.event_hash, Number(row.seq)]));
      let seq = Number(head.seq);
      let prev: string = head.chain_hash;
      const outcomes: IngestOutcome[] = [];
      const eventRows: SqlValue[][] = [];
      const facts: EventFacts[] = [];
      for (const p of prepared) {
        const existing = known.get(p.hash);
        if (existing !== undefined) {
          outcomes.push({ seq: existing, duplicate: true });
          continue;
        }
        seq += 1;
        const link = chainHash(prev, p.hash);
        const eventTimeMs = p.eventTime ? Date.parse(p.eventTime) : NaN;
        eventRows.push([seq, p.hash, prev, link, p.receivedAt, p.eventTime, Number.isFinite(eventTimeMs) ? eventTimeMs : null, p.payload]);
        known.set(p.hash, seq);
        prev = link;
        outcomes.push({ seq, duplicate: false });
        facts.push(p.facts);
      }
      if (eventRows.length === 0) return { outcomes, delta: emptyDelta() };
      // the raw rows are sent now and waited for at the end: the server inserts them while the graph is derived
      const writes = deferWrites(tx);
      await writes.tx.insertRows('events', ['seq', 'event_hash', 'prev_chain_hash', 'chain_hash', 'received_at', 'event_time', 'event_time_ms', 'payload'], eventRows);
      await writes.tx.execute('UPDATE chain_head SET seq = ?, chain_hash = ? WHERE id = 1', [seq, prev]);
      let delta: GraphDelta;
      try {
        delta = await this.apply(writes.tx, facts, Number(head.drops) > 0);
      } catch (error) {
        throw (await writes.firstFailure()) ?? error; // a read failing after a failed write: report the write
      }
      await writes.settle();
      return { outcomes, delta };
    });
  }

  /** Folds a batch's facts into the tables and recomputes the touched edge groups. */
  private async apply(tx: SqlExecutor, facts: EventFacts[], storeHasDrops: boolean): Promise<GraphDelta> {
    const namespaces = new Map<string, { createdAt: number; updatedAt: number }>();
    const datasets = new Map<NodeId, DatasetAgg>();
    const versions = new Map<string, VersionAgg>();
    const jobs = new Map<NodeId, JobAgg>();
    const runs = new Map<string, RunFact>();
    const aliases = new Map<NodeId, AliasFact>();
    const lifecycle = new Map<string, LifecycleFact>();

    const span = (a: { createdAt: number; updatedAt: number }, b: { createdAt: number; updatedAt: number }) => ({
      createdAt: Math.min(a.createdAt, b.createdAt),
      updatedAt: Math.max(a.updatedAt, b.updatedAt),
    });
    for (const f of facts) {
      for (const ns of f.namespaces) mergeInto(namespaces, ns.name, { createdAt: ns.at, updatedAt: ns.at }, span);
      for (const d of f.datasets) {
        mergeInto(datasets, d.id, datasetAgg(d), mergeDataset);
        if (d.version && d.fields) {
          const v: VersionAgg = { datasetId: d.id, version: d.version, createdAt: d.at, fields: d.fields, runId: d.runId, facets: d.facets };
          mergeInto(versions, `${d.id}\u0000${d.version}`, v, mergeVersion);
        }
      }
      if (f.job) mergeInto(jobs, f.job.id, jobAgg(f.job), mergeJob);
      if (f.run) mergeInto(runs, f.run.runId, f.run, mergeRunFacts);
      for (const a of f.aliases) mergeInto(aliases, a.alias, a, (x, y) => newerOf(x, y, (z) => `${z.canonical}\u0000${z.source}`));
      for (const l of f.lifecycle) lifecycle.set(`${l.dataset}\u0000${l.state}\u0000${l.at}`, l);
    }

    await this.writeNamespaces(tx, namespaces);
    const heads = await this.writeDatasets(tx, datasets);
    await this.writeVersions(tx, versions, heads);
    await this.writeJobs(tx, jobs);
    const touchedAliases = await this.writeAliases(tx, aliases);
    const lifecycleRows = [...lifecycle.values()];
    await tx.insertRows(
      'lifecycle',
      ['dataset_id', 'state', 'at', 'renamed_to'],
      lifecycleRows.map((l) => [l.dataset, l.state, l.at, l.renamedTo]),
      'ON CONFLICT (dataset_id, state, at) DO NOTHING',
    );
    const newDrops = lifecycleRows.filter((l) => l.state === 'DROP').map((l) => l.dataset);
    const groups = await this.recomputeOwners(tx, runs, newDrops, storeHasDrops || newDrops.length > 0);
    return {
      groups,
      aliases: touchedAliases,
      lifecycle: lifecycleRows
        .map((l) => ({ dataset: l.dataset, state: l.state, ...(l.renamedTo ? { renamedTo: l.renamedTo } : {}), at: l.at }))
        .sort((a, b) => cmp(a.dataset, b.dataset) || a.at - b.at || cmp(a.state, b.state)),
    };
  }

  private async writeNamespaces(tx: SqlExecutor, namespaces: Map<string, { createdAt: number; updatedAt: number }>) {
    await tx.insertRows(
      'namespaces',
      ['name', 'created_at', 'updated_at'],
      [...namespaces].map(([name, span]) => [name, span.createdAt, span.updatedAt]),
      `ON CONFLICT (name) DO UPDATE SET
         created_at = CASE WHEN excluded.created_at < namespaces.created_at THEN excluded.created_at ELSE namespaces.created_at END,
         updated_at = CASE WHEN excluded.updated_at > namespaces.updated_at THEN excluded.updated_at ELSE namespaces.updated_at END`,
    );
  }

  private static readonly DATASET_COLUMNS = [
    'id', 'namespace', 'name', 'created_at', 'source_name', 'description', 'fields', 'facets', 'facets_fp', 'current_version',
    'lifecycle_state', 'lifecycle_at', 'deleted',
  ];

  /**
   * Upserts the batch's datasets. A dataset whose batch facets are all stored with those values already (facetPrints),
   * with the same current version and no lifecycle change, is not read or rewritten: only its times move (and only
   * when written). So a table seen as an input ({schema}) and as an output ({schema, columnLineage}) is not rewritten
   * each time it changes side.
   */
  private async writeDatasets(tx: SqlExecutor, datasets: Map<NodeId, DatasetAgg>): Promise<Map<NodeId, Row>> {
    const heads = new Map<NodeId, Row>();
    if (datasets.size === 0) return heads;
    const headSql = 'SELECT d.id, d.created_at, d.facets_fp, d.current_version, t.updated_at, t.version_at FROM datasets d JOIN dataset_times t ON t.id = d.id WHERE d.id IN';
    for (const r of await selectIn(tx, headSql, [...datasets.keys()])) {
      heads.set(r.id, r);
    }
    const full: Array<{ agg: DatasetAgg; printed: { json: string; prints: string } }> = [];
    const created: SqlValue[][] = [];
    const times: SqlValue[][] = [];
    for (const [id, agg] of datasets) {
      const printed = facetPrints(agg.facets);
      const head = heads.get(id);
      const same =
        head && printsCovered(printed.prints, head.facets_fp) && agg.lifecycleState === null && (agg.currentVersion === null || agg.currentVersion === head.current_version);
      if (!same) {
        full.push({ agg, printed });
        continue;
      }
      if (agg.createdAt < Number(head.created_at)) created.push([id, agg.createdAt]);
      const updatedAt = agg.written ? Math.max(Number(head.updated_at), agg.updatedAt) : Number(head.updated_at);
      const versionAt = agg.written && agg.versionAt !== null ? Math.max(num(head.version_at) ?? agg.versionAt, agg.versionAt) : num(head.version_at);
      if (updatedAt !== Number(head.updated_at) || versionAt !== num(head.version_at)) times.push([id, updatedAt, versionAt]);
    }
    await tx.updateRows('datasets', { name: 'id', type: 'text' }, [{ name: 'created_at', type: 'bigint' }], created);
    await tx.updateRows('dataset_times', { name: 'id', type: 'text' }, [
      { name: 'updated_at', type: 'bigint' },
      { name: 'version_at', type: 'bigint' },
    ], times);
    if (full.length === 0) return heads;
    const known = full.filter(({ agg }) => heads.has(agg.id)).map(({ agg }) => agg.id);
    const stored = new Map<NodeId, Row>();
    for (const r of await selectIn(tx, `${DATASET_SELECT} WHERE d.id IN`, known)) stored.set(r.id, r);
    const out: SqlValue[][] = [];
    const outTimes: SqlValue[][] = [];
    for (const { agg, printed } of full) {
      const row = stored.get(agg.id);
      const old = row ? this.datasetAggFromRow(row) : null;
      const d = old ? mergeDataset(old, agg) : agg;
      const facets = old ? facetPrints(d.facets) : printed;
      out.push([
        d.id, d.namespace, d.name, d.createdAt, d.sourceName, d.description, json(d.fields), facets.json, facets.prints, d.currentVersion,
        d.lifecycleState, d.lifecycleAt, d.lifecycleState === 'DROP' ? 1 : 0,
      ]);
      outTimes.push([d.id, d.updatedAt, d.versionAt]);
    }
    await tx.insertRows('datasets', SqlLineageStore.DATASET_COLUMNS, out, upsertSuffix(['id'], SqlLineageStore.DATASET_COLUMNS));
    await tx.insertRows('dataset_times', ['id', 'updated_at', 'version_at'], outTimes, upsertSuffix(['id'], ['id', 'updated_at', 'version_at']));
    return heads;
  }

  private datasetAggFromRow(r: Row): DatasetAgg {
    return {
      id: r.id,
      namespace: r.namespace,
      name: r.name,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      facets: parse(r.facets, {}),
      sourceName: r.source_name ?? null,
      description: r.description ?? null,
      fields: parse(r.fields, []),
      currentVersion: r.current_version ?? null,
      versionAt: num(r.version_at),
      lifecycleState: r.lifecycle_state ?? null,
      lifecycleAt: num(r.lifecycle_at),
      written: false,
    };
  }

  /**
   * Inserts versions not seen before; an earlier observation of a known version moves its creation back.
   * `heads` (the datasets as they were before this batch) spare the lookup in the common cases: a new dataset
   * has no versions yet, and the current version seen again later needs nothing.
   */
  private async writeVersions(tx: SqlExecutor, versions: Map<string, VersionAgg>, heads: Map<NodeId, Row>) {
    if (versions.size === 0) return;
    const inserts: SqlValue[][] = [];
    const lookup: VersionAgg[] = [];
    for (const v of versions.values()) {
      const head = heads.get(v.datasetId);
      if (!head) inserts.push([v.datasetId, v.version, v.createdAt, json(v.fields), v.runId, json(v.facets)]);
      else if (!(head.current_version === v.version && head.version_at !== null && v.createdAt >= Number(head.version_at))) lookup.push(v);
    }
    if (lookup.length > 0) {
      const rows = await selectIn(tx, 'SELECT dataset_id, version, created_at, run_id FROM dataset_versions WHERE dataset_id IN', [...new Set(lookup.map((v) => v.datasetId))]);
      const stored = new Map(rows.map((r) => [`${r.dataset_id}\u0000${r.version}`, r]));
      for (const v of lookup) {
        const old = stored.get(`${v.datasetId}\u0000${v.version}`);
        if (!old) {
          inserts.push([v.datasetId, v.version, v.createdAt, json(v.fields), v.runId, json(v.facets)]);
          continue;
        }
        const createdAt = Number(old.created_at);
        if (v.createdAt < createdAt || (v.createdAt === createdAt && v.runId !== null && v.runId < (old.run_id ?? '\uffff'))) {
          await tx.execute('UPDATE dataset_versions SET created_at = ?, run_id = ?, facets = ? WHERE dataset_id = ? AND version = ?', [
            v.createdAt, v.runId ?? old.run_id, json(v.facets), v.datasetId, v.version,
          ]);
        }
      }
    }
    await tx.insertRows('dataset_versions', ['dataset_id', 'version', 'created_at', 'fields', 'run_id', 'facets'], inserts);
  }

  private static readonly JOB_COLUMNS = ['id', 'namespace', 'name', 'type', 'created_at', 'updated_at', 'description', 'location', 'facets', 'facets_fp'];

  /**
   * Upserts the batch's jobs; a job whose batch facets are all stored already (facetPrints) is not rewritten (only an earlier
   * creation moves). Its last update and latest run are read from its runs (jobRecords), so a run does not
   * rewrite its job's row.
   */
  private async writeJobs(tx: SqlExecutor, jobs: Map<NodeId, JobAgg>) {
    if (jobs.size === 0) return;
    const heads = new Map<NodeId, Row>();
    for (const r of await selectIn(tx, 'SELECT id, created_at, updated_at, facets_fp FROM jobs WHERE id IN', [...jobs.keys()])) heads.set(r.id, r);
    const full: Array<{ agg: JobAgg; printed: { json: string; prints: string } }> = [];
    const times: SqlValue[][] = [];
    for (const [id, agg] of jobs) {
      const printed = facetPrints(agg.facets);
      const head = heads.get(id);
      if (!head || !printsCovered(printed.prints, head.facets_fp)) {
        full.push({ agg, printed });
        continue;
      }
      if (agg.createdAt < Number(head.created_at)) times.push([id, agg.createdAt]);
    }
    await tx.updateRows('jobs', { name: 'id', type: 'text' }, [{ name: 'created_at', type: 'bigint' }], times);
    if (full.length === 0) return;
    const stored = new Map<NodeId, JobAgg>();
    const known = full.filter(({ agg }) => heads.has(agg.id)).map(({ agg }) => agg.id);
    for (const r of await selectIn(tx, 'SELECT id, namespace, name, type, created_at, updated_at, description, location, facets, facets_fp FROM jobs WHERE id IN', known)) {
      stored.set(r.id, {
        id: r.id, namespace: r.namespace, name: r.name, type: r.type, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
        description: r.description ?? null, location: r.location ?? null, facets: parse(r.facets, {}),
      });
    }
    const out: SqlValue[][] = [];
    for (const { agg, printed } of full) {
      const old = stored.get(agg.id);
      const j = old ? mergeJob(old, agg) : agg;
      const facets = old ? facetPrints(j.facets) : printed;
      out.push([j.id, j.namespace, j.name, j.type, j.createdAt, j.updatedAt, j.description, j.location, facets.json, facets.prints]);
    }
    await tx.insertRows('jobs', SqlLineageStore.JOB_COLUMNS, out, upsertSuffix(['id'], SqlLineageStore.JOB_COLUMNS));
  }

  private async writeAliases(tx: SqlExecutor, aliases: Map<NodeId, AliasFact>): Promise<AliasRecord[]> {
    if (aliases.size === 0) return [];
    const rows = await selectIn(tx, 'SELECT alias, canonical, source, at FROM aliases WHERE alias IN', [...aliases.keys()]);
    const stored = new Map<NodeId, AliasFact>(rows.map((r) => [r.alias, { alias: r.alias, canonical: r.canonical, source: r.source, at: Number(r.at) }]));
    const out: SqlValue[][] = [];
    const touched: AliasRecord[] = [];
    for (const [alias, fact] of aliases) {
      const old = stored.get(alias);
      const winner = old ? newerOf(old, fact, (z) => `${z.canonical}\u0000${z.source}`) : fact;
      if (winner !== old) out.push([alias, winner.canonical, winner.source, winner.at]);
      touched.push({ alias, canonical: winner.canonical });
    }
    await tx.insertRows('aliases', ['alias', 'canonical', 'source', 'at'], out, upsertSuffix(['alias'], ['alias', 'canonical', 'source', 'at']));
    return touched.sort((a, b) => cmp(a.alias, b.alias));
  }

  /**
   * Merges the batch's runs, then recomputes every touched owner's edges from its runs. An owner whose batch runs
   * all started at or after its checkpoint (the start of its latest run when last computed), with no new DROP,
   * resumes from the checkpoint: only the runs with a point at or after it are read, and the intervals that ended
   * before it are kept as stored. Otherwise every run of the owner is read. Both give the same edges.
   */
  private async recomputeOwners(tx: SqlExecutor, batchRuns: Map<string, RunFact>, droppedDatasets: NodeId[], anyDrops: boolean): Promise<GraphDelta['groups']> {
    const owners = new Set<NodeId>([...batchRuns.values()].map((r) => r.owner));
    if (droppedDatasets.length > 0) {
      // rare: a scan of from_dataset/to_dataset (not indexed, to keep edge inserts cheap)
      const ids = [...new Set(droppedDatasets)];
      for (const row of await selectIn(tx, 'SELECT DISTINCT owner FROM edges WHERE from_dataset IN', ids)) owners.add(row.owner);
      for (const row of await selectIn(tx, 'SELECT DISTINCT owner FROM edges WHERE to_dataset IN', ids)) owners.add(row.owner);
    }
    if (owners.size === 0) return [];
    const ownerList = [...owners].sort();

    // the owners' stored state and the batch's runs as stored, to merge into
    const ownerRows = new Map<string, Row>();
    const storedRuns = new Map<string, RunFact>();
    await Promise.all([
      selectIn(tx, 'SELECT owner, edges_hash, checkpoint_at, checkpoint FROM edge_owners WHERE owner IN', ownerList).then((rows) => rows.forEach((r) => ownerRows.set(r.owner, r))),
      selectIn(tx, 'SELECT * FROM runs WHERE run_id IN', [...batchRuns.keys()]).then((rows) => rows.forEach((r) => storedRuns.set(r.run_id, runFromRow(r)))),
    ]);

    const byOwner = new Map<NodeId, Map<string, RunFact>>();
    const add = (run: RunFact) => {
      let runsOf = byOwner.get(run.owner);
      if (!runsOf) byOwner.set(run.owner, (runsOf = new Map()));
      runsOf.set(run.runId, run);
    };
    const changedRuns: RunFact[] = [];
    const resumeFrom = new Map<NodeId, EdgeCheckpoint>();
    for (const owner of ownerList) {
      const row = ownerRows.get(owner);
      if (droppedDatasets.length === 0 && row && row.checkpoint_at !== null) resumeFrom.set(owner, { at: Number(row.checkpoint_at), open: parse(row.checkpoint, []) });
    }
    for (const run of batchRuns.values()) {
      const old = storedRuns.get(run.runId);
      // A run id is bound to the owner that first reported it; a clash with another job keeps the first.
      if (old && old.owner !== run.owner) {
        if (owners.has(old.owner)) {
          add(old);
          resumeFrom.delete(old.owner);
        }
        continue;
      }
      const merged = old ? mergeRunFacts(old, run) : run;
      changedRuns.push(merged);
      add(merged);
      const resume = resumeFrom.get(run.owner);
      if (resume && (run.startedAt < resume.at || (old && old.startedAt < resume.at))) resumeFrom.delete(run.owner);
    }
    await tx.insertRows('runs', RUN_COLUMNS, changedRuns.map(runRow), upsertSuffix(['run_id'], RUN_COLUMNS));

    // the other runs the edges depend on: all of them, or those with a point at or after the checkpoint
    const full = ownerList.filter((o) => !resumeFrom.has(o));
    const resumed = ownerList.filter((o) => resumeFrom.has(o));
    const kept = new Map<NodeId, Row[]>();
    const addStored = (row: Row) => {
      if (!batchRuns.has(row.run_id)) add(runFromRow(row));
    };
    // an owner without an edge_owners row has no stored runs but this batch's (every batch that stores a run of an
    // owner writes its row, in the same transaction), so only known owners are read
    const known = full.filter((o) => ownerRows.has(o));
    for (const row of await selectIn(tx, `SELECT ${EDGE_RUN_COLUMNS} FROM runs WHERE owner IN`, known)) addStored(row);
    for (const chunk of chunks(resumed, Math.floor(IN_CHUNK / 2))) {
      // one bound for the chunk (the earliest checkpoint): a run before an owner's own checkpoint adds no point
      // after it (computeOwnerEdges skips such points), so the superset is harmless
      const since = Math.min(...chunk.map((o) => resumeFrom.get(o)!.at));
      const list = placeholders(chunk.length);
      const runRows = await tx.query<Row>(
        `SELECT ${EDGE_RUN_COLUMNS} FROM runs WHERE (owner IN (${list}) AND started_at >= ?) OR (owner IN (${list}) AND ended_at >= ?)`,
        [...chunk, since, ...chunk, since],
      );
      for (const row of runRows) addStored(row);
      for (const row of await tx.query<Row>(`SELECT * FROM edges WHERE owner IN (${list}) AND valid_to IS NOT NULL`, chunk)) {
        if (Number(row.valid_to) >= resumeFrom.get(row.owner)!.at) continue; // recomputed from the checkpoint
        kept.set(row.owner, [...(kept.get(row.owner) ?? []), row]);
      }
    }

    const drops = anyDrops ? await this.dropTimes(tx, byOwner, [...resumeFrom.values()]) : new Map<NodeId, number[]>();
    const groups: GraphDelta['groups'] = [];
    const changedOwners: NodeId[] = [];
    const edgeRows: SqlValue[][] = [];
    const ownerUpdates: SqlValue[][] = [];
    for (const owner of ownerList) {
      const ownerRuns = [...(byOwner.get(owner)?.values() ?? [])];
      const computed = computeOwnerEdges(owner, ownerRuns, drops, resumeFrom.get(owner));
      const before = kept.get(owner) ?? [];
      const edges = sortEdges([...before.filter((r) => r.kind !== 'column').map(edgeFromRow), ...computed.edges]);
      const columnEdges = sortColumnEdges([...before.filter((r) => r.kind === 'column').map(columnEdgeFromRow), ...computed.columnEdges]);
      groups.push({ owner, edges, columnEdges });
      const hash = sha256Hex(json({ edges, columnEdges }));
      const checkpoint = computed.checkpoint ? json(computed.checkpoint.open) : null;
      const row = ownerRows.get(owner);
      // An older checkpoint stays valid (nothing before it changed); it is moved forward when the edges are
      // rewritten anyway, or once resuming from it replays REFRESH_AFTER_RUNS runs, so steady runs of a job
      // do not rewrite it every batch.
      const keepOld = resumeFrom.has(owner) && ownerRuns.length < REFRESH_AFTER_RUNS;
      const stateChanged = !row || (!keepOld && (row.checkpoint !== checkpoint || num(row.checkpoint_at) !== (computed.checkpoint?.at ?? null)));
      if (row?.edges_hash !== hash) {
        changedOwners.push(owner);
        for (const e of edges) edgeRows.push([owner, e.kind, e.from, e.to, e.provenance, e.validFrom, e.validTo, null, datasetOf(e.from), datasetOf(e.to)]);
        for (const c of columnEdges) {
          edgeRows.push([owner, 'column', c.from, c.to, c.provenance, c.validFrom, c.validTo, json(c.transformations), datasetOf(c.from), datasetOf(c.to)]);
        }
      }
      if (row?.edges_hash !== hash || stateChanged) ownerUpdates.push([owner, hash, computed.checkpoint?.at ?? null, checkpoint]);
    }
    for (const chunk of chunks(changedOwners, IN_CHUNK)) await tx.execute(`DELETE FROM edges WHERE owner IN (${placeholders(chunk.length)})`, chunk);
    await tx.insertRows('edges', EDGE_COLUMNS, edgeRows);
    const ownerColumns = ['owner', 'edges_hash', 'checkpoint_at', 'checkpoint'];
    await tx.insertRows('edge_owners', ownerColumns, ownerUpdates, upsertSuffix(['owner'], ownerColumns));
    return groups;
  }

  /** DROP times of every dataset the owners' runs touch (not called when the store has no DROP at all). */
  private async dropTimes(tx: SqlExecutor, byOwner: Map<NodeId, Map<string, RunFact>>, checkpoints: EdgeCheckpoint[]): Promise<Map<NodeId, number[]>> {
    const drops = new Map<NodeId, number[]>();
    const datasets = new Set<NodeId>();
    for (const c of checkpoints) for (const e of c.open) for (const d of [datasetOf(e.from), datasetOf(e.to)]) if (d) datasets.add(d);
    for (const runsOf of byOwner.values()) {
      for (const run of runsOf.values()) {
        for (const d of [...run.inputs, ...run.outputs]) datasets.add(d);
        for (const c of run.columns) for (const d of [datasetOf(c.from), datasetOf(c.to)]) if (d) datasets.add(d);
      }
    }
    if (datasets.size === 0) return drops;
    for (const row of await selectIn(tx, "SELECT dataset_id, at FROM lifecycle WHERE state = 'DROP' AND dataset_id IN", [...datasets])) {
      const list = drops.get(row.dataset_id) ?? [];
      list.push(Number(row.at));
      drops.set(row.dataset_id, list);
    }
    return drops;
  }

  // ---------------------------------------------------------------- chain

  async verifyChain(): Promise<ChainVerification> {
    let checked = 0;
    let expectedSeq = 1;
    let prev = '';
    const fail = (brokenAt: number, reason: string): ChainVerification => ({ ok: false, checked, brokenAt, reason });
    for (;;) {
      const rows = await this.db.query<Row>(
        'SELECT seq, event_hash, prev_chain_hash, chain_hash, payload FROM events WHERE seq >= ? ORDER BY seq LIMIT 2000',
        [expectedSeq],
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expectedSeq) return fail(expectedSeq, `event ${expectedSeq} is missing`);
        if (sha256Hex(row.payload) !== row.event_hash) return fail(seq, `event ${seq}: payload does not match its hash`);
        if (row.prev_chain_hash !== prev) return fail(seq, `event ${seq}: link to the previous event is broken`);
        if (chainHash(prev, row.event_hash) !== row.chain_hash) return fail(seq, `event ${seq}: chain hash does not match`);
        prev = row.chain_hash;
        expectedSeq += 1;
        checked += 1;
      }
      if (rows.length < 2000) break;
    }
    const [head] = await this.db.query<Row>('SELECT seq, chain_hash FROM chain_head WHERE id = 1');
    const headSeq = Number(head.seq);
    if (headSeq !== checked) return fail(checked + 1, `chain head is at event ${headSeq} but the chain ends at ${checked}`);
    if (head.chain_hash !== prev) return fail(checked, 'chain head hash does not match the last event');
    return { ok: true, checked };
  }

  // ---------------------------------------------------------------- graph

  async loadGraph(): Promise<GraphSnapshot> {
    const [head] = await this.db.query<Row>('SELECT seq FROM chain_head WHERE id = 1');
    const groups = new Map<NodeId, { owner: NodeId; edges: LineageEdge[]; columnEdges: ColumnEdge[] }>();
    for (const row of await this.db.query<Row>('SELECT owner FROM edge_owners')) groups.set(row.owner, { owner: row.owner, edges: [], columnEdges: [] });
    for (const row of await this.db.query<Row>('SELECT * FROM edges')) {
      let group = groups.get(row.owner);
      if (!group) groups.set(row.owner, (group = { owner: row.owner, edges: [], columnEdges: [] }));
      if (row.kind === 'column') group.columnEdges.push(columnEdgeFromRow(row));
      else group.edges.push(edgeFromRow(row));
    }
    const sorted = [...groups.values()].sort((a, b) => cmp(a.owner, b.owner));
    for (const g of sorted) {
      sortEdges(g.edges);
      sortColumnEdges(g.columnEdges);
    }
    const aliases = (await this.db.query<Row>('SELECT alias, canonical FROM aliases'))
      .map((r) => ({ alias: r.alias as NodeId, canonical: r.canonical as NodeId }))
      .sort((a, b) => cmp(a.alias, b.alias));
    const lifecycle = (await this.db.query<Row>('SELECT dataset_id, state, at, renamed_to FROM lifecycle'))
      .map((r) => ({ dataset: r.dataset_id as NodeId, state: r.state as string, ...(r.renamed_to ? { renamedTo: r.renamed_to as NodeId } : {}), at: Number(r.at) }))
      .sort((a, b) => cmp(a.dataset, b.dataset) || a.at - b.at || cmp(a.state, b.state));
    return { version: Number(head.seq), groups: sorted, aliases, lifecycle };
  }

  // ---------------------------------------------------------------- observed writes

  async recordObservedWrites(writes: ObservedWrite[]): Promise<{ inserted: number; duplicates: number }> {
    const unique = new Map<string, ObservedWrite>();
    for (const w of writes) {
      const key = `${w.connectorId}\u0000${w.queryId}\u0000${w.dataset}`;
      if (!unique.has(key)) unique.set(key, w);
    }
    const rows = [...unique.values()].map((w) => [
      w.connectorId, w.queryId, w.dataset, w.writtenAt, json(w.sources ?? []), w.user ?? null, w.queryText ?? null, w.rows ?? null,
    ]);
    const inserted = await this.db.transaction((tx) =>
      tx.insertRows(
        'observed_writes',
        ['connector_id', 'query_id', 'dataset_id', 'written_at', 'sources', 'user_name', 'query_text', 'row_count'],
        rows,
        'ON CONFLICT (connector_id, query_id, dataset_id) DO NOTHING',
      ),
    );
    return { inserted, duplicates: writes.length - inserted };
  }

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
    return rows.map((r) => ({
      dataset: r.dataset_id,
      sources: parse(r.sources, []),
      writtenAt: Number(r.written_at),
      ...(r.user_name !== null ? { user: r.user_name } : {}),
      queryId: r.query_id,
      ...(r.query_text !== null ? { queryText: r.query_text } : {}),
      ...(r.row_count !== null ? { rows: Number(r.row_count) } : {}),
      connectorId: r.connector_id,
    }));
  }

  // ---------------------------------------------------------------- Marquez-style reads

  async listNamespaces(): Promise<NamespaceRecord[]> {
    const rows = await this.db.query<Row>('SELECT name, created_at, updated_at FROM namespaces ORDER BY name');
    return rows.map((r) => ({ name: r.name, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) }));
  }

  async listDatasets(namespace: string, page: Page): Promise<{ items: DatasetRecord[]; total: number }> {
    const [{ n }] = await this.db.query<Row>('SELECT count(*) AS n FROM datasets WHERE namespace = ?', [namespace]);
    const rows = await this.db.query<Row>(`${DATASET_SELECT} WHERE d.namespace = ? ORDER BY d.name LIMIT ? OFFSET ?`, [namespace, page.limit, page.offset]);
    return { items: await this.datasetRecords(rows), total: Number(n) };
  }

  async getDataset(id: NodeId): Promise<DatasetRecord | null> {
    const [found] = await this.getDatasets([id]);
    return found ?? null;
  }

  /** Accepts canonical ids and aliases; returns the canonical records, in the order asked, without repeats. */
  async getDatasets(ids: NodeId[]): Promise<DatasetRecord[]> {
    if (ids.length === 0) return [];
    const canonical = new Map<NodeId, NodeId>(ids.map((id) => [id, id]));
    for (const row of await selectIn(this.db, 'SELECT alias, canonical FROM aliases WHERE alias IN', [...new Set(ids)])) canonical.set(row.alias, row.canonical);
    const wanted = [...new Set(ids.map((id) => canonical.get(id) as NodeId))];
    const rows = await selectIn(this.db, `${DATASET_SELECT} WHERE d.id IN`, wanted);
    const byId = new Map((await this.datasetRecords(rows)).map((d) => [d.id, d]));
    return wanted.map((id) => byId.get(id)).filter((d): d is DatasetRecord => d !== undefined);
  }

  private async datasetRecords(rows: Row[]): Promise<DatasetRecord[]> {
    if (rows.length === 0) return [];
    const aliases = new Map<string, NodeId[]>();
    for (const row of await selectIn(this.db, 'SELECT alias, canonical FROM aliases WHERE canonical IN', rows.map((r) => r.id))) {
      aliases.set(row.canonical, [...(aliases.get(row.canonical) ?? []), row.alias]);
    }
    return rows.map((r) => ({
      id: r.id,
      namespace: r.namespace,
      name: r.name,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      sourceName: r.source_name ?? null,
      description: r.description ?? null,
      fields: parse(r.fields, []),
      facets: parse(r.facets, {}),
      currentVersion: r.current_version ?? null,
      lifecycleState: r.lifecycle_state ?? null,
      deleted: Number(r.deleted) === 1,
      aliases: (aliases.get(r.id) ?? []).sort(),
    }));
  }

  async listDatasetVersions(id: NodeId, page: Page): Promise<{ items: DatasetVersionRecord[]; total: number }> {
    const [{ n }] = await this.db.query<Row>('SELECT count(*) AS n FROM dataset_versions WHERE dataset_id = ?', [id]);
    const rows = await this.db.query<Row>('SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY created_at DESC, version LIMIT ? OFFSET ?', [
      id, page.limit, page.offset,
    ]);
    return {
      total: Number(n),
      items: rows.map((r) => ({
        dataset: r.dataset_id,
        version: r.version,
        createdAt: Number(r.created_at),
        fields: parse(r.fields, []),
        runId: r.run_id ?? null,
        facets: parse(r.facets, {}),
      })),
    };
  }

  async listJobs(namespace: string, page: Page): Promise<{ items: JobRecord[]; total: number }> {
    const [{ n }] = await this.db.query<Row>('SELECT count(*) AS n FROM jobs WHERE namespace = ?', [namespace]);
    const rows = await this.db.query<Row>('SELECT * FROM jobs WHERE namespace = ? ORDER BY name LIMIT ? OFFSET ?', [namespace, page.limit, page.offset]);
    return { items: await this.jobRecords(rows), total: Number(n) };
  }

  async getJob(id: NodeId): Promise<JobRecord | null> {
    const [found] = await this.getJobs([id]);
    return found ?? null;
  }

  async getJobs(ids: NodeId[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const byId = new Map((await this.jobRecords(await selectIn(this.db, 'SELECT * FROM jobs WHERE id IN', unique))).map((j) => [j.id, j]));
    return unique.map((id) => byId.get(id)).filter((j): j is JobRecord => j !== undefined);
  }

  private async jobRecords(rows: Row[]): Promise<JobRecord[]> {
    if (rows.length === 0) return [];
    const io = new Map<string, { inputs: Set<NodeId>; outputs: Set<NodeId> }>();
    const lastRun = new Map<string, { runId: string | null; updatedAt: number }>();
    for (const chunk of chunks(rows.map((r) => r.id as string), IN_CHUNK)) {
      // the latest run (by start, then id) and the latest event time of each job's runs and declarations
      const latest = await this.db.query<Row>(
        `SELECT owner, run_id, kind, updated_at FROM (
           SELECT owner, run_id, kind, max(updated_at) OVER (PARTITION BY owner) AS updated_at,
                  row_number() OVER (PARTITION BY owner ORDER BY CASE WHEN kind = 'run' THEN 0 ELSE 1 END, started_at DESC, run_id DESC) AS rn
           FROM runs WHERE owner IN (${placeholders(chunk.length)})) ranked
         WHERE rn = 1`,
        chunk,
      );
      for (const r of latest) lastRun.set(r.owner, { runId: r.kind === 'run' ? r.run_id : null, updatedAt: Number(r.updated_at) });
      const found = await this.db.query<Row>(
        `SELECT owner, kind, from_id, to_id FROM edges WHERE valid_to IS NULL AND kind <> 'column' AND owner IN (${placeholders(chunk.length)})`,
        chunk,
      );
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
      let sql = `SELECT x.id, x.namespace, x.name, ${type === 'DATASET' ? 't' : 'x'}.updated_at FROM ${from} WHERE lower(x.name) LIKE ? ESCAPE '\\'`;
      if (opts.namespace) {
        sql += ' AND x.namespace = ?';
        params.push(opts.namespace);
      }
      sql += ` ORDER BY ${type === 'DATASET' ? 't' : 'x'}.updated_at DESC, x.id LIMIT ?`;
      params.push(opts.limit);
      for (const r of await this.db.query<Row>(sql, params)) hits.push({ type, name: r.name, namespace: r.namespace, nodeId: r.id, updatedAt: Number(r.updated_at) });
    };
    if (opts.type !== 'JOB') await run('datasets x JOIN dataset_times t ON t.id = x.id', 'DATASET');
    if (opts.type !== 'DATASET') await run('jobs x', 'JOB');
    return hits.sort((a, b) => b.updatedAt - a.updatedAt || cmp(a.nodeId, b.nodeId)).slice(0, opts.limit);
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
