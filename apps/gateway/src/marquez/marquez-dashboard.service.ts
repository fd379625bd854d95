import { Inject, Injectable } from '@nestjs/common';
import { domainForNamespace, type ShardRequest, ShardRpcPatterns as P, type StatsInterval, type StatsKind } from '@lineage-hub/federation';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { invalidArgument, queryParams as qp } from '@lineage-hub/model';
import { ShardFanOut } from './shard-fan-out.service';

/** The raw query string: a repeated parameter is an array, refused by the qp helpers. */
type Query = Record<string, unknown>;

const STATS_KINDS: readonly StatsKind[] = ['lineage-events', 'jobs', 'datasets', 'sources'];
const COUNTS = ['count', 'start', 'complete', 'fail', 'abort'] as const;
/** As the shards: OpenSearch's default page for Marquez's v2beta search. */
const SEARCH_HITS = 10;

/**
 * The Marquez reads behind the web UI's home page and search box, federated: the dashboard's stats (each bucket
 * summed over the shards), v2beta search (hits of every shard, one per job or dataset), and the tag list.
 * A shard that does not answer is left out of the sums; the shards validate every parameter (a bad one is a 400).
 */
@Injectable()
export class MarquezDashboardService {
  constructor(
    private readonly fan: ShardFanOut,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** GET /api/v1/stats/{kind}: Marquez answers a bare list, so the gateway does too (missing shards are not named). */
  async stats(kind: string, q: Query): Promise<StatsInterval[]> {
    const known = STATS_KINDS.find((k) => k === kind);
    if (!known) throw invalidArgument('kind', `must be one of ${STATS_KINDS.join(', ')}, got "${kind}"`);
    const request = { kind: known, period: qp.optionalString(q, 'period'), timezone: qp.optionalString(q, 'timezone') } as ShardRequest<typeof P.stats>;
    const answers = this.fan.ok(await this.fan.ask(P.stats, request));
    const byStart = new Map<string, StatsInterval>();
    for (const answer of answers) {
      for (const interval of answer.body.intervals ?? []) {
        const known = byStart.get(interval.startInterval);
        if (!known) {
          byStart.set(interval.startInterval, { ...interval });
          continue;
        }
        for (const field of COUNTS) if (interval[field] !== undefined) known[field] = (known[field] ?? 0) + (interval[field] as number);
      }
    }
    return [...byStart.values()].sort((a, b) => Date.parse(a.startInterval) - Date.parse(b.startInterval));
  }

  /** GET /api/v2beta/search/{jobs|datasets}?q=: Marquez's `{hits, highlights}`, a job or dataset held by several shards once. */
  async searchV2(index: string, q: Query) {
    if (index !== 'jobs' && index !== 'datasets') throw invalidArgument('index', `must be jobs or datasets, got "${index}"`);
    const text = qp.requiredString(q, 'q');
    if (!text.trim()) throw invalidArgument('q', 'must not be blank');
    const fanned = await this.fan.ask(P.searchV2, { q: text, index });
    // one document per job or dataset: the owning domain's (NAMESPACE_DOMAINS) when it has one, else the first found
    const byKey = new Map<string, { hit: Record<string, unknown>; highlight: Record<string, string[]>; owned: boolean }>();
    for (const answer of this.fan.ok(fanned)) {
      answer.body.hits.forEach((hit, i) => {
        const key = `${hit.namespace}\u0000${hit.name}`;
        const owned = domainForNamespace(this.config.namespaceDomains, String(hit.namespace)) === answer.domain;
        const known = byKey.get(key);
        if (!known || (owned && !known.owned)) byKey.set(key, { hit, highlight: answer.body.highlights[i] ?? {}, owned });
      });
    }
    const kept = [...byKey.values()].slice(0, SEARCH_HITS);
    return { hits: kept.map((k) => k.hit), highlights: kept.map((k) => k.highlight), ...this.fan.completeness(fanned) };
  }

  /** GET /api/v1/tags: every shard's tags, once each by name. */
  async tags() {
    const fanned = await this.fan.ask(P.tags, {});
    const byName = new Map<string, Record<string, unknown>>();
    for (const answer of this.fan.ok(fanned)) for (const tag of answer.body.tags ?? []) if (typeof tag.name === 'string' && !byName.has(tag.name)) byName.set(tag.name, tag);
    return { tags: [...byName.values()].sort((a, b) => String(a.name).localeCompare(String(b.name))), ...this.fan.completeness(fanned) };
  }
}
