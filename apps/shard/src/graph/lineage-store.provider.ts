import type { Provider } from '@nestjs/common';
import { createStore, type LineageStore } from '@lineage-hub/store';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';

export const LINEAGE_STORE = Symbol('LINEAGE_STORE');

/** Opens the store chosen by STORE_URL and migrates it (idempotent) before anything reads it. */
export const lineageStoreProvider: Provider = {
  provide: LINEAGE_STORE,
  inject: [SHARD_CONFIG],
  useFactory: async (config: ShardConfig): Promise<LineageStore> => {
    const store = await createStore(config.storeUrl);
    await store.migrate();
    return store;
  },
};
