/** Alerting on the worker's /metrics: alerts by state and severity, deliveries by outcome, delivery latency. */
import { Counter, Gauge, Histogram } from 'prom-client';
import type { MetricsService } from '@lineage-hub/common';

export class AlertsMetrics {
  readonly deliveries: Counter<'receiver_kind' | 'outcome'>;
  readonly latency: Histogram<'receiver_kind'>;
  readonly evaluations: Counter<'result'>;
  private counts: Array<{ status: string; severity: string; n: number }> = [];

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.deliveries = new Counter({ name: 'lh_alert_deliveries_total', help: 'Delivery attempts by receiver kind and outcome (delivered, retry, rate-limited, rejected, dead)', labelNames: ['receiver_kind', 'outcome'], registers });
    this.latency = new Histogram({
      name: 'lh_alert_delivery_latency_seconds',
      help: 'From the notification being decided to the receiver accepting it',
      labelNames: ['receiver_kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.evaluations = new Counter({ name: 'lh_alert_evaluations_total', help: 'Alert evaluations by result', labelNames: ['result'], registers });
    const counts = () => this.counts;
    new Gauge({
      name: 'lh_alerts',
      help: 'Alerts by state and severity (as of the last evaluation)',
      labelNames: ['state', 'severity'],
      registers,
      collect() {
        this.reset();
        for (const c of counts()) this.set({ state: c.status, severity: c.severity }, c.n);
      },
    });
  }

  setCounts(counts: Array<{ status: string; severity: string; n: number }>): void {
    this.counts = counts;
  }
}
