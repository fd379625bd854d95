import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsService } from '@lineage-hub/common';

/** Federation metrics on the app's registry (served by MetricsModule at GET /metrics). */
@Injectable()
export class GatewayMetricsService {
  readonly queryDuration: Histogram<'query' | 'cache'>;
  readonly fanOut: Histogram<'query'>;
  readonly roundTrips: Histogram<'query'>;
  readonly partialAnswers: Counter<'domain'>;
  readonly routedSeeds: Counter;
  readonly falsePositives: Counter;
  readonly filterNegatives: Counter;
  readonly falsePositiveRate: Gauge;
  readonly shardUp: Gauge<'domain'>;
  readonly cache: Counter<'result'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.queryDuration = new Histogram({
      name: 'gateway_query_duration_seconds',
      help: 'Federated query latency',
      labelNames: ['query', 'cache'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.fanOut = new Histogram({
      name: 'gateway_query_fanout_messages',
      help: 'Shard messages sent per federated query',
      labelNames: ['query'],
      buckets: [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64],
      registers,
    });
    this.roundTrips = new Histogram({
      name: 'gateway_query_round_trips',
      help: 'Sequential shard rounds per federated query',
      labelNames: ['query'],
      buckets: [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20],
      registers,
    });
    this.partialAnswers = new Counter({
      name: 'gateway_partial_answers_total',
      help: 'Answers returned complete:false, by missing domain',
      labelNames: ['domain'],
      registers,
    });
    this.routedSeeds = new Counter({ name: 'gateway_filter_routed_seeds_total', help: 'Node ids sent to shards because their filter may hold them', registers });
    this.falsePositives = new Counter({ name: 'gateway_filter_false_positives_total', help: 'Routed node ids the shard did not hold', registers });
    this.filterNegatives = new Counter({ name: 'gateway_filter_negatives_total', help: 'Node ids a filter ruled out (not sent)', registers });
    this.falsePositiveRate = new Gauge({
      name: 'gateway_filter_false_positive_rate',
      help: 'False positives / (false positives + true negatives) of the membership filters, since start',
      registers,
    });
    this.shardUp = new Gauge({ name: 'gateway_shard_up', help: '1 when the shard answered its last probe', labelNames: ['domain'], registers });
    this.cache = new Counter({ name: 'gateway_cache_total', help: 'Impact cache lookups', labelNames: ['result'], registers });
  }

  recordFilterOutcome(routed: number, falsePositives: number, negatives: number): void {
    this.routedSeeds.inc(routed);
    this.falsePositives.inc(falsePositives);
    this.filterNegatives.inc(negatives);
    this.fpTotal += falsePositives;
    this.negTotal += negatives;
    const denominator = this.fpTotal + this.negTotal;
    this.falsePositiveRate.set(denominator === 0 ? 0 : this.fpTotal / denominator);
  }

  private fpTotal = 0;
  private negTotal = 0;
}
