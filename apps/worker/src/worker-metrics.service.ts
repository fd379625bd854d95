/** Connector metrics on the app's prom-client registry: runs, failures, rate-limit waits, lag behind now. */
import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsService } from '@lineage-hub/common';

@Injectable()
export class WorkerMetrics {
  readonly runs: Counter<'connector' | 'kind' | 'state'>;
  readonly failures: Counter<'connector' | 'kind' | 'code'>;
  readonly rateLimitWaits: Counter<'connector' | 'account'>;
  readonly rateLimitWaitSeconds: Counter<'connector' | 'account'>;
  readonly requests: Counter<'connector'>;
  readonly rowsRead: Counter<'connector'>;
  readonly events: Counter<'connector'>;
  readonly observedWrites: Counter<'connector'>;
  readonly gaps: Counter<'connector' | 'kind'>;
  readonly lag: Gauge<'connector'>;
  /** connector -> watermark (epoch ms), read when /metrics is scraped. */
  private readonly watermarks = new Map<string, number>();

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.runs = new Counter({ name: 'lh_connector_runs_total', help: 'Connector runs finished, by final state', labelNames: ['connector', 'kind', 'state'], registers });
    this.failures = new Counter({ name: 'lh_connector_run_failures_total', help: 'Connector run attempts that failed, by neutral error code', labelNames: ['connector', 'kind', 'code'], registers });
    this.rateLimitWaits = new Counter({ name: 'lh_connector_rate_limit_waits_total', help: 'Times a request waited because the vendor said slow down', labelNames: ['connector', 'account'], registers });
    this.rateLimitWaitSeconds = new Counter({ name: 'lh_connector_rate_limit_wait_seconds_total', help: 'Seconds requests waited on vendor throttling', labelNames: ['connector', 'account'], registers });
    this.requests = new Counter({ name: 'lh_connector_requests_total', help: 'Vendor requests sent through the shared limiter', labelNames: ['connector'], registers });
    this.rowsRead = new Counter({ name: 'lh_connector_rows_read_total', help: 'Rows read from vendor sources', labelNames: ['connector'], registers });
    this.events = new Counter({ name: 'lh_connector_events_total', help: 'OpenLineage events produced', labelNames: ['connector'], registers });
    this.observedWrites = new Counter({ name: 'lh_connector_observed_writes_total', help: 'Observed writes produced', labelNames: ['connector'], registers });
    this.gaps = new Counter({ name: 'lh_connector_coverage_gaps_total', help: 'Coverage gaps recorded (windows not read, caps hit, retention passed)', labelNames: ['connector', 'kind'], registers });
    const watermarks = this.watermarks;
    this.lag = new Gauge({
      name: 'lh_connector_lag_seconds',
      help: 'How far the connector cursor is behind now',
      labelNames: ['connector'],
      registers,
      collect() {
        this.reset();
        for (const [connector, watermark] of watermarks) this.set({ connector }, Math.max(0, (Date.now() - watermark) / 1000));
      },
    });
  }

  watermark(connector: string, watermark: number | null) {
    if (watermark === null) this.watermarks.delete(connector);
    else this.watermarks.set(connector, watermark);
  }
}
