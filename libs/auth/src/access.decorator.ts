import { SetMetadata } from '@nestjs/common';
import type { AccessRule } from './role.types';

export const ACCESS_RULE = 'lineage-hub:access-rule';

/**
 * Declares who may call a route (or every route of a controller): `@Access('read')`, `@Access('admin')`...
 * The global guard denies any route without a rule, and a spec enumerates every route of every app.
 */
export const Access = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);
