/**
 * Edge validity, as a pure function of an owner's runs (and the drop times of the datasets they touch), so the
 * result does not depend on the order events arrived in.
 *
 * For each edge (dataset -> job 'reads' from inputs, job -> dataset 'writes' from outputs, field -> field
 * column edges from column lineage), sweep the owner's runs in time order:
 * - it OPENS at the start (earliest event time) of a run that declares it, when it is not already open;
 * - it CLOSES at the end time of a COMPLETE run that does not declare it and started after the latest run
 *   that did ("the first later completed run that no longer declares it");
 * - it CLOSES at a DROP of a dataset it touches, unless a run that declared it since it last opened is in progress
 *   at the drop (started at or before it, latest event at or after it): so the dropping run's own edge stays, at
 *   every event of that run that repeats the DROP (producers send the facet on START and again on COMPLETE);
 *   a later declaring run reopens a closed edge.
 * At equal times: opens, then closes, then drops; runs tie-break by run id.
 */
import { fieldDataset, parseNodeId, type ColumnEdge, type LineageEdge, type NodeId, type Provenance, type Transformation } from '@lineage-hub/model';
import { endedAt, type RunFact } from './run-state';

export interface OwnerEdges {
  edges: LineageEdge[];
  columnEdges: ColumnEdge[];
}

type Point =
  | { t: number; order: 0; runId: string; type: 'open'; until: number; provenance: Provenance; transformations?: Transformation[] }
  | { t: number; order: 1; runId: string; type: 'close'; runStart: number }
  | { t: number; order: 2; runId: string; type: 'drop' };

interface Interval {
  validFrom: number;
  validTo: number | null;
  provenance: Provenance;
  transformations?: Transformation[];
}

type EdgeKind = 'reads' | 'writes' | 'column';

/** An edge open at a checkpoint, with what the sweep needs to continue from there. */
export interface OpenEdgeState {
  kind: EdgeKind;
  from: NodeId;
  to: NodeId;
  validFrom: number;
  provenance: Provenance;
  transformations?: Transformation[];
  lastDeclaredStart: number;
  /** The latest event time of the runs that declared it since it opened (absent in older checkpoints). */
  liveUntil?: number;
}

/**
 * The sweep state of an owner just before every point at or after `at` (the start of its latest run):
 * the edges open then. Closed edges need no state (a close point does nothing to them, an open point restarts them).
 */
export interface EdgeCheckpoint {
  at: number;
  open: OpenEdgeState[];
}

const byTime = (a: Point, b: Point) => a.t - b.t || a.order - b.order || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);

/**
 * points.sort(byTime), stable like it: an edge has a few points (its declaring runs, the completed runs, drops), and
 * an insertion sort orders them without the work arrays sort() allocates on every call.
 */
const sortPoints = (points: Point[]): void => {
  if (points.length > 16) {
    points.sort(byTime);
    return;
  }
  for (let i = 1; i < points.length; i += 1) {
    const point = points[i];
    let j = i - 1;
    while (j >= 0 && byTime(points[j], point) > 0) {
      points[j + 1] = points[j];
      j -= 1;
    }
    points[j + 1] = point;
  }
};

/** The dataset a dataset or datasetField id belongs to (null for jobs and unparsable ids). */
export const datasetOf = (id: NodeId): NodeId | null => {
  if (id.startsWith('dataset:')) return id;
  if (!id.startsWith('datasetField:')) return null;
  let dataset = fieldDatasets.get(id);
  if (dataset === undefined) {
    dataset = fieldDatasetOf(id);
    if (fieldDatasets.size >= FIELD_DATASETS_SIZE) fieldDatasets.clear();
    fieldDatasets.set(id, dataset);
  }
  return dataset;
};

/** The distinct datasets an edge touches, from then to (what `[...new Set([from's, to's])]` gives, nulls left out). */
const edgeDatasets = (from: NodeId, to: NodeId): NodeId[] => {
  const a = datasetOf(from);
  const b = datasetOf(to);
  if (a === null) return b === null ? [] : [b];
  return b === null || b === a ? [a] : [a, b];
};

/** Recently parsed field ids (a pure memo: an id always names the same dataset); each column edge asks for two. */
const fieldDatasets = new Map<string, NodeId | null>();
const FIELD_DATASETS_SIZE = 20_000;

