/**
 * The derived graph of the owners a batch touched: the batch's runs merged into the stored ones, then each owner's
 * edges recomputed from its runs (edge-intervals.ts) and rewritten when their hash changed.
 */
import type { NodeId } from '@lineage-hub/model';
import { sha256Hex } from '../derive/canonical-json';
import { computeOwnerEdges, datasetOf, sortColumnEdges, sortEdges, type EdgeCheckpoint } from '../derive/edge-intervals';
import { mergeRunFacts, type RunFact } from '../derive/run-state';
import type { GraphDelta } from '../lineage-store.port';
import { runConflict } from './ingest-limits';
import { chunks, placeholders, type SqlExecutor, type SqlValue } from '../sql/sql-driver';
import {
  columnEdgeFromRow,
  EDGE_COLUMNS,
  EDGE_RUN_COLUMNS,
  edgeFromRow,
  IN_CHUNK,
  json,
  num,
  parse,
  RUN_COLUMNS,
  runFromRow,
  runRow,
  selectIn,
  upsertSuffix,
  type Row,
} from './row-codec';

/** Runs replayed from an owner's checkpoint before it is moved forward (see recomputeOwners). */
const REFRESH_AFTER_RUNS = 16;

/**
 * Merges the batch's runs, then recomputes every touched owner's edges from its runs. An owner whose batch runs
 * all started at or after its checkpoint (the start of its latest run when last computed), with no new DROP,
 * resumes from the checkpoint: only the runs with a point at or after it are read, and the intervals that ended
 * before it are kept as stored. Otherwise every run of the owner is read. Both give the same edges.
 */
/** The owners' stored state (edge_owners rows) and runs as stored, by run id: what a batch's runs merge into. */
export interface OwnerState {
  ownerRows: Map<NodeId, Row>;
  storedRuns: Map<string, RunFact>;
}

const OWNER_SELECT = 'SELECT owner, edges_hash, checkpoint_at, checkpoint FROM edge_owners WHERE owner IN';

/**
 * Reads the OwnerState of the given owners and runs. Read up front with the entities' heads (relational-writes.ts), so
 * their statements share a round trip; only recomputeOwners writes these rows.
 */
export async function readOwnerState(tx: SqlExecutor, owners: NodeId[], runIds: string[]): Promise<OwnerState> {
  const ownerRows = new Map<NodeId, Row>();
  const storedRuns = new Map<string, RunFact>();
  await Promise.all([
    selectIn(tx, OWNER_SELECT, owners).then((rows) => rows.forEach((r) => ownerRows.set(r.owner, r))),
    selectIn(tx, 'SELECT * FROM runs WHERE run_id IN', runIds).then((rows) => rows.forEach((r) => storedRuns.set(r.run_id, runFromRow(r)))),
  ]);
  return { ownerRows, storedRuns };
}

/**
 * `state`: readOwnerState of (at least) the batch's runs and their owners, read in this transaction before any of them
 * was written; owners that only a DROP brings in are read here.
 */
