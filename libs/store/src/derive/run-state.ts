/**
 * What a run declared, folded over its events. The fold is commutative and idempotent, so a run's facts do not
 * depend on the order its events arrive in:
 * - startedAt = the earliest event time, updatedAt = the latest;
 * - inputs/outputs/columns = the union over its events (a column edge's transformations come from the latest
 *   event that declares it);
 * - state: a terminal event (COMPLETE/FAIL/ABORT) wins over START/RUNNING/OTHER whatever order they arrive in;
 *   among terminals the earliest eventTime wins (the run ended at its first terminal event: a FAIL between START
 *   and COMPLETE leaves the run FAILED, ended at the FAIL), ties go to FAIL over ABORT over COMPLETE; among
 *   non-terminals the latest wins, ties RUNNING over START over OTHER.
 * JobEvents and DatasetEvents that declare lineage become pseudo-runs (kind 'job-event' / 'dataset-event'),
 * COMPLETE at their event time, so one edge rule covers all three kinds of event.
 */
import type { NodeId, Provenance, Transformation } from '@lineage-hub/model';
import type { RunState } from '../lineage-store.port';

export type RunKind = 'run' | 'job-event' | 'dataset-event';

export interface ColumnDecl {
  from: NodeId;
  to: NodeId;
  transformations: Transformation[];
  /** Event time of the declaration (the latest declaration of the same pair wins). */
  at: number;
}

export interface RunFact {
  runId: string;
  kind: RunKind;
  /** The job (or, for a DatasetEvent, the dataset) whose edge group this run feeds. */
  owner: NodeId;
  startedAt: number;
  updatedAt: number;
  state: RunState;
  stateAt: number;
  inputs: NodeId[];
  outputs: NodeId[];
  columns: ColumnDecl[];
  provenance: Provenance;
  nominalStartTime: string | null;
  nominalEndTime: string | null;
  parentRunId: string | null;
  facets: Record<string, unknown>;
}

export const TERMINAL_STATES: ReadonlySet<RunState> = new Set<RunState>(['COMPLETE', 'FAIL', 'ABORT']);

const TIE_RANK: Record<RunState, number> = { NEW: 0, OTHER: 1, START: 2, RUNNING: 3, COMPLETE: 4, ABORT: 5, FAIL: 6 };

export const isTerminal = (state: RunState): boolean => TERMINAL_STATES.has(state);

export const toRunState = (eventType: unknown): RunState => {
  const type = typeof eventType === 'string' ? eventType.toUpperCase() : '';
  return (['START', 'RUNNING', 'COMPLETE', 'FAIL', 'ABORT', 'OTHER', 'NEW'] as RunState[]).includes(type as RunState)
    ? (type as RunState)
    : 'OTHER';
};

/** Positive when state a (at time aAt) wins over state b (at bAt). */
export const compareStates = (a: RunState, aAt: number, b: RunState, bAt: number): number => {
  const terminal = Number(isTerminal(a)) - Number(isTerminal(b));
  if (terminal !== 0) return terminal;
  if (aAt !== bAt) return isTerminal(a) ? bAt - aAt : aAt - bAt;
  return TIE_RANK[a] - TIE_RANK[b];
};

export const endedAt = (run: Pick<RunFact, 'state' | 'stateAt'>): number | null => (isTerminal(run.state) ? run.stateAt : null);

const PROVENANCE_RANK: Record<Provenance, number> = { declared: 0, observed: 1, manual: 2 };

const union = (a: NodeId[], b: NodeId[]): NodeId[] => {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])].sort() as NodeId[];
};

/** Declarations by (from, to): the order of the keys `from\0to` (stored ids hold no NUL: the limits refuse it). */
const byPair = (x: ColumnDecl, y: ColumnDecl): number => (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0);

const newerDecl = (a: ColumnDecl, b: ColumnDecl): ColumnDecl => {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  return JSON.stringify(a.transformations) >= JSON.stringify(b.transformations) ? a : b;
};

/** One declaration per (from, to), the newer of a pair kept, sorted: a stable sort and a fold of neighbours (no key strings). */
export const mergeColumns = (a: ColumnDecl[], b: ColumnDecl[]): ColumnDecl[] => {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const sorted = [...a, ...b].sort(byPair);
  const out: ColumnDecl[] = [sorted[0]];
  for (let i = 1; i < sorted.length; i += 1) {
    const decl = sorted[i];
    const last = out[out.length - 1];
    if (last.from === decl.from && last.to === decl.to) out[out.length - 1] = newerDecl(last, decl);
    else out.push(decl);
  }
  return out;
};

/** Merges facets: the newer side's keys win. */
const mergeFacets = (older: Record<string, unknown>, newer: Record<string, unknown>) => ({ ...older, ...newer });

/** Commutative merge of two partial views of the same run. */
export const mergeRunFacts = (a: RunFact, b: RunFact): RunFact => {
  const stateWinner = compareStates(a.state, a.stateAt, b.state, b.stateAt) >= 0 ? a : b;
  // facets: the later event's keys win (at equal times the merge order decides; facets are descriptive only)
  const [older, newer] = a.updatedAt > b.updatedAt ? [b, a] : [a, b];
  return {
    runId: a.runId,
    kind: a.kind,
    owner: a.owner,
    startedAt: Math.min(a.startedAt, b.startedAt),
    updatedAt: Math.max(a.updatedAt, b.updatedAt),
    state: stateWinner.state,
    stateAt: stateWinner.stateAt,
    inputs: union(a.inputs, b.inputs),
    outputs: union(a.outputs, b.outputs),
    columns: mergeColumns(a.columns, b.columns),
    provenance: PROVENANCE_RANK[a.provenance] <= PROVENANCE_RANK[b.provenance] ? a.provenance : b.provenance,
    nominalStartTime: newer.nominalStartTime ?? older.nominalStartTime,
    nominalEndTime: newer.nominalEndTime ?? older.nominalEndTime,
    parentRunId: newer.parentRunId ?? older.parentRunId,
    facets: mergeFacets(older.facets, newer.facets),
  };
};
