/**
 * Freshness reads and policy documents routed to one shard through the typed contract: a dataset's freshness to
 * the shard owning its namespace (NAMESPACE_DOMAINS; every shard when none owns it, or when the owner has not
 * evaluated it), and a domain's policy document to that domain's shard. A refused document comes back as the
 * shard's invalid-argument naming the field, and nothing of it applies.
 */
import { Inject, Injectable } from '@nestjs/common';
import { domainForNamespace, FindingsRpcPatterns } from '@lineage-hub/federation';
import { invalidArgument, parseFreshnessQuery, parseNodeId, type FreshnessState } from '@lineage-hub/model';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';
import { FindingsFederationService } from './findings-federation.service';

@Injectable()
export class FreshnessRoutingService {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
    private readonly federation: FindingsFederationService,
  ) {}

  async freshness(q: Record<string, unknown>) {
    const dataset = parseFreshnessQuery(q);
    const parsed = parseNodeId(dataset);
    const owner = parsed.kind === 'run' ? undefined : domainForNamespace(this.config.namespaceDomains, parsed.namespace);
    if (owner && this.registry.get(owner)) {
      const state = await this.clients.call(owner, FindingsRpcPatterns.freshness, { dataset }, this.timeoutMs());
      if (state) return { dataset, states: [{ domain: owner, ...(state as FreshnessState) }], complete: true, missingDomains: [] as string[] };
    }
    return this.federation.freshness({ dataset });
  }

  /** One domain's document (`?domain=`), or every shard's with complete/missingDomains. */
  async policies(q: Record<string, unknown>) {
    const domain = this.optionalDomain(q);
    if (domain) return { domain, ...(await this.clients.call(domain, FindingsRpcPatterns.policies, {}, this.timeoutMs())) };
    const fanned = await this.federation.fanOut(FindingsRpcPatterns.policies, {});
    const documents = fanned.answers.map((a) => ({ domain: a.domain, policies: a.body.policies })).sort((a, b) => (a.domain < b.domain ? -1 : 1));
    return { documents, complete: fanned.complete, missingDomains: fanned.missingDomains };
  }

  /** Replaces the policy document of the domain named by `?domain=` (required: each shard owns its own). */
  async putPolicies(q: Record<string, unknown>, body: unknown) {
    const domain = this.optionalDomain(q);
    if (!domain) throw invalidArgument('domain', 'is required: the domain whose policy document this replaces (?domain=)');
    return { domain, ...(await this.clients.call(domain, FindingsRpcPatterns.putPolicies, { document: body ?? null }, this.timeoutMs())) };
  }

  private optionalDomain(q: Record<string, unknown>): string | undefined {
    const domain = q.domain;
    if (domain === undefined || domain === '') return undefined;
    if (typeof domain !== 'string') throw invalidArgument('domain', 'must be one domain name');
    if (!this.registry.get(domain)) throw invalidArgument('domain', `unknown domain "${domain}" (known: ${this.registry.list().map((s) => s.domain).sort().join(', ')})`);
    return domain;
  }

  private timeoutMs(): number {
    return Math.min(this.config.shardTimeoutMs, this.config.queryBudgetMs);
  }
}
