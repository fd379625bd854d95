import { Injectable } from '@nestjs/common';

/** Where this shard listens, known once the servers are up (ephemeral ports in tests). */
@Injectable()
export class ShardEndpoints {
  httpUrl = '';
  rpc = { host: '127.0.0.1', port: 0 };
  /** The lean expand server's port (on the rpc host), when it runs. */
  expandPort: number | undefined = undefined;
}
