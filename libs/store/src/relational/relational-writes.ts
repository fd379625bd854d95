/**
 * The write path of the relational store. One ingest batch = one transaction: append the raw events to the hash
 * chain, fold what they imply into namespaces/datasets/versions/jobs/runs, then recompute the edge groups of every
 * owner the batch touched from that owner's full set of runs (edge-owner.writer.ts), so the result never depends
 * on arrival order.
 */
import { bigQueryJobId, type AliasRecord, type NodeId, type ObservedWrite } from '@lineage-hub/model';
import { chainHash, sha256Hex } from '../derive/canonical-json';
import type { AliasFact, LifecycleFact } from '../derive/dataset-facts.derivation';
import { deriveEvent, type EventFacts } from '../derive/event-derivation';
import { mergeRunFacts, type RunFact } from '../derive/run-state';
import type { GraphDelta, IngestInput, IngestOutcome, IngestResult } from '../lineage-store.port';
import type { SqlDriver, SqlExecutor, SqlValue } from '../sql/sql-driver';
import { deferWrites } from './deferred-writes';
import { readOwnerState, recomputeOwners, type OwnerState } from './edge-owner.writer';
import { checkBatchRuns, checkBatchSize, checkDerivedIds, checkedPayload } from './ingest-limits';
import { readDatasetHeads, readJobHeads, writeAliases, writeDatasets, writeJobs, writeNamespaces, writeVersions } from './entity.writer';
import { datasetAgg, jobAgg, mergeDataset, mergeInto, mergeJob, mergeVersion, newerOf, type DatasetAgg, type JobAgg, type VersionAgg } from './fact-aggregates';
import { cmp, json, selectIn, type Row } from './row-codec';
import { mapInSlices, PAUSE_EVERY } from '../time-slice';

const emptyDelta = (): GraphDelta => ({ groups: [], aliases: [], lifecycle: [] });

/** The stored rows a batch's facts merge into, read before any of them is written (readStoredState). */
interface StoredState {
  datasetHeads: Map<NodeId, Row>;
  jobHeads: Map<NodeId, Row>;
  owners: OwnerState;
}

/** Reads the heads of the facts' datasets and jobs and the state of their runs and owners, all sent at once. */
const readStoredState = async (tx: SqlExecutor, facts: EventFacts[]): Promise<StoredState> => {
  const datasets = new Set<NodeId>();
  const jobs = new Set<NodeId>();
  const owners = new Set<NodeId>();
  const runs = new Set<string>();
  for (const f of facts) {
    for (const d of f.datasets) datasets.add(d.id);
    if (f.job) jobs.add(f.job.id);
    if (f.run) {
      owners.add(f.run.owner);
      runs.add(f.run.runId);
    }
  }
  const [datasetHeads, jobHeads, ownerState] = await Promise.all([
    readDatasetHeads(tx, [...datasets]),
    readJobHeads(tx, [...jobs]),
    readOwnerState(tx, [...owners].sort(), [...runs]),
  ]);
  return { datasetHeads, jobHeads, owners: ownerState };
};

/** The settled results as they are when all fulfilled; otherwise throws the first failure, in the given order. */
const firstFailure = <T extends readonly PromiseSettledResult<unknown>[]>(results: T): T => {
  for (const r of results) if (r.status === 'rejected') throw r.reason;
  return results;
};

export class RelationalWrites {
  constructor(
    private readonly db: SqlDriver,
    private readonly clock: () => number,
  ) {}

