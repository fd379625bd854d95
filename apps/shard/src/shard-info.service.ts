import { Inject, Injectable } from '@nestjs/common';
import type { ShardInfo, VersionResponse } from '@lineage-hub/federation';
import { LineageGraphService } from './lineage-graph.service';
import { SHARD_CONFIG, type ShardConfig } from './shard.config';
import { ShardEndpoints } from './shard-endpoints';

@Injectable()
export class ShardInfoService {
  constructor(
    private readonly graph: LineageGraphService,
    private readonly endpoints: ShardEndpoints,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
  ) {}

  version(): VersionResponse {
    return { domain: this.config.domain, version: this.graph.version };
  }

  async info(): Promise<ShardInfo> {
    return {
      domain: this.config.domain,
      httpUrl: this.endpoints.httpUrl,
      rpc: this.endpoints.rpc,
      version: this.graph.version,
      stats: await this.graph.store.stats(),
    };
  }
}
