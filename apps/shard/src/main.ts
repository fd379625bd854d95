import 'reflect-metadata';
import { ConfigError } from '@lineage-hub/common';
import { DomainError } from '@lineage-hub/model';
import { loadShardConfig } from './shard.config';
import { startShard } from './shard-app';

async function main() {
  let config;
  try {
    config = loadShardConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`shard: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const shard = await startShard(config);
  const stop = (signal: string) => {
    process.stderr.write(`shard: ${signal}, shutting down\n`);
    shard.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  // A domain error (bad STORE_URL, unreachable database, missing spec folder) says all it needs to.
  const text = err instanceof DomainError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`shard: failed to start: ${text}\n`);
  process.exit(1);
});