  async ingest(batch: IngestInput[]): Promise<IngestResult> {
    if (batch.length === 0) return { outcomes: [], delta: emptyDelta() };
    const now = this.clock();
    // hashing and derivation need no database: done before the transaction, so concurrent callers overlap
    checkBatchSize(batch);
    // in time slices: a large batch does not hold the event loop (reads of the same process go between slices)
    const prepared = await mapInSlices(batch, (input, index) => {
      const payload = checkedPayload(input, index);
      const hash = sha256Hex(payload);
      const eventTime = input.raw?.eventTime ?? input.event?.eventTime;
      const receivedAt = input.receivedAt ?? now;
      const facts = deriveEvent(input.event, { eventHash: hash, provenance: input.provenance, fallbackTime: receivedAt });
      checkDerivedIds(facts, index);
      return { payload, hash, receivedAt, facts, eventTime: typeof eventTime === 'string' ? eventTime : null };
    });
    checkBatchRuns(prepared.map((p) => p.facts));
    return this.db.transaction(async (tx) => {
      // the chain head row lock (PostgreSQL) serialises ingests and is taken before the duplicate check;
      // the DROP count spares a lookup per batch. Both are queued back to back, and behind them the stored state
      // the batch's facts merge into (read under the lock; a duplicate's keys are read for nothing)
      const [[head], hashes, stored] = await Promise.all([
        tx.query<Row>(`SELECT seq, chain_hash, (SELECT count(*) FROM lifecycle WHERE state = 'DROP') AS drops FROM chain_head WHERE id = 1${this.db.forUpdate}`),
        selectIn(tx, 'SELECT event_hash, seq FROM events WHERE event_hash IN', [...new Set(prepared.map((p) => p.hash))]),
        readStoredState(tx, prepared.map((p) => p.facts)),
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
        delta = await this.apply(writes.tx, facts, Number(head.drops) > 0, stored);
      } catch (error) {
        throw (await writes.firstFailure()) ?? error; // a read failing after a failed write: report the write
      }
      await writes.settle();
      return { outcomes, delta };
    });
  }

  /** Folds a batch's facts into the tables and recomputes the touched edge groups. */
  private async apply(tx: SqlExecutor, facts: EventFacts[], storeHasDrops: boolean, stored: StoredState): Promise<GraphDelta> {
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
    for (let i = 0; i < facts.length; i++) {
      if (i % PAUSE_EVERY === PAUSE_EVERY - 1) await tx.pause?.(); // a large batch: other requests go between (where the transaction may yield)
      const f = facts[i];
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

    await writeNamespaces(tx, namespaces);
    const lifecycleRows = [...lifecycle.values()];
    // before the edges are recomputed: their DROP times are read back (dropTimes)
    await tx.insertRows(
      'lifecycle',
      ['dataset_id', 'state', 'at', 'renamed_to'],
      lifecycleRows.map((l) => [l.dataset, l.state, l.at, l.renamedTo]),
      'ON CONFLICT (dataset_id, state, at) DO NOTHING',
    );
    const newDrops = lifecycleRows.filter((l) => l.state === 'DROP').map((l) => l.dataset);
    // Each writer reads and writes its own tables only (and the heads read before any of them), so they run side by
    // side: their reads go out together (one round trip on PostgreSQL, where statements run in the order sent).
    // Every writer is waited for; the first failure in this fixed order is reported.
    const [, , , touched, recomputed] = await Promise.allSettled([
      writeDatasets(tx, datasets, stored.datasetHeads),
      writeVersions(tx, versions, stored.datasetHeads),
      writeJobs(tx, jobs, stored.jobHeads),
      writeAliases(tx, aliases),
      recomputeOwners(tx, runs, newDrops, storeHasDrops || newDrops.length > 0, stored.owners),
    ]).then(firstFailure);
    const touchedAliases = (touched as PromiseFulfilledResult<AliasRecord[]>).value;
    const groups = (recomputed as PromiseFulfilledResult<GraphDelta['groups']>).value;
    return {
      groups,
      aliases: touchedAliases,
      lifecycle: lifecycleRows
        .map((l) => ({ dataset: l.dataset, state: l.state, ...(l.renamedTo ? { renamedTo: l.renamedTo } : {}), at: l.at }))
        .sort((a, b) => cmp(a.dataset, b.dataset) || a.at - b.at || cmp(a.state, b.state)),
    };
  }

  async recordObservedWrites(writes: ObservedWrite[]): Promise<{ inserted: number; duplicates: number }> {
    const unique = new Map<string, ObservedWrite>();
    for (const w of writes) {
      const key = `${w.connectorId}\u0000${w.queryId}\u0000${w.dataset}`;
      if (!unique.has(key)) unique.set(key, w);
    }
    const recordedAt = this.clock();
    const accepted = [...unique.values()];
    if (!accepted.length) return { inserted: 0, duplicates: writes.length };
    const inserted = await this.db.transaction(async (tx) => {
      // write_seq under the head's lock (PostgreSQL FOR UPDATE; SQLite has one writer): it grows in commit order, so
      // the findings mark (the highest seq read) never passes a write that commits later. Duplicates leave gaps.
      const [head] = await tx.query<Row>(`SELECT seq FROM observed_writes_head WHERE id = 1${this.db.forUpdate}`);
      const first = Number(head.seq) + 1;
      const rows = accepted.map((w, i) => [
        w.connectorId, w.queryId, w.dataset, w.writtenAt, json(w.sources ?? []), w.user ?? null, w.queryText ?? null, w.rows ?? null,
        w.operation ?? null, w.actor ?? null, w.hints ? json(w.hints) : null, recordedAt, first + i, bigQueryJobId(w.queryId),
        w.rootQueryId ?? null, w.rootQueryId ? bigQueryJobId(w.rootQueryId) : null,
      ]);
      await tx.execute('UPDATE observed_writes_head SET seq = ? WHERE id = 1', [first + rows.length - 1]);
      return tx.insertRows(
        'observed_writes',
        ['connector_id', 'query_id', 'dataset_id', 'written_at', 'sources', 'user_name', 'query_text', 'row_count', 'operation', 'actor', 'hints', 'recorded_at', 'write_seq', 'bigquery_job_id', 'root_query_id', 'bigquery_root_job_id'],
        rows,
        'ON CONFLICT (connector_id, query_id, dataset_id) DO NOTHING',
      );
    });
    return { inserted, duplicates: writes.length - inserted };
  }
}
