import { Inject, Injectable, Logger } from '@nestjs/common';
import { domainForNamespace, type IngestBatchResult, type IngestRequest, ShardRefusedError, ShardRpcPatterns } from '@lineage-hub/federation';
import { AuditLog, checkEventWrite, currentViewer } from '@lineage-hub/auth';
import { checkBatchLimit, checkEventLimits, DomainError, invalidArgument, parseProvenance, type Provenance } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';

export interface HttpReply {
  status: number;
  body: unknown;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One refused event of a batch, as the OpenLineage batch answer lists it (`field` and `domain` are the hub's). */
interface FailedEvent {
  index: number;
  reason: string;
  retriable: boolean;
  field?: string;
  domain?: string;
}

/**
 * Producers may post to the gateway: each event goes to the shard of the domain owning its namespace
 * (NAMESPACE_DOMAINS; the job's namespace, or the dataset's for a DatasetEvent). A batch answers like a shard's
 * (the OpenLineage batch answer): an event that cannot be routed, or that its shard refuses, fails alone; the
 * events of a shard that does not answer fail as retriable. 503 only when every event failed retriably.
 */
@Injectable()
export class IngestRouterService {
  private readonly logger = new Logger(IngestRouterService.name);

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
    private readonly audit: AuditLog,
  ) {}

  /** A writer may send only events whose job and output namespaces belong to its domains (per event). */
  private authorize(event: Record<string, any>, routedDomain: string, provenance: Provenance): void {
    checkEventWrite(currentViewer(), event, (namespace) => domainForNamespace(this.config.namespaceDomains, namespace) ?? routedDomain, provenance);
  }

  private tally(domain: string, events: number, refused: number) {
    const viewer = currentViewer();
    if (viewer) this.audit.tally({ actor: viewer.id, action: 'ingest', target: domain, outcome: events ? 'ok' : 'denied', domain }, { events, refused });
  }

  /** POST /api/v1/lineage */
  async one(body: unknown, provenanceHeader?: string): Promise<HttpReply> {
    const provenance = parseProvenance(provenanceHeader);
    if (!isObject(body)) throw invalidArgument('body', 'expected one OpenLineage event as a JSON object (send arrays to /api/v1/lineage/batch)');
    // the limits (lengths, NULs, nesting) before routing: an event the shard would refuse is not sent to it at all
    checkEventLimits(body);
    const domain = this.route(body, 'body');
    try {
      this.authorize(body, domain, provenance);
    } catch (error) {
      this.tally(domain, 0, 1);
      throw error;
    }
    const result = await this.send(domain, [body], provenance);
    this.tally(domain, 1, 0);
    const failure = result.failed_events[0];
    if (failure) {
      if (failure.retriable) throw new DomainError('unavailable', failure.reason);
      throw new DomainError('invalid-event', failure.reason, failure.field);
    }
    return { status: 200, body: { status: result.duplicates > 0 ? 'duplicate' : 'accepted', domain, warnings: result.warnings[0]?.warnings ?? [] } };
  }

  /** POST /api/v1/lineage/batch: one message per owning domain; one answer in the OpenLineage batch shape. */
  async batch(body: unknown, provenanceHeader?: string): Promise<HttpReply> {
    const provenance = parseProvenance(provenanceHeader);
    if (!Array.isArray(body)) throw invalidArgument('body', 'expected a JSON array of OpenLineage events');
    // the items-per-batch limit before any item is looked at: a 100,000-item batch is one 400, not 100,000 failures
    checkBatchLimit('body', body.length);
    const groups = new Map<string, { events: unknown[]; indexes: number[] }>();
    const failed: FailedEvent[] = [];
    let forbidden = 0;
    body.forEach((event, index) => {
      try {
        if (!isObject(event)) throw invalidArgument(`[${index}]`, 'expected an OpenLineage event object');
        checkEventLimits(event);
        const domain = this.route(event, `[${index}]`);
        try {
          this.authorize(event, domain, provenance);
        } catch (error) {
          if (error instanceof DomainError && error.code === 'permission-denied') {
            forbidden++;
            this.tally(domain, 0, 1);
          }
          throw error;
        }
        const group = groups.get(domain) ?? { events: [], indexes: [] };
        group.events.push(event);
        group.indexes.push(index);
        groups.set(domain, group);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        failed.push({ index, reason: error.message, retriable: error.code === 'unavailable', ...(error.field ? { field: error.field } : {}) });
      }
    });
    const outcomes = await Promise.all(
      [...groups].map(async ([domain, group]) => {
        try {
          const result = await this.send(domain, group.events, provenance);
          const failedHere: FailedEvent[] = result.failed_events.map((f) => ({ ...f, index: group.indexes[f.index] ?? f.index, domain }));
          const warnings = result.warnings.map((w) => ({ ...w, index: group.indexes[w.index] ?? w.index }));
          return { domain, successful: result.summary.successful, duplicates: result.duplicates, warnings, failed: failedHere };
        } catch (error) {
          // A shard that answered with a refusal is not unavailable: its events are failed events (a 4xx), not a 503.
          const refused = error instanceof ShardRefusedError && error.code !== 'internal';
          if (refused) {
            const reason = (error as Error).message;
            const failedHere: FailedEvent[] = group.indexes.map((index) => ({ index, domain, reason, retriable: false, ...(error.field ? { field: error.field } : {}) }));
            return { domain, successful: 0, duplicates: 0, warnings: [] as Array<{ index: number; warnings: string[] }>, failed: failedHere };
          }
          // the cause stays in the log: a client learns only that the shard did not answer (retriable)
          this.logger.warn({ msg: 'routed batch failed', domain, error: (error as Error).message });
          const reason = `shard "${domain}" did not answer; retry later`;
          const failedHere: FailedEvent[] = group.indexes.map((index) => ({ index, reason, retriable: true, domain }));
          return { domain, successful: 0, duplicates: 0, warnings: [] as Array<{ index: number; warnings: string[] }>, failed: failedHere };
        }
      }),
    );
    const allFailed = [...failed, ...outcomes.flatMap((o) => o.failed)].sort((a, b) => a.index - b.index);
    const successful = outcomes.reduce((n, o) => n + o.successful, 0);
    for (const o of outcomes) this.tally(o.domain, o.successful, 0);
    const retriable = allFailed.filter((f) => f.retriable).length;
    const answer = {
      status: allFailed.length === 0 ? 'success' : 'partial_success',
      summary: { received: body.length, successful, failed: allFailed.length, retriable, non_retriable: allFailed.length - retriable },
      failed_events: allFailed,
      duplicates: outcomes.reduce((n, o) => n + o.duplicates, 0),
      warnings: outcomes.flatMap((o) => o.warnings).sort((a: { index: number }, b: { index: number }) => a.index - b.index),
      domains: outcomes.map((o) => ({ domain: o.domain, successful: o.successful, failed: o.failed.length })),
    };
    const everyEventRetriable = body.length > 0 && successful === 0 && retriable === allFailed.length;
    const allForbidden = forbidden > 0 && forbidden === allFailed.length && successful === 0;
    return { status: everyEventRetriable ? 503 : allForbidden ? 403 : 200, body: answer };
  }

  private route(event: Record<string, any>, at: string): string {
    const namespace = event.job?.namespace ?? event.dataset?.namespace;
    const field = event.job ? `${at}.job.namespace` : `${at}.dataset.namespace`;
    if (typeof namespace !== 'string' || !namespace) throw invalidArgument(field, 'is required to route the event to its domain');
    const domain = domainForNamespace(this.config.namespaceDomains, namespace) ?? this.onlyDomain();
    if (!domain) throw invalidArgument(field, `no domain owns namespace "${namespace}"; add it to NAMESPACE_DOMAINS (namespace=domain)`);
    if (!this.registry.get(domain)) throw new DomainError('unavailable', `domain "${domain}" (for namespace "${namespace}") has no registered shard`, field);
    return domain;
  }

  /** With a single shard there is nothing to choose. */
  private onlyDomain(): string | undefined {
    const shards = this.registry.list();
    return shards.length === 1 ? shards[0].domain : undefined;
  }

  /** The shard's batch outcome; a refused request is a ShardRefusedError, a silent shard a ShardUnavailableError. */
  private async send(domain: string, events: unknown[], provenance: Provenance): Promise<IngestBatchResult> {
    const request: IngestRequest = { events, ...(provenance === 'declared' ? {} : { provenance }) };
    const result = await this.clients.call(domain, ShardRpcPatterns.ingest, request, Math.max(this.config.shardTimeoutMs, 30_000));
    // Read-your-writes through the gateway: its view of the shard (version, filter) is current before the 2xx.
    await this.registry.ensureFresh(domain).catch(() => undefined);
    return result;
  }
}
