import type { LineageStore } from '@lineage-hub/store';
import { Inject, Injectable } from '@nestjs/common';
import type { ShardInfo, VersionResponse } from '@lineage-hub/federation';
import { LineageGraphService } from '../graph/lineage-graph.service';
import { LINEAGE_STORE } from '../graph/lineage-store.provider';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';
import { ShardEndpoints } from '../shard-endpoints';

@Injectable()
export class ShardInfoService {
  constructor(
    @Inject(LINEAGE_STORE) private readonly store: LineageStore,
    private readonly graph: LineageGraphService,
    private readonly endpoints: ShardEndpoints,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
  ) {}

  version(): VersionResponse {
    const { expandPort } = this.endpoints;
    return { domain: this.config.domain, version: this.graph.version, ...(expandPort ? { expandPort } : {}) };
  }

  async info(): Promise<ShardInfo> {
    return {
      domain: this.config.domain,
      httpUrl: this.endpoints.httpUrl,
      rpc: this.endpoints.rpc,
      version: this.graph.version,
      ...(this.endpoints.expandPort ? { expandPort: this.endpoints.expandPort } : {}),
      stats: await this.store.stats(),
    };
  }
}
