/** Rows of the relational store <-> domain values: storage JSON, run/edge rows, the column lists and chunked IN lookups. */
import type { ColumnEdge, LineageEdge, NodeId, Provenance, Transformation } from '@lineage-hub/model';
import { endedAt, type RunFact, type RunKind } from '../derive/run-state';
import type { RunState } from '../lineage-store.port';
import { chunks, placeholders, type SqlExecutor, type SqlValue } from '../sql/sql-driver';

export type Row = Record<string, any>;

export const IN_CHUNK = 500;

/** Storage serialisation (plain JSON; hashes use canonicalJson). */
export const json = (value: unknown) => JSON.stringify(value ?? null);
export const parse = <T>(text: unknown, fallback: T): T => {
  if (typeof text !== 'string' || text.length === 0) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};
export const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const runFromRow = (row: Row): RunFact => ({
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
export const EDGE_RUN_COLUMNS = 'run_id, kind, owner, started_at, updated_at, state, state_at, inputs, outputs, columns, provenance';

export const RUN_COLUMNS = [
  'run_id', 'kind', 'owner', 'started_at', 'updated_at', 'state', 'state_at', 'ended_at', 'inputs', 'outputs', 'columns',
  'provenance', 'nominal_start_time', 'nominal_end_time', 'parent_run_id', 'facets',
];
export const runRow = (run: RunFact): SqlValue[] => [
  run.runId, run.kind, run.owner, run.startedAt, run.updatedAt, run.state, run.stateAt, endedAt(run), json(run.inputs), json(run.outputs),
  json(run.columns), run.provenance, run.nominalStartTime, run.nominalEndTime, run.parentRunId, json(run.facets),
];

/** A dataset row with its times (kept in the narrow dataset_times table, rewritten on every write). */
export const DATASET_SELECT = 'SELECT d.*, t.updated_at, t.version_at, t.facets_at FROM datasets d JOIN dataset_times t ON t.id = d.id';

export const EDGE_COLUMNS = ['owner', 'kind', 'from_id', 'to_id', 'provenance', 'valid_from', 'valid_to', 'transformations', 'from_dataset', 'to_dataset'];

export const upsertSuffix = (key: string[], columns: string[]) =>
  `ON CONFLICT (${key.join(',')}) DO UPDATE SET ${columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ')}`;

/** SELECT ... WHERE column IN (ids), chunked. */
export const selectIn = async (tx: SqlExecutor, sqlBefore: string, ids: SqlValue[], sqlAfter = ''): Promise<Row[]> => {
  const out: Row[] = [];
  for (const chunk of chunks(ids, IN_CHUNK)) out.push(...(await tx.query<Row>(`${sqlBefore} (${placeholders(chunk.length)}) ${sqlAfter}`, chunk)));
  return out;
};

export const edgeFromRow = (row: Row): LineageEdge => ({
  from: row.from_id,
  to: row.to_id,
  kind: row.kind,
  provenance: row.provenance,
  validFrom: Number(row.valid_from),
  validTo: num(row.valid_to),
});

export const columnEdgeFromRow = (row: Row): ColumnEdge => ({
  from: row.from_id,
  to: row.to_id,
  job: typeof row.owner === 'string' && row.owner.startsWith('job:') ? (row.owner as NodeId) : null,
  transformations: parse<Transformation[]>(row.transformations, []),
  provenance: row.provenance,
  validFrom: Number(row.valid_from),
  validTo: num(row.valid_to),
});

