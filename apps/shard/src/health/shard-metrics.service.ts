import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@lineage-hub/common';
import { LineageGraphService } from '../graph/lineage-graph.service';

export type IngestResultLabel = 'accepted' | 'duplicate' | 'rejected';

/** The shard's own Prometheus metrics, on the app registry served at /metrics. */
@Injectable()
export class ShardMetrics {
  readonly ingestEvents: Counter<'endpoint' | 'result'>;
  readonly ingestDuration: Histogram<'endpoint'>;
  readonly ingestErrors: Counter<'endpoint' | 'reason'>;
  readonly facetWarnings: Counter;

  constructor(metrics: MetricsService, graph: LineageGraphService) {
    const registers = [metrics.registry];
    this.ingestEvents = new Counter({
      name: 'lineage_ingest_events_total',
      help: 'OpenLineage events received, by endpoint and result (accepted, duplicate, rejected)',
      labelNames: ['endpoint', 'result'] as const,
      registers,
    });
    this.ingestDuration = new Histogram({
      name: 'lineage_ingest_duration_seconds',
      help: 'Ingest request latency (validation, durable store write, index update)',
      labelNames: ['endpoint'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.ingestErrors = new Counter({
      name: 'lineage_ingest_errors_total',
      help: 'Ingest requests or events refused, by reason (invalid-event, invalid-argument, payload-too-large, internal...)',
      labelNames: ['endpoint', 'reason'] as const,
      registers,
    });
    this.facetWarnings = new Counter({
      name: 'lineage_ingest_facet_warnings_total',
      help: 'Facets that failed their schema and were dropped from stored events',
      registers,
    });
    const stat = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          try {
            this.set(read());
          } catch {
            // graph not loaded yet
          }
        },
      });
    stat('lineage_ingest_commits', 'Store commits of ingest since start (group commit: concurrent requests share one)', () => graph.commitStats().commits);
    stat('lineage_ingest_commit_events', 'Events in the store commits of ingest since start (divided by commits: the mean group size)', () => graph.commitStats().events);
    stat('lineage_graph_version', 'Highest event sequence applied to the in-memory graph', () => graph.version);
    stat('lineage_graph_nodes', 'Nodes in the in-memory lineage graph', () => graph.stats().nodes);
    stat('lineage_graph_edges', 'Edges (dataset-job and column) in the in-memory lineage graph', () => graph.stats().edges);
  }
}
