/** Findings metrics on the shard's /metrics: open findings by kind, evaluation duration, datasets and jobs evaluated. */
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@lineage-hub/common';
import type { FindingKind } from '@lineage-hub/model';

@Injectable()
export class FindingsMetrics {
  readonly open: Gauge<'kind'>;
  readonly duration: Histogram<'mode'>;
  readonly datasets: Counter<'mode'>;
  readonly jobs: Counter<'mode'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.open = new Gauge({ name: 'lineage_findings_open', help: 'Open findings, by kind', labelNames: ['kind'] as const, registers });
    this.duration = new Histogram({
      name: 'lineage_findings_evaluation_duration_seconds',
      help: 'Findings evaluation duration, by mode (full, incremental)',
      labelNames: ['mode'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.datasets = new Counter({ name: 'lineage_findings_datasets_evaluated_total', help: 'Datasets evaluated, by mode', labelNames: ['mode'] as const, registers });
    this.jobs = new Counter({ name: 'lineage_findings_jobs_evaluated_total', help: 'Jobs evaluated, by mode', labelNames: ['mode'] as const, registers });
  }

  setOpen(counts: Partial<Record<FindingKind, number>>) {
    for (const [kind, n] of Object.entries(counts)) this.open.set({ kind }, n ?? 0);
  }
}
