import { Inject, Injectable, Logger } from '@nestjs/common';
import { checkBatchLimit, checkEventLimits, DomainError, type EventValidator, invalidArgument, type ObservedWrite, parseProvenance, prepareEvent, type Provenance } from '@lineage-hub/model';
import { type IngestInput, type LineageStore, TimeSlice } from '@lineage-hub/store';
import type { IngestBatchResult, IngestRequest } from '@lineage-hub/federation';
import { AuditLog, checkEventWrite, currentViewer } from '@lineage-hub/auth';
import { domainForNamespace, type NamespaceDomainRule } from '@lineage-hub/federation';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';
import { LineageGraphService } from '../graph/lineage-graph.service';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { ShardMetrics } from '../health/shard-metrics.service';
import { EVENT_VALIDATOR } from './event-validator.provider';
import type { HttpReply } from '../http-reply';
import { parseObservedWrites } from '../observed-writes/observed-write.parser';

export interface EventWarning {
  index: number;
  warnings: string[];
}

export interface IngestResponse {
  status: 'accepted' | 'duplicate';
  seq: number;
  warnings: string[];
}

/** One refused event of a batch (OpenLineage `failed_events` item; `field` is the hub's addition). */
export interface BatchFailure {
  index: number;
  reason: string;
  retriable: boolean;
  field?: string;
}

/** The OpenLineage batch answer (the spec's shape; see IngestBatchResult in libs/federation). */
export type BatchResponse = IngestBatchResult;

type Prepared = { index: number; input: IngestInput; warnings: string[] };


/** The spec's batch answer from what happened to each event. */
export const batchAnswer = (received: number, successful: number, failed: BatchFailure[], duplicates: number, warnings: EventWarning[]): BatchResponse => {
  const retriable = failed.filter((f) => f.retriable).length;
  return {
    status: failed.length === 0 ? 'success' : 'partial_success',
    summary: { received, successful, failed: failed.length, retriable, non_retriable: failed.length - retriable },
    failed_events: failed,
    duplicates,
    warnings,
  };
};

/** The batch position a store refusal names (libs/store ingest-limits: `details.index`). */
const eventIndexOf = (err: unknown): number | undefined => {
  if (!(err instanceof DomainError)) return undefined;
  const index = (err.details as { index?: unknown } | undefined)?.index;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
};

const isEventObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates, stores (durably, one transaction per request) and indexes OpenLineage events. */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    private readonly graph: LineageGraphService,
    private readonly metrics: ShardMetrics,
    @Inject(EVENT_VALIDATOR) private readonly validator: EventValidator,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
    private readonly audit: AuditLog,
  ) {}

  /** The domain owning a namespace: the gateway's namespace map, else this shard's domain (it ingests the job). */
  private readonly domainOf = (namespace: string) => domainForNamespace(this.config.namespaceDomains ?? ([] as NamespaceDomainRule[]), namespace) ?? this.config.domain;

  /** POST /api/v1/lineage: one event. Envelope errors throw (400); invalid facets are dropped and listed. */
  async ingestOne(body: unknown, provenance: Provenance = 'declared', endpoint = 'lineage'): Promise<IngestResponse> {
    const stop = this.metrics.ingestDuration.startTimer({ endpoint });
    try {
      if (!isEventObject(body)) {
        throw invalidArgument('body', 'expected one OpenLineage event as a JSON object (send arrays to /api/v1/lineage/batch)');
      }
      const prepared = this.prepare(body, 0, provenance);
      const result = await this.graph.ingest([prepared.input]);
      const outcome = result.outcomes[0];
      this.tally(1, 0);
      this.count(endpoint, outcome.duplicate ? 'duplicate' : 'accepted', prepared.warnings.length);
      return { status: outcome.duplicate ? 'duplicate' : 'accepted', seq: outcome.seq, warnings: prepared.warnings };
    } catch (err) {
      this.refused(endpoint, err);
      throw err;
    } finally {
      stop();
    }
  }

  /**
   * POST /api/v1/lineage/batch: valid events are stored together (one transaction); invalid ones are listed with index
   * and reason (not retriable: the same event would fail again). A body that is not an array is a 400.
   */
  async ingestBatch(body: unknown, provenance: Provenance = 'declared', endpoint = 'batch'): Promise<HttpReply<BatchResponse>> {
    const stop = this.metrics.ingestDuration.startTimer({ endpoint });
    try {
      if (!Array.isArray(body)) throw invalidArgument('body', 'expected a JSON array of OpenLineage events');
      // the items-per-batch limit before any item is looked at: a 100,000-item batch is one 400, not 100,000 failures
      checkBatchLimit('body', body.length);
      const prepared: Prepared[] = [];
      const failedEvents: BatchFailure[] = [];
      const forbidden = new Set<number>();
      // validation in time slices: a large batch does not hold the reads of this shard for its whole length
      const slice = new TimeSlice();
      for (let index = 0; index < body.length; index += 1) {
        const event: unknown = body[index];
        await slice.pause();
        try {
          if (!isEventObject(event)) throw invalidArgument(`[${index}]`, 'expected an OpenLineage event object');
          prepared.push(this.prepare(event, index, provenance));
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          failedEvents.push({ index, reason: err.message, retriable: false, ...(err.field ? { field: err.field } : {}) });
          if (err.code === 'permission-denied') forbidden.add(index);
          this.metrics.ingestEvents.inc({ endpoint, result: 'rejected' });
          this.metrics.ingestErrors.inc({ endpoint, reason: err.code });
        }
      }
      let duplicates = 0;
      const stored = await this.storeEach(prepared, (index, err) => {
        failedEvents.push({ index, reason: err.message, retriable: false, ...(err.field ? { field: err.field } : {}) });
        this.metrics.ingestEvents.inc({ endpoint, result: 'rejected' });
        this.metrics.ingestErrors.inc({ endpoint, reason: err.code });
      });
      prepared.splice(0, prepared.length, ...stored.kept);
      failedEvents.sort((a, b) => a.index - b.index);
      stored.outcomes.forEach((outcome, i) => {
        if (outcome.duplicate) duplicates++;
        this.count(endpoint, outcome.duplicate ? 'duplicate' : 'accepted', prepared[i].warnings.length);
      });
      const warnings = prepared.filter((p) => p.warnings.length > 0).map((p) => ({ index: p.index, warnings: p.warnings }));
      const failed = failedEvents.length;
      // A log line stays bounded however large the batch: the first failures and the count.
      if (failed > 0) this.logger.warn({ msg: 'batch events refused', received: body.length, failed, failedEvents: failedEvents.slice(0, 20) });
      this.tally(prepared.length, failed);
      const allForbidden = failed > 0 && failedEvents.every((f) => forbidden.has(f.index));
      return { status: allForbidden ? 403 : 200, body: batchAnswer(body.length, prepared.length, failedEvents, duplicates, warnings) };
    } catch (err) {
      this.refused(endpoint, err);
      throw err;
    } finally {
      stop();
    }
  }

  /**
   * Stores the prepared events of a batch. A refusal the store pins on one event (a DomainError with
   * `details.index`: a limit, an over-long derived id, a run id of another job) fails that event alone, as the
   * spec's batch answer says, and the rest is stored without it. On the first such refusal every remaining event
   * is checked against the limits here, so a batch with many bad events costs one more pass, not one per event.
   */
  private async storeEach(prepared: Prepared[], refuse: (index: number, err: DomainError) => void) {
    let kept = prepared;
    let checkedAll = false;
    for (;;) {
      if (kept.length === 0) return { kept, outcomes: [] };
      try {
        const result = await this.graph.ingest(kept.map((p) => p.input));
        return { kept, outcomes: result.outcomes };
      } catch (err) {
        const at = eventIndexOf(err);
        if (at === undefined || at >= kept.length) throw err;
        const bad = new Set([at]);
        refuse(kept[at].index, err as DomainError);
        if (!checkedAll) {
          checkedAll = true;
          kept.forEach((p, i) => {
            if (i === at) return;
            try {
              checkEventLimits(p.input.raw);
            } catch (limit) {
              if (!(limit instanceof DomainError)) throw limit;
              bad.add(i);
              refuse(p.index, limit);
            }
          });
        }
        kept = kept.filter((_, i) => !bad.has(i));
      }
    }
  }

  /** RPC lineage.ingest: the batch outcome (the gateway picks its HTTP status); a refused request is a domain error. */
  async ingestForGateway(request: IngestRequest): Promise<IngestBatchResult> {
    return (await this.ingestBatch(request?.events, parseProvenance(request?.provenance), 'rpc')).body;
  }

  /** POST /api/v1/observed-writes: what connectors saw warehouses do (provenance `observed`). */
  async recordObservedWrites(body: unknown): Promise<{ inserted: number; duplicates: number }> {
    const writes: ObservedWrite[] = parseObservedWrites(body);
    return this.graph.serialised(() => this.store.recordObservedWrites(writes));
  }

  private prepare(event: Record<string, unknown>, index: number, provenance: Provenance): Prepared {
    const prepared = prepareEvent(event, this.validator);
    checkEventWrite(currentViewer(), prepared.input.event, this.domainOf, provenance, this.config.domain);
    const warnings = prepared.warnings.map((w) => w.message);
    const input = prepared.input;
    if (warnings.length > 0) {
      this.logger.warn({ msg: 'invalid facets dropped', index, warnings, runId: (event.run as any)?.runId });
    }
    return { index, input: { ...input, provenance }, warnings };
  }

  /** Ingest is audited per credential and domain (counts per flush), not per event. */
  private tally(events: number, refused: number) {
    const viewer = currentViewer();
    if (viewer) this.audit.tally({ actor: viewer.id, action: 'ingest', target: this.config.domain, outcome: events ? 'ok' : 'denied' }, { events, refused });
  }

  private count(endpoint: string, result: 'accepted' | 'duplicate', warnings: number) {
    this.metrics.ingestEvents.inc({ endpoint, result });
    if (warnings > 0) this.metrics.facetWarnings.inc(warnings);
  }

  private refused(endpoint: string, err: unknown) {
    const reason = err instanceof DomainError ? err.code : 'internal';
    this.metrics.ingestErrors.inc({ endpoint, reason });
    if (err instanceof DomainError && endpoint !== 'batch') this.metrics.ingestEvents.inc({ endpoint, result: 'rejected' });
  }
}
