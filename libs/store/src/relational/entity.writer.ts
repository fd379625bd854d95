/**
 * The entity rows a batch folds into (namespaces, datasets and their times, versions, jobs, aliases), each
 * written with as few reads and rewrites as the stored fingerprints allow (facetPrints).
 */
import type { AliasRecord, NodeId } from '@lineage-hub/model';
import type { AliasFact } from '../derive/dataset-facts.derivation';
import {
  datasetAggFromRow,
  facetAt,
  facetPrints,
  facetTimesColumn,
  facetTimesText,
  firstSighting,
  mergeDataset,
  mergeJob,
  newerOf,
  printsCovered,
  type DatasetAgg,
  type FacetSightings,
  type JobAgg,
  type VersionAgg,
} from './fact-aggregates';
import { cmp, DATASET_SELECT, json, num, parse, selectIn, upsertSuffix, type Row } from './row-codec';
import { fieldsColumn, fieldsFromColumn } from './stored-fields.codec';
import type { SqlExecutor, SqlValue } from '../sql/sql-driver';
import { PAUSE_EVERY } from '../time-slice';

export async function writeNamespaces(tx: SqlExecutor, namespaces: Map<string, { createdAt: number; updatedAt: number }>) {
  await tx.insertRows(
    'namespaces',
    ['name', 'created_at', 'updated_at'],
    [...namespaces].map(([name, span]) => [name, span.createdAt, span.updatedAt]),
    `ON CONFLICT (name) DO UPDATE SET
       created_at = CASE WHEN excluded.created_at < namespaces.created_at THEN excluded.created_at ELSE namespaces.created_at END,
       updated_at = CASE WHEN excluded.updated_at > namespaces.updated_at THEN excluded.updated_at ELSE namespaces.updated_at END`,
  );
}

const DATASET_COLUMNS = [
  'id', 'namespace', 'name', 'created_at', 'source_name', 'description', 'fields', 'facets', 'facets_fp', 'current_version',
  'lifecycle_state', 'lifecycle_at', 'deleted',
];

/**
 * The stored heads (what writeDatasets decides by) of the given datasets. Read up front with the other entities' heads
 * (relational-writes.ts), so their statements share a round trip.
 */
export async function readDatasetHeads(tx: SqlExecutor, ids: NodeId[]): Promise<Map<NodeId, Row>> {
  const heads = new Map<NodeId, Row>();
  const headSql =
    'SELECT d.id, d.created_at, d.facets_fp, d.current_version, t.updated_at, t.version_at, t.facets_at FROM datasets d JOIN dataset_times t ON t.id = d.id WHERE d.id IN';
  for (const r of await selectIn(tx, headSql, ids)) heads.set(r.id, r);
  return heads;
}

/**
 * Upserts the batch's datasets. A dataset whose batch facets are all stored with those values already (facetPrints),
 * with the same current version and no lifecycle change, is not read or rewritten: only its times move (its last
 * write, the time its current schema was seen last) and the times its facets were set (facets_at, when the batch saw them later). So a table seen as an
 * input ({schema}) and as an output ({schema, columnLineage}) is not rewritten each time it changes side. Otherwise
 * the stored row is merged with the batch by mergeDataset, facet by facet (the rule a batch's events merge by).
 *
 * `heads`: readDatasetHeads of (at least) the batch's datasets, read in this transaction before any of them was written.
 */
