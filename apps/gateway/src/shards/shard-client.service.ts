import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ShardClient } from '@lineage-hub/federation';

/** The gateway's ShardClient (libs/federation shard-client.ts): typed calls, one TCP connection per shard. */
@Injectable()
export class ShardClientService extends ShardClient implements OnModuleDestroy {
  onModuleDestroy(): void {
    this.close();
  }
}
