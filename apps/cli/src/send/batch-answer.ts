/**
 * A batch answer in either shape the hub has given: the OpenLineage spec's `{status, summary: {received, successful,
 * failed, retriable, non_retriable}, failed_events: [{index, reason, retriable}]}` and the earlier
 * `{successful, duplicates, failed, failedEvents: [{index, reason, field}]}`.
 */
export interface EventFailure {
  index: number;
  reason: string;
  retriable: boolean;
}

export interface BatchOutcome {
  stored: number;
  duplicates: number;
  failures: EventFailure[];
}

export const readBatchAnswer = (body: any, sent: number): BatchOutcome => {
  const perEvent = body?.failed_events ?? body?.failedEvents;
  const counted = body?.summary?.successful ?? body?.successful;
  if (perEvent === undefined && counted === undefined) {
    // refused whole (an error answer): no event of the batch was stored
    const reason = `batch refused: ${body?.message ?? body?.error ?? 'no reason given'}${body?.field ? ` (field ${body.field})` : ''}`;
    return { stored: 0, duplicates: 0, failures: Array.from({ length: sent }, (_, index) => ({ index, reason, retriable: false })) };
  }
  const raw: any[] = perEvent ?? [];
  const failures = raw.map((f) => ({ index: Number(f.index), reason: String(f.reason ?? f.message ?? 'failed') + (f.field ? ` (field ${f.field})` : ''), retriable: f.retriable === true }));
  const duplicates = Number(body?.duplicates ?? body?.summary?.duplicates ?? 0) || 0;
  const successful = body?.summary?.successful ?? body?.successful;
  const stored = typeof successful === 'number' ? successful : sent - failures.length;
  return { stored: Math.max(0, stored), duplicates, failures };
};