export async function writeDatasets(tx: SqlExecutor, datasets: Map<NodeId, DatasetAgg>, heads: Map<NodeId, Row>): Promise<void> {
  if (datasets.size === 0) return;
  const full: Array<{ agg: DatasetAgg; printed: { json: string; prints: string } }> = [];
  const created: SqlValue[][] = [];
  const times: SqlValue[][] = [];
  let seen = 0;
  for (const [id, agg] of datasets) {
    if (++seen % PAUSE_EVERY === 0) await tx.pause?.(); // many datasets: other requests go between (where the transaction may yield)
    const printed = facetPrints(agg.id, agg.facets, true);
    const head = heads.get(id);
    // a row written before facets_at (null) is merged once in full, which stores its facets' times
    const same =
      head && typeof head.facets_at === 'string' && printsCovered(printed.prints, head.facets_fp) && agg.lifecycleState === null &&
      (agg.currentVersion === null || agg.currentVersion === head.current_version);
    if (!same) {
      full.push({ agg, printed });
      continue;
    }
    if (agg.createdAt < Number(head.created_at)) created.push([id, agg.createdAt]);
    // updated_at: the last write (reads and dataset events leave it); version_at: the current schema seen last, by any
    // sighting, as mergeDataset counts both, so a batch's result does not depend on which path it took
    const updatedAt = Math.max(Number(head.updated_at), agg.writtenAt);
    const versionAt = agg.versionAt !== null ? Math.max(num(head.version_at) ?? agg.versionAt, agg.versionAt) : num(head.version_at);
    const facetsAt = laterFacetTimes(agg, head.facets_at);
    if (updatedAt !== Number(head.updated_at) || versionAt !== num(head.version_at) || facetsAt !== head.facets_at) times.push([id, updatedAt, versionAt, facetsAt]);
  }
  await tx.updateRows('datasets', { name: 'id', type: 'text' }, [{ name: 'created_at', type: 'bigint' }], created);
  await tx.updateRows('dataset_times', { name: 'id', type: 'text' }, [
    { name: 'updated_at', type: 'bigint' },
    { name: 'version_at', type: 'bigint' },
    { name: 'facets_at', type: 'text' },
  ], times);
  if (full.length === 0) return;
  const known = full.filter(({ agg }) => heads.has(agg.id)).map(({ agg }) => agg.id);
  const stored = new Map<NodeId, Row>();
  for (const r of await selectIn(tx, `${DATASET_SELECT} WHERE d.id IN`, known)) stored.set(r.id, r);
  const out: SqlValue[][] = [];
  const outTimes: SqlValue[][] = [];
  for (let i = 0; i < full.length; i++) {
    if (i % PAUSE_EVERY === PAUSE_EVERY - 1) await tx.pause?.();
    const { agg, printed } = full[i];
    const row = stored.get(agg.id);
    const old = row ? datasetAggFromRow(row) : null;
    const d = old ? mergeDataset(old, agg) : agg;
    const facets = old ? facetPrints(d.id, d.facets, true) : printed;
    out.push([
      d.id, d.namespace, d.name, d.createdAt, d.sourceName, d.description, fieldsColumn(d.fields, d.facets), facets.json, facets.prints, d.currentVersion,
      d.lifecycleState, d.lifecycleAt, d.lifecycleState === 'DROP' ? 1 : 0,
    ]);
    outTimes.push([d.id, d.writtenAt, d.versionAt, facetTimesColumn(d)]);
  }
  await tx.insertRows('datasets', DATASET_COLUMNS, out, upsertSuffix(['id'], DATASET_COLUMNS));
  await tx.insertRows('dataset_times', DATASET_TIME_COLUMNS, outTimes, upsertSuffix(['id'], DATASET_TIME_COLUMNS));
}

const DATASET_TIME_COLUMNS = ['id', 'updated_at', 'version_at', 'facets_at'];

/**
 * A stored facets_at (a dataset's or a job's) after a batch whose facets are all stored with the same values: each takes the later of the
 * two times (the same value seen later is set later). The stored text itself when no time moves.
 */
const laterFacetTimes = (agg: FacetSightings, storedText: string): string => {
  const stored = parse<Record<string, number>>(storedText, {});
  let moved = false;
  for (const key of Object.keys(agg.facets)) {
    if (agg.facets[key] === undefined) continue;
    const at = facetAt(agg, key);
    if (stored[key] === undefined || at > stored[key]) {
      stored[key] = at;
      moved = true;
    }
  }
  return moved ? facetTimesText(stored) : storedText;
};


/**
 * Inserts versions not seen before; a known version's row is replaced, whole, by a sighting that comes first by
 * firstSighting's rule (the one a batch's sightings are merged by).
 * `heads` (the datasets as they were before this batch) spare the lookup in the common cases: a new dataset
 * has no versions yet, and the current version seen again strictly later needs nothing (at the same time, it may
 * win by run or value).
 */
export async function writeVersions(tx: SqlExecutor, versions: Map<string, VersionAgg>, heads: Map<NodeId, Row>) {
  if (versions.size === 0) return;
  const inserts: SqlValue[][] = [];
  const lookup: VersionAgg[] = [];
  for (const v of versions.values()) {
    const head = heads.get(v.datasetId);
    if (!head) inserts.push(versionRow(v));
    else if (!(head.current_version === v.version && head.version_at !== null && v.createdAt > Number(head.version_at))) lookup.push(v);
  }
  if (lookup.length > 0) {
    const rows = await selectIn(tx, 'SELECT dataset_id, version, created_at, run_id FROM dataset_versions WHERE dataset_id IN', [...new Set(lookup.map((v) => v.datasetId))]);
    const stored = new Map(rows.map((r) => [`${r.dataset_id}\u0000${r.version}`, r]));
    for (const v of lookup) {
      const old = stored.get(`${v.datasetId}\u0000${v.version}`);
      if (!old) {
        inserts.push(versionRow(v));
        continue;
      }
      // The stored row is its first sighting so far: only one as early (or earlier) can take its place.
      if (v.createdAt > Number(old.created_at)) continue;
      const [kept] = await tx.query<Row>('SELECT fields, facets FROM dataset_versions WHERE dataset_id = ? AND version = ?', [v.datasetId, v.version]);
      const facets = parse<Record<string, unknown>>(kept.facets, {});
      const first: VersionAgg = {
        datasetId: v.datasetId, version: v.version, createdAt: Number(old.created_at), fields: fieldsFromColumn(kept.fields, facets), runId: old.run_id ?? null, facets,
      };
      if (firstSighting(first, v) === v) {
        await tx.execute('UPDATE dataset_versions SET created_at = ?, run_id = ?, fields = ?, facets = ? WHERE dataset_id = ? AND version = ?', [
          v.createdAt, v.runId, fieldsColumn(v.fields, v.facets), json(v.facets), v.datasetId, v.version,
        ]);
      }
    }
  }
  await tx.insertRows('dataset_versions', ['dataset_id', 'version', 'created_at', 'fields', 'run_id', 'facets'], inserts);
}

