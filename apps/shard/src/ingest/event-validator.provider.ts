import type { Provider } from '@nestjs/common';
import { createEventValidator } from '@lineage-hub/model';

export const EVENT_VALIDATOR = Symbol('EVENT_VALIDATOR');

/** The OpenLineage validator on the project's own definitions (libs/model): nothing to read from disk. */
export const eventValidatorProvider: Provider = {
  provide: EVENT_VALIDATOR,
  useFactory: () => createEventValidator(),
};
