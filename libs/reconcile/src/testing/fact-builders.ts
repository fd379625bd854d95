/** Small builders for table-driven rule specs. */
import type { NodeId } from '@lineage-hub/model';
import type { RunFact, WriteFact } from '../reconcile.types';

export const H = 3_600_000;
export const M = 60_000;
/** Monday 2026-11-02 00:00 UTC. */
export const MONDAY = Date.UTC(2026, 10, 2);

export const ds = (name: string, ns = 'snowflake://acme'): NodeId => `dataset:${ns}:${name}` as NodeId;
export const jb = (name: string, ns = 'airflow'): NodeId => `job:${ns}:${name}` as NodeId;

export const write = (over: Partial<WriteFact> & { dataset: NodeId; at: number }): WriteFact => ({
  queryId: `q-${over.dataset}-${over.at}`,
  connectorId: 'sf-1',
  sources: [],
  operation: 'INSERT',
  ...over,
});

export const run = (over: Partial<RunFact> & { runId: string; job: NodeId }): RunFact => ({
  state: 'COMPLETE',
  startedAt: 0,
  endedAt: 10 * M,
  inputs: [],
  outputs: [],
  externalQueryIds: [],
  ...over,
});
