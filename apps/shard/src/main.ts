import 'reflect-metadata';
import { runApp } from '@lineage-hub/common';
import { DomainError } from '@lineage-hub/model';
import { loadShardConfig } from './shard.config';
import { startShard } from './shard-app';

runApp('shard', {
  loadConfig: loadShardConfig,
  start: startShard,
  // A domain error (bad STORE_URL, unreachable database, missing spec folder) says all it needs to.
  explain: (err) => (err instanceof DomainError ? `failed to start: ${err.message}` : null),
});
