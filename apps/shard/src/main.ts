import 'reflect-metadata';
import { ConfigError } from '@lineage-hub/common';
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
  process.stderr.write(`shard: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
