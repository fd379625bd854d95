import { Injectable } from '@nestjs/common';
import { ShardClientService } from '../shards/shard-client.service';
import { ShardRegistryService } from '../shards/shard-registry.service';

/** The gateway is up when it answers; `degraded` when a known shard is not. */
@Injectable()
export class GatewayHealthService {
  constructor(
    private readonly registry: ShardRegistryService,
    private readonly clients: ShardClientService,
  ) {}

  health() {
    const shards = this.registry.list().map((s) => ({
      domain: s.domain,
      state: s.state,
      address: `${s.host}:${s.port}`,
      httpUrl: s.httpUrl ?? null,
      source: s.source,
      version: s.version,
      filterVersion: s.filterVersion,
      filterItems: s.filter.items,
      /** How expand reaches the shard now: its lean port (binary frames) or the Nest pattern. */
      expand: this.clients.expandsLean(s.domain) ? 'lean' : 'rpc',
      lastSeenAt: s.lastSeenAt === null ? null : new Date(s.lastSeenAt).toISOString(),
      error: s.lastError,
    }));
    const allUp = shards.every((s) => s.state === 'up');
    return { status: shards.length > 0 && allUp ? 'ok' : 'degraded', service: 'gateway', shards };
  }
}