const fieldDatasetOf = (id: NodeId): NodeId | null => {
  try {
    const parsed = parseNodeId(id);
    return parsed.kind === 'datasetField' ? fieldDataset(parsed) : null;
  } catch {
    return null;
  }
};

interface SweepState {
  current: Interval | null;
  lastDeclaredStart: number;
  /** The latest event time of the runs that declared the current interval (-Infinity when closed). */
  liveUntil: number;
}

/** Sweeps one edge's points from `state`; snapshots the state before the first point at or after `checkpointAt`. */
const sweep = (points: Point[], state: SweepState, checkpointAt: number | null): { intervals: Interval[]; atCheckpoint: SweepState | null } => {
  sortPoints(points);
  const intervals: Interval[] = state.current ? [state.current] : [];
  let { current, lastDeclaredStart, liveUntil } = state;
  let atCheckpoint: SweepState | null = null;
  for (const point of points) {
    if (atCheckpoint === null && checkpointAt !== null && point.t >= checkpointAt) atCheckpoint = { current: current && { ...current }, lastDeclaredStart, liveUntil };
    if (point.type === 'open') {
      lastDeclaredStart = Math.max(lastDeclaredStart, point.t);
      if (!current) {
        current = { validFrom: point.t, validTo: null, provenance: point.provenance, transformations: point.transformations };
        intervals.push(current);
        liveUntil = point.until;
      } else {
        liveUntil = Math.max(liveUntil, point.until);
        if (point.transformations) current.transformations = point.transformations;
      }
    } else if (current && (point.type === 'drop' ? point.t > liveUntil : point.runStart > lastDeclaredStart)) {
      // A DROP while a declaring run is in progress (opens sort first, so every run started by then is counted) is
      // that run's own doing or happens under it: the edge stays, so the dropping job is still seen around the dataset.
      current.validTo = point.t;
      current = null;
      liveUntil = -Infinity;
    }
  }
  if (atCheckpoint === null && checkpointAt !== null) atCheckpoint = { current: current && { ...current }, lastDeclaredStart, liveUntil };
  return { intervals, atCheckpoint };
};

interface EdgeKey {
  kind: EdgeKind;
  from: NodeId;
  to: NodeId;
  datasets: NodeId[];
  declaredBy: Set<string>;
  opens: Point[];
  resumed: SweepState;
}

export interface ComputedOwnerEdges extends OwnerEdges {
  /** Where a later batch may resume (null when the owner has no runs). */
  checkpoint: EdgeCheckpoint | null;
}

/**
 * The owner's edges from its runs. drops: DROP times per dataset id.
 * With `resume` (a checkpoint of an earlier computation), `runs` need only hold the runs with a point at or after
 * `resume.at` (started then or later, or COMPLETE and ended then or later), and the result holds only the intervals
 * open at `resume.at` or starting later; the caller keeps the intervals that ended before. The result is the same
 * as a full computation as long as nothing before `resume.at` changed.
 */
