import { existsSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import { createEventValidator, DomainError } from '@lineage-hub/model';
import { SHARD_CONFIG, type ShardConfig } from '../shard.config';

export const EVENT_VALIDATOR = Symbol('EVENT_VALIDATOR');

/** Compiles the OpenLineage schemas from OL_SPEC_DIR once, at startup. */
export const eventValidatorProvider: Provider = {
  provide: EVENT_VALIDATOR,
  inject: [SHARD_CONFIG],
  useFactory: (config: ShardConfig) => {
    if (!existsSync(config.specDir)) {
      throw new DomainError('invalid-argument', `OL_SPEC_DIR: the OpenLineage spec folder ${config.specDir} does not exist`, 'OL_SPEC_DIR');
    }
    return createEventValidator(config.specDir);
  },
};
