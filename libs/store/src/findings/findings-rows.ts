/** Rows of the findings tables <-> model values. */
import type { CoverageRecord, Finding, FindingConfidence, FindingKind, FindingStatus, FreshnessState, NodeId, ObservedWrite } from '@lineage-hub/model';
import type { SqlValue } from '../sql/sql-driver';
import type { FactRun } from './findings-store.port';

type Row = Record<string, any>;

const parseJson = <T>(text: unknown, fallback: T): T => {
  if (typeof text !== 'string' || text.length === 0) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Built field by field (not by spreading optional parts): the full evaluation reads a million of these. */
export const observedWriteFromRow = (r: Row): ObservedWrite => {
  const w: ObservedWrite = { dataset: r.dataset_id, sources: parseJson(r.sources, []), writtenAt: Number(r.written_at), queryId: r.query_id, connectorId: r.connector_id };
  if (r.operation != null) w.operation = r.operation;
  if (r.actor != null) w.actor = r.actor;
  if (r.user_name != null) w.user = r.user_name;
  if (r.query_text != null) w.queryText = r.query_text;
  if (r.row_count != null) w.rows = Number(r.row_count);
  if (r.hints != null) w.hints = parseJson(r.hints, {});
  if (r.root_query_id != null) w.rootQueryId = r.root_query_id;
  return w;
};

export const FINDING_COLUMNS = ['id', 'key', 'kind', 'dataset_id', 'job_id', 'domain', 'status', 'opened_at', 'resolved_at', 'updated_at', 'confidence', 'summary', 'evidence'];

export const findingRow = (f: Finding): SqlValue[] => [
  f.id, f.key, f.kind, f.dataset ?? null, f.job ?? null, f.domain, f.status, f.openedAt, f.resolvedAt, f.updatedAt, f.confidence, f.summary, JSON.stringify(f.evidence),
];

export const findingFromRow = (r: Row): Finding => ({
  id: r.id,
  key: r.key,
  kind: r.kind as FindingKind,
  ...(r.dataset_id != null ? { dataset: r.dataset_id as NodeId } : {}),
  ...(r.job_id != null ? { job: r.job_id as NodeId } : {}),
  domain: r.domain,
  status: r.status as FindingStatus,
  openedAt: Number(r.opened_at),
  resolvedAt: num(r.resolved_at),
  updatedAt: Number(r.updated_at),
  confidence: r.confidence as FindingConfidence,
  summary: r.summary,
  evidence: parseJson(r.evidence, {}),
});

export const FRESHNESS_COLUMNS = ['dataset_id', 'state', 'source', 'status', 'last_update', 'expected_by', 'usual_gap_ms', 'updates', 'policy', 'updated_at', 'escalates_at'];

export const freshnessRow = (s: FreshnessState, at: number): SqlValue[] => [
  s.dataset, s.state, s.source, s.status, s.lastUpdate, s.expectedBy, s.usualGapMs === null ? null : Math.round(s.usualGapMs), s.updates, s.policy ? JSON.stringify(s.policy) : null, at, s.escalatesAt ?? null,
];

export const freshnessFromRow = (r: Row): FreshnessState => ({
  dataset: r.dataset_id,
  state: r.state,
  source: r.source ?? null,
  status: r.status,
  lastUpdate: num(r.last_update),
  expectedBy: num(r.expected_by),
  usualGapMs: num(r.usual_gap_ms),
  updates: Number(r.updates),
  policy: r.policy != null ? parseJson(r.policy, null) : null,
  ...(r.escalates_at != null && { escalatesAt: Number(r.escalates_at) }),
});

export const coverageFromRow = (r: Row): CoverageRecord => ({
  connectorId: r.connector_id,
  platform: r.platform,
  namespace: r.namespace,
  from: Number(r.window_from),
  to: Number(r.window_to),
  gaps: parseJson(r.gaps, []),
  recordedAt: Number(r.recorded_at),
});

const TERMINAL = new Set(['COMPLETE', 'FAIL', 'ABORT']);
const STATES = new Set(['START', 'RUNNING', 'COMPLETE', 'FAIL', 'ABORT']);

/** The ExternalQueryRunFacet's externalQueryId, if the run carries one. */
const externalQueryIds = (facetsText: unknown): string[] => {
  if (typeof facetsText !== 'string' || !facetsText.includes('externalQuery')) return [];
  const facets = parseJson<Record<string, any>>(facetsText, {});
  const id = facets.externalQuery?.externalQueryId;
  return typeof id === 'string' && id ? [id] : [];
};

export const factRunFromRow = (r: Row): FactRun => {
  const state = STATES.has(r.state) ? r.state : r.state === 'NEW' ? 'START' : 'OTHER';
  return {
    runId: r.run_id,
    job: r.owner,
    state,
    startedAt: num(r.started_at),
    endedAt: TERMINAL.has(r.state) ? Number(r.state_at) : null,
    inputs: parseJson(r.inputs, []),
    outputs: parseJson(r.outputs, []),
    externalQueryIds: externalQueryIds(r.facets),
    windowEnd: r.ended_at == null ? null : Math.max(Number(r.ended_at), r.started_at == null ? -Infinity : Number(r.started_at)),
  };
};