const versionRow = (v: VersionAgg): SqlValue[] => [v.datasetId, v.version, v.createdAt, fieldsColumn(v.fields, v.facets), v.runId, json(v.facets)];

const JOB_COLUMNS = ['id', 'namespace', 'name', 'type', 'created_at', 'updated_at', 'description', 'location', 'facets', 'facets_fp', 'facets_at'];

/** The stored heads (what writeJobs decides by) of the given jobs (see readDatasetHeads). */
export async function readJobHeads(tx: SqlExecutor, ids: NodeId[]): Promise<Map<NodeId, Row>> {
  const heads = new Map<NodeId, Row>();
  for (const r of await selectIn(tx, 'SELECT id, created_at, updated_at, facets_fp, facets_at FROM jobs WHERE id IN', ids)) heads.set(r.id, r);
  return heads;
}

/**
 * Upserts the batch's jobs, their facets decided facet by facet as a dataset's (mergeJob). A job whose batch facets
 * are all stored with those values already (facetPrints) is not read or rewritten: only an earlier creation moves, and
 * the times its facets were set (facets_at, when the batch saw them later). Its last update and latest run are read
 * from its runs (jobRecords), so a run does not rewrite its job's row.
 * `heads`: readJobHeads of (at least) the batch's jobs, read in this transaction before any of them was written.
 */
export async function writeJobs(tx: SqlExecutor, jobs: Map<NodeId, JobAgg>, heads: Map<NodeId, Row>) {
  if (jobs.size === 0) return;
  const full: Array<{ agg: JobAgg; printed: { json: string; prints: string } }> = [];
  const times: SqlValue[][] = [];
  for (const [id, agg] of jobs) {
    const printed = facetPrints(agg.id, agg.facets, true);
    const head = heads.get(id);
    // a row written before facets_at (null) is merged once in full, which stores its facets' times
    if (!head || typeof head.facets_at !== 'string' || !printsCovered(printed.prints, head.facets_fp)) {
      full.push({ agg, printed });
      continue;
    }
    const createdAt = Math.min(agg.createdAt, Number(head.created_at));
    const facetsAt = laterFacetTimes(agg, head.facets_at);
    if (createdAt !== Number(head.created_at) || facetsAt !== head.facets_at) times.push([id, createdAt, facetsAt]);
  }
  await tx.updateRows('jobs', { name: 'id', type: 'text' }, [
    { name: 'created_at', type: 'bigint' },
    { name: 'facets_at', type: 'text' },
  ], times);
  if (full.length === 0) return;
  const stored = new Map<NodeId, JobAgg>();
  const known = full.filter(({ agg }) => heads.has(agg.id)).map(({ agg }) => agg.id);
  const select = 'SELECT id, namespace, name, type, created_at, updated_at, description, location, facets, facets_fp, facets_at FROM jobs WHERE id IN';
  for (const r of await selectIn(tx, select, known)) {
    stored.set(r.id, {
      id: r.id, namespace: r.namespace, name: r.name, type: r.type, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
      description: r.description ?? null, location: r.location ?? null, facets: parse(r.facets, {}),
      facetsAt: typeof r.facets_at === 'string' ? parse<Record<string, number>>(r.facets_at, {}) : null,
    });
  }
  const out: SqlValue[][] = [];
  for (const { agg, printed } of full) {
    const old = stored.get(agg.id);
    const j = old ? mergeJob(old, agg) : agg;
    const facets = old ? facetPrints(j.id, j.facets, true) : printed;
    out.push([j.id, j.namespace, j.name, j.type, j.createdAt, j.updatedAt, j.description, j.location, facets.json, facets.prints, facetTimesColumn(j)]);
  }
  await tx.insertRows('jobs', JOB_COLUMNS, out, upsertSuffix(['id'], JOB_COLUMNS));
}

export async function writeAliases(tx: SqlExecutor, aliases: Map<NodeId, AliasFact>): Promise<AliasRecord[]> {
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

