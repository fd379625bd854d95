import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EventValidator, prepareEvent } from '@lineage-hub/model';
import { type DerivedVerification, type LineageStore, verifyDerived } from '@lineage-hub/store';
import { LineageGraphService } from '../graph/lineage-graph.service';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { EVENT_VALIDATOR } from '../ingest/event-validator.provider';

/**
 * POST /api/v1/audit/verify-derived (`lineage verify --derived`): rebuilds the derived tables from the event log
 * into a scratch store and compares them with the live ones (libs/store derived.verifier.ts). Ingest waits only
 * while the live rows are read; the rebuild runs beside it, up to the event that was newest then.
 */
@Injectable()
export class DerivedVerifyService {
  private readonly logger = new Logger(DerivedVerifyService.name);

  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    @Inject(EVENT_VALIDATOR) private readonly validator: EventValidator,
    private readonly graph: LineageGraphService,
  ) {}

  async verify(): Promise<DerivedVerification> {
    const started = Date.now();
    const result = await verifyDerived(this.store, {
      prepare: (raw) => prepareEvent(raw, this.validator).input,
      exclusive: (fn) => this.graph.serialised(fn),
    });
    const differing = result.tables.filter((t) => t.unbacked > 0 || t.missing > 0).map((t) => ({ table: t.table, unbacked: t.unbacked, missing: t.missing }));
    const summary = { msg: 'derived tables verified', ok: result.ok, events: result.events, unreplayable: result.unreplayable.length, differing, ms: Date.now() - started };
    if (result.ok) this.logger.log(summary);
    else this.logger.error(summary);
    return result;
  }
}
