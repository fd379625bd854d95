import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { SERVICE_TOKEN } from '@lineage-hub/auth';
import { ShardClient } from '@lineage-hub/federation';

/** The gateway's ShardClient (libs/federation shard-client.ts): typed calls, one TCP connection per shard. */
@Injectable()
export class ShardClientService extends ShardClient implements OnModuleDestroy {
  constructor(@Optional() @Inject(SERVICE_TOKEN) serviceToken: string | null = null) {
    super();
    this.credential = serviceToken;
  }

  onModuleDestroy(): void {
    this.close();
  }
}
