import { Inject, Injectable } from '@nestjs/common';
import { invalidArgument } from '@lineage-hub/model';
import { domainForNamespace, type StatsInterval, type StatsKind } from '@lineage-hub/federation';
import type { LineageStore } from '@lineage-hub/store';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';
import { iso } from './marquez.mapper';
import { oneOf, optionalString, type QueryParams } from './query-params';
import { checkTimeZone, statsBoundaries } from './stats-buckets';

export const STATS_KINDS: readonly StatsKind[] = ['lineage-events', 'jobs', 'datasets', 'sources'];

/**
 * Marquez's dashboard series (`GET /api/v1/stats/{lineage-events|jobs|datasets|sources}?period=DAY|WEEK&timezone=`):
 * per bucket (stats-buckets.ts), lineage-events counts OpenLineage events by type (Marquez's LineageMetric
 * `{startInterval, endInterval, fail, start, complete, abort}`), the others how many jobs, datasets or sources
 * existed by its end (IntervalMetric `{startInterval, endInterval, count}`). As Marquez: a missing or unknown
 * period, and WEEK without a time zone, are refused. datasets and sources count only datasets whose namespace
 * NAMESPACE_DOMAINS gives to this shard's domain, or to no domain: a dataset of another domain that this shard merely
 * reads is that domain's to count, so the gateway's sum over shards counts each dataset once.
 */
@Injectable()
export class MarquezStatsService {
  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
  ) {}

  async stats(kind: string, query: QueryParams): Promise<StatsInterval[]> {
    const known = STATS_KINDS.find((k) => k === kind);
    if (!known) throw invalidArgument('kind', `must be one of ${STATS_KINDS.join(', ')}, got "${kind}"`);
    if (optionalString(query, 'period') === undefined) throw invalidArgument('period', 'is required: DAY or WEEK');
    const period = oneOf(query, 'period', ['DAY', 'WEEK'] as const, 'DAY');
    const tz = optionalString(query, 'timezone');
    if (period === 'WEEK' && tz === undefined) throw invalidArgument('timezone', "must be given for period WEEK (an IANA time zone such as \"UTC\")");
    const boundaries = statsBoundaries(period, Date.now(), period === 'WEEK' ? checkTimeZone(tz as string) : 'UTC');
    const interval = (i: number) => ({ startInterval: iso(boundaries[i]) as string, endInterval: iso(boundaries[i + 1]) as string });
    if (known === 'lineage-events') {
      const counts = await this.store.eventTypeCounts(boundaries);
      return counts.map((c, i) => ({ ...interval(i), fail: c.fail, start: c.start, complete: c.complete, abort: c.abort }));
    }
    const counts = await this.store.createdCounts(known, boundaries, { datasetNamespace: (ns) => this.ownsOrUnassigned(ns) });
    return counts.map((count, i) => ({ ...interval(i), count }));
  }

  /** True unless NAMESPACE_DOMAINS gives the namespace to another domain. */
  private ownsOrUnassigned(namespace: string): boolean {
    const owner = domainForNamespace(this.config.namespaceDomains, namespace);
    return owner === undefined || owner === this.config.domain;
  }
}
