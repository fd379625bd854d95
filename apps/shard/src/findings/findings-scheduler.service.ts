/**
 * Runs the findings evaluation: the policy file applied and a full evaluation at start, then an incremental one
 * every FINDINGS_INTERVAL_MS (0: only on demand). Needs no Redis.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { LineageStore } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { FindingsEvaluator } from './findings-evaluator.service';
import { FINDINGS_SETTINGS, type FindingsSettings } from './findings-settings.provider';

@Injectable()
export class FindingsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FindingsScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    @Inject(FINDINGS_SETTINGS) private readonly settings: FindingsSettings,
    private readonly evaluator: FindingsEvaluator,
  ) {}

  async onApplicationBootstrap() {
    if (this.settings.filePolicies) await this.store.findings.putPolicies(this.settings.filePolicies, Date.now());
    void this.tick('full');
  }

  onModuleDestroy() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async tick(mode: 'full' | 'incremental') {
    try {
      await this.evaluator.evaluate(mode);
    } catch (error) {
      this.logger.error({ msg: 'findings evaluation failed', error: (error as Error).message });
    }
    if (!this.stopped && this.settings.intervalMs > 0) this.timer = setTimeout(() => void this.tick('incremental'), this.settings.intervalMs);
  }
}
