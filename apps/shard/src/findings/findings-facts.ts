/** Store rows -> the plain facts libs/reconcile reads. */
import type { ObservedWrite } from '@lineage-hub/model';
import type { WriteFact } from '@lineage-hub/reconcile';

export const writeFact = (w: ObservedWrite): WriteFact => ({
  dataset: w.dataset,
  at: w.writtenAt,
  ...(w.operation !== undefined && { operation: w.operation }),
  ...((w.actor ?? w.user) !== undefined && { actor: w.actor ?? w.user }),
  queryId: w.queryId,
  ...(w.queryText !== undefined && { queryText: w.queryText }),
  ...(w.rows !== undefined && { rows: w.rows }),
  connectorId: w.connectorId,
  sources: w.sources ?? [],
  ...(w.hints !== undefined && { hints: w.hints }),
});
