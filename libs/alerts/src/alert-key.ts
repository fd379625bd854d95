import { createHash } from 'node:crypto';

/** The stable key of an alert: what went wrong (kind), where (asset node id), by which rule. */
export const alertKey = (kind: string, asset: string, rule: string): string => `${kind}|${asset}|${rule}`;

/** The alert id for a key: the same key always gives the same id (deduplication across restarts). */
export const alertId = (key: string): string => `al_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
