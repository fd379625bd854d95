/**
 * Worker -> shard messages: what a connector run observed, delivered to the shard of the instance's domain over
 * the same typed transport as every other shard message (ShardClient). OpenLineage events go through
 * `lineage.ingest` with provenance `observed`; observed writes and coverage records have a message each. The
 * shard validates every request whole (the first bad field refuses it: invalid-argument naming the field) and
 * both writes are idempotent (the same write or record again changes nothing), so a re-delivered batch
 * duplicates nothing.
 */
import type { CoverageRecord, ObservedWrite } from '@lineage-hub/model';

export const DeliveryRpcPatterns = {
  /** ObservedWritesRecordRequest -> RecordedCount */
  observedWrites: 'observed-writes.record',
  /** CoverageRecordRequest -> RecordedCount: what a connector run covered, complete or with its gaps (reconciliation facts). */
  coverage: 'coverage.record',
} as const;

export interface ObservedWritesRecordRequest {
  writes: ObservedWrite[];
}

/** `recordedAt` may be left out: the shard stamps its own time. */
export interface CoverageRecordRequest {
  records: Array<Omit<CoverageRecord, 'recordedAt'> & { recordedAt?: number }>;
}

export interface RecordedCount {
  inserted: number;
  duplicates: number;
}