export const computeOwnerEdges = (owner: NodeId, runs: RunFact[], drops: ReadonlyMap<NodeId, number[]>, resume?: EdgeCheckpoint): ComputedOwnerEdges => {
  const since = resume?.at ?? -Infinity;
  const checkpointAt = runs.length > 0 ? runs.reduce((max, run) => Math.max(max, run.startedAt), -Infinity) : null;
  const completed = runs
    .filter((run) => run.state === 'COMPLETE' && (endedAt(run) as number) >= since)
    .map((run) => ({ runId: run.runId, runStart: run.startedAt, end: endedAt(run) as number }));

  const keyFor = (keys: Map<string, EdgeKey>, id: string, kind: EdgeKind, from: NodeId, to: NodeId) => {
    let key = keys.get(id);
    if (!key) {
      const datasets = edgeDatasets(from, to);
      key = { kind, from, to, datasets, declaredBy: new Set(), opens: [], resumed: { current: null, lastDeclaredStart: -Infinity, liveUntil: -Infinity } };
      keys.set(id, key);
    }
    return key;
  };
  // Keys without a string built per declaration: a read of the owner by its input, a write by its output, a column
  // edge by from\0to (ids hold no NUL). Any other shape (not made by the runs of this owner) by its full key.
  const readKeys = new Map<string, EdgeKey>();
  const writeKeys = new Map<string, EdgeKey>();
  const otherKeys = new Map<string, EdgeKey>();
  const columnKeys = new Map<string, EdgeKey>();
  const edgeKey = (kind: EdgeKind, from: NodeId, to: NodeId): EdgeKey => {
    if (kind === 'column') return keyFor(columnKeys, `${from}\u0000${to}`, kind, from, to);
    if (kind === 'reads' && to === owner) return keyFor(readKeys, from, kind, from, to);
    if (kind === 'writes' && from === owner) return keyFor(writeKeys, to, kind, from, to);
    return keyFor(otherKeys, `${kind}\u0000${from}\u0000${to}`, kind, from, to);
  };
  const declare = (kind: EdgeKind, from: NodeId, to: NodeId, run: RunFact, transformations?: Transformation[]) => {
    const key = edgeKey(kind, from, to);
    key.declaredBy.add(run.runId);
    if (run.startedAt >= since) {
      key.opens.push({ t: run.startedAt, order: 0, runId: run.runId, type: 'open', until: Math.max(run.startedAt, run.updatedAt), provenance: run.provenance, transformations });
    }
  };

  for (const open of resume?.open ?? []) {
    const key = edgeKey(open.kind, open.from, open.to);
    key.resumed = {
      current: { validFrom: open.validFrom, validTo: null, provenance: open.provenance, ...(open.transformations ? { transformations: open.transformations } : {}) },
      lastDeclaredStart: open.lastDeclaredStart,
      liveUntil: open.liveUntil ?? -Infinity,
    };
  }
  for (const run of runs) {
    for (const input of run.inputs) declare('reads', input, owner, run);
    for (const output of run.outputs) declare('writes', owner, output, run);
    for (const column of run.columns) declare('column', column.from, column.to, run, column.transformations);
  }

  const open: OpenEdgeState[] = [];
  const build = (keys: Map<string, EdgeKey>) => {
    const out: Array<{ key: EdgeKey; intervals: Interval[] }> = [];
    for (const key of keys.values()) {
      const points = key.opens; // the key's own list: read once, here
      for (const run of completed) {
        if (!key.declaredBy.has(run.runId)) points.push({ t: run.end, order: 1, runId: run.runId, type: 'close', runStart: run.runStart });
      }
      for (const dataset of key.datasets) {
        for (const t of drops.get(dataset) ?? []) if (t >= since) points.push({ t, order: 2, runId: '', type: 'drop' });
      }
      // key.resumed (and its current interval) was made for this call and is read nowhere else: swept as it is
      const { intervals, atCheckpoint } = sweep(points, key.resumed, checkpointAt);
      const c = atCheckpoint?.current;
      if (c) {
        open.push({ kind: key.kind, from: key.from, to: key.to, validFrom: c.validFrom, provenance: c.provenance, ...(c.transformations ? { transformations: c.transformations } : {}), lastDeclaredStart: atCheckpoint!.lastDeclaredStart, liveUntil: atCheckpoint!.liveUntil });
      }
      out.push({ key, intervals });
    }
    return out;
  };

  const job = owner.startsWith('job:') ? owner : null;
  const edges: LineageEdge[] = [];
  // the order the keys are built in does not matter: edges and open states are sorted below
  for (const keys of [readKeys, writeKeys, otherKeys]) {
    for (const { key, intervals } of build(keys)) {
      const kind = key.kind === 'reads' ? 'reads' : 'writes';
      for (const i of intervals) edges.push({ from: key.from, to: key.to, kind, provenance: i.provenance, validFrom: i.validFrom, validTo: i.validTo });
    }
  }
  const columnEdges: ColumnEdge[] = [];
  for (const { key, intervals } of build(columnKeys)) {
    for (const i of intervals) {
      columnEdges.push({ from: key.from, to: key.to, job, transformations: i.transformations ?? [], provenance: i.provenance, validFrom: i.validFrom, validTo: i.validTo });
    }
  }
  // the order of the strings `kind\0from\0to`, compared member by member without building them: kinds differ
  // before their ends, and ids hold no NUL (checkDerivedIds), so a prefix sorts first either way
  open.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.from, b.from) || cmp(a.to, b.to));
  return { edges: sortEdges(edges), columnEdges: sortColumnEdges(columnEdges), checkpoint: checkpointAt === null ? null : { at: checkpointAt, open } };
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const sortEdges = (edges: LineageEdge[]) =>
  edges.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.from, b.from) || cmp(a.to, b.to) || a.validFrom - b.validFrom);

export const sortColumnEdges = (edges: ColumnEdge[]) =>
  edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || a.validFrom - b.validFrom);