export async function recomputeOwners(
  tx: SqlExecutor,
  batchRuns: Map<string, RunFact>,
  droppedDatasets: NodeId[],
  anyDrops: boolean,
  state: OwnerState,
): Promise<GraphDelta['groups']> {
  const owners = new Set<NodeId>([...batchRuns.values()].map((r) => r.owner));
  const { ownerRows, storedRuns } = state;
  if (droppedDatasets.length > 0) {
    // rare: a scan of from_dataset/to_dataset (not indexed, to keep edge inserts cheap)
    const ids = [...new Set(droppedDatasets)];
    const more = new Set<NodeId>();
    for (const row of await selectIn(tx, 'SELECT DISTINCT owner FROM edges WHERE from_dataset IN', ids)) more.add(row.owner);
    for (const row of await selectIn(tx, 'SELECT DISTINCT owner FROM edges WHERE to_dataset IN', ids)) more.add(row.owner);
    const unread = [...more].filter((o) => !owners.has(o) && !ownerRows.has(o));
    for (const r of await selectIn(tx, OWNER_SELECT, unread)) ownerRows.set(r.owner, r);
    for (const o of more) owners.add(o);
  }
  if (owners.size === 0) return [];
  const ownerList = [...owners].sort();

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
    // A run id is bound to the owner that first reported it: another job reusing it is refused (409), nothing written.
    if (old && old.owner !== run.owner) throw runConflict(run.runId, run.owner, old.owner);
    const merged = old ? mergeRunFacts(old, run) : run;
    changedRuns.push(merged);
    add(merged);
    const resume = resumeFrom.get(run.owner);
    if (resume && (run.startedAt < resume.at || (old && old.startedAt < resume.at))) resumeFrom.delete(run.owner);
  }
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
  // every read is sent before any answer is awaited (one round trip on PostgreSQL); rows are taken in send order
  const fullRuns = selectIn(tx, `SELECT ${EDGE_RUN_COLUMNS} FROM runs WHERE owner IN`, known);
  const resumedReads = chunks(resumed, Math.floor(IN_CHUNK / 2)).map((chunk) => {
    // one bound for the chunk (the earliest checkpoint): a run before an owner's own checkpoint adds no point
    // after it (computeOwnerEdges skips such points), so the superset is harmless
    const since = Math.min(...chunk.map((o) => resumeFrom.get(o)!.at));
    const list = placeholders(chunk.length);
    return Promise.all([
      tx.query<Row>(`SELECT ${EDGE_RUN_COLUMNS} FROM runs WHERE (owner IN (${list}) AND started_at >= ?) OR (owner IN (${list}) AND ended_at >= ?)`, [
        ...chunk, since, ...chunk, since,
      ]),
      tx.query<Row>(`SELECT * FROM edges WHERE owner IN (${list}) AND valid_to IS NOT NULL`, chunk),
    ]);
  });
  // written after the reads are sent: they would only bring back the batch's own runs, which addStored skips
  await tx.insertRows('runs', RUN_COLUMNS, changedRuns.map(runRow), upsertSuffix(['run_id'], RUN_COLUMNS));
  for (const row of await fullRuns) addStored(row);
  for (const [runRows, edgeRows] of await Promise.all(resumedReads)) {
    for (const row of runRows) addStored(row);
    for (const row of edgeRows) {
      if (Number(row.valid_to) >= resumeFrom.get(row.owner)!.at) continue; // recomputed from the checkpoint
      const rows = kept.get(row.owner);
      if (rows) rows.push(row);
      else kept.set(row.owner, [row]);
    }
  }

  const drops = anyDrops ? await dropTimes(tx, byOwner, [...resumeFrom.values()]) : new Map<NodeId, number[]>();
  const groups: GraphDelta['groups'] = [];
  const changedOwners: NodeId[] = [];
  const edgeRows: SqlValue[][] = [];
  const ownerUpdates: SqlValue[][] = [];
  for (const owner of ownerList) {
    await tx.pause?.(); // many owners: other requests go between them (where the transaction may yield)
    const ownerRuns = [...(byOwner.get(owner)?.values() ?? [])];
    const computed = computeOwnerEdges(owner, ownerRuns, drops, resumeFrom.get(owner));
    const before = kept.get(owner);
    // computed edges come sorted (by the same comparators): only stored intervals kept beside them need a merge
    const edges = before ? sortEdges([...before.filter((r) => r.kind !== 'column').map(edgeFromRow), ...computed.edges]) : computed.edges;
    const columnEdges = before
      ? sortColumnEdges([...before.filter((r) => r.kind === 'column').map(columnEdgeFromRow), ...computed.columnEdges])
      : computed.columnEdges;
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
      // an owner without an edge_owners row has no stored edges (every batch writing its edges writes its row)
      if (row) changedOwners.push(owner);
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
export async function dropTimes(tx: SqlExecutor, byOwner: Map<NodeId, Map<string, RunFact>>, checkpoints: EdgeCheckpoint[]): Promise<Map<NodeId, number[]>> {
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
