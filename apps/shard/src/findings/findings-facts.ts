/** Store rows -> the plain facts libs/reconcile reads. */
import type { ObservedWrite } from '@lineage-hub/model';
import type { WriteFact } from '@lineage-hub/reconcile';

/** Built field by field (not by spreading optional parts): the full evaluation maps a million of these. */
export const writeFact = (w: ObservedWrite): WriteFact => {
  const f: WriteFact = { dataset: w.dataset, at: w.writtenAt, queryId: w.queryId, connectorId: w.connectorId, sources: w.sources ?? [] };
  if (w.operation !== undefined) f.operation = w.operation;
  const actor = w.actor ?? w.user;
  if (actor !== undefined) f.actor = actor;
  if (w.queryText !== undefined) f.queryText = w.queryText;
  if (w.rows !== undefined) f.rows = w.rows;
  if (w.hints !== undefined) f.hints = w.hints;
  if (w.rootQueryId !== undefined) f.rootQueryId = w.rootQueryId;
  return f;
};
