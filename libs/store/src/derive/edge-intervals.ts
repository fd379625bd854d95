/**
 * Edge validity, as a pure function of an owner's runs (and the drop times of the datasets they touch), so the
 * result does not depend on the order events arrived in.
 *
 * For each edge (dataset -> job 'reads' from inputs, job -> dataset 'writes' from outputs, field -> field
 * column edges from column lineage), sweep the owner's runs in time order:
 * - it OPENS at the start (earliest event time) of a run that declares it, when it is not already open;
 * - it CLOSES at the end time of a COMPLETE run that does not declare it and started after the latest run
 *   that did ("the first later completed run that no longer declares it");
 * - it CLOSES at a DROP of a dataset it touches; a later declaring run reopens it.
 * At equal times: opens, then closes, then drops; runs tie-break by run id.
 */
import { fieldDataset, parseNodeId, type ColumnEdge, type LineageEdge, type NodeId, type Provenance, type Transformation } from '@lineage-hub/model';
import { endedAt, type RunFact } from './run-state';

export interface OwnerEdges {
  edges: LineageEdge[];
  columnEdges: ColumnEdge[];
}

type Point =
  | { t: number; order: 0; runId: string; type: 'open'; provenance: Provenance; transformations?: Transformation[] }
  | { t: number; order: 1; runId: string; type: 'close'; runStart: number }
  | { t: number; order: 2; runId: string; type: 'drop' };

interface Interval {
  validFrom: number;
  validTo: number | null;
  provenance: Provenance;
  transformations?: Transformation[];
}

const byTime = (a: Point, b: Point) => a.t - b.t || a.order - b.order || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);

/** The dataset a dataset or datasetField id belongs to (null for jobs and unparsable ids). */
export const datasetOf = (id: NodeId): NodeId | null => {
  if (id.startsWith('dataset:')) return id;
  if (!id.startsWith('datasetField:')) return null;
  try {
    const parsed = parseNodeId(id);
    return parsed.kind === 'datasetField' ? fieldDataset(parsed) : null;
  } catch {
    return null;
  }
};

const sweep = (points: Point[]): Interval[] => {
  points.sort(byTime);
  const intervals: Interval[] = [];
  let current: Interval | null = null;
  let lastDeclaredStart = -Infinity;
  for (const point of points) {
    if (point.type === 'open') {
      lastDeclaredStart = Math.max(lastDeclaredStart, point.t);
      if (!current) {
        current = { validFrom: point.t, validTo: null, provenance: point.provenance, transformations: point.transformations };
        intervals.push(current);
      } else if (point.transformations) {
        current.transformations = point.transformations;
      }
    } else if (current && (point.type === 'drop' || point.runStart > lastDeclaredStart)) {
      current.validTo = point.t;
      current = null;
    }
  }
  return intervals;
};

interface EdgeKey {
  kind: 'reads' | 'writes' | 'column';
  from: NodeId;
  to: NodeId;
  datasets: NodeId[];
  declaredBy: Set<string>;
  opens: Point[];
}

/** drops: DROP times per dataset id. */
export const computeOwnerEdges = (owner: NodeId, runs: RunFact[], drops: ReadonlyMap<NodeId, number[]>): OwnerEdges => {
  const completed = runs
    .filter((run) => run.state === 'COMPLETE')
    .map((run) => ({ runId: run.runId, runStart: run.startedAt, end: endedAt(run) as number }));

  const build = (keys: Map<string, EdgeKey>) => {
    const out: Array<{ key: EdgeKey; intervals: Interval[] }> = [];
    for (const key of keys.values()) {
      const points: Point[] = [...key.opens];
      for (const run of completed) {
        if (!key.declaredBy.has(run.runId)) points.push({ t: run.end, order: 1, runId: run.runId, type: 'close', runStart: run.runStart });
      }
      for (const dataset of key.datasets) {
        for (const t of drops.get(dataset) ?? []) points.push({ t, order: 2, runId: '', type: 'drop' });
      }
      out.push({ key, intervals: sweep(points) });
    }
    return out;
  };

  const addKey = (
    keys: Map<string, EdgeKey>,
    kind: EdgeKey['kind'],
    from: NodeId,
    to: NodeId,
    run: RunFact,
    transformations?: Transformation[],
  ) => {
    const id = `${kind}\u0000${from}\u0000${to}`;
    let key = keys.get(id);
    if (!key) {
      const datasets = [...new Set([datasetOf(from), datasetOf(to)].filter((d): d is NodeId => d !== null))];
      key = { kind, from, to, datasets, declaredBy: new Set(), opens: [] };
      keys.set(id, key);
    }
    key.declaredBy.add(run.runId);
    key.opens.push({ t: run.startedAt, order: 0, runId: run.runId, type: 'open', provenance: run.provenance, transformations });
  };

  const datasetKeys = new Map<string, EdgeKey>();
  const columnKeys = new Map<string, EdgeKey>();
  for (const run of runs) {
    for (const input of run.inputs) addKey(datasetKeys, 'reads', input, owner, run);
    for (const output of run.outputs) addKey(datasetKeys, 'writes', owner, output, run);
    for (const column of run.columns) addKey(columnKeys, 'column', column.from, column.to, run, column.transformations);
  }

  const job = owner.startsWith('job:') ? owner : null;
  const edges: LineageEdge[] = [];
  for (const { key, intervals } of build(datasetKeys)) {
    const kind = key.kind === 'reads' ? 'reads' : 'writes';
    for (const i of intervals) edges.push({ from: key.from, to: key.to, kind, provenance: i.provenance, validFrom: i.validFrom, validTo: i.validTo });
  }
  const columnEdges: ColumnEdge[] = [];
  for (const { key, intervals } of build(columnKeys)) {
    for (const i of intervals) {
      columnEdges.push({ from: key.from, to: key.to, job, transformations: i.transformations ?? [], provenance: i.provenance, validFrom: i.validFrom, validTo: i.validTo });
    }
  }
  return { edges: sortEdges(edges), columnEdges: sortColumnEdges(columnEdges) };
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const sortEdges = (edges: LineageEdge[]) =>
  edges.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.from, b.from) || cmp(a.to, b.to) || a.validFrom - b.validFrom);

export const sortColumnEdges = (edges: ColumnEdge[]) =>
  edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || a.validFrom - b.validFrom);
