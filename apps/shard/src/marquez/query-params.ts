/** The shard's query-parameter helpers: libs/model's, shared with the gateway so both refuse the same. */
import { queryParams } from '@lineage-hub/model';

export type { QueryParams } from '@lineage-hub/model';
export const { optionalString, requiredString, integer, boolean, oneOf, parseTime, optionalTime, nodeIdParam, page } = queryParams;
