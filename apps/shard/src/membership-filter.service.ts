import { Inject, Injectable } from '@nestjs/common';
import { buildMembershipFilter, type FilterResponse } from '@lineage-hub/federation';
import { LineageGraphService } from './lineage-graph.service';
import { SHARD_CONFIG, type ShardConfig } from './shard.config';

/** The Bloom filter of every node id this shard holds; rebuilt when the graph version changes, cached otherwise. */
@Injectable()
export class MembershipFilterService {
  private cached: FilterResponse | null = null;

  constructor(
    private readonly graph: LineageGraphService,
    @Inject(SHARD_CONFIG) private readonly config: ShardConfig,
  ) {}

  current(): FilterResponse {
    const version = this.graph.version;
    if (this.cached?.version !== version) {
      this.cached = { domain: this.config.domain, version, filter: buildMembershipFilter(this.graph.nodeIds()) };
    }
    return this.cached;
  }
}
