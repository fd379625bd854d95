import { DomainError } from '@lineage-hub/model';

/** No credential, or one that does not verify (expired, revoked, bad signature, wrong audience): 401 at the edge. */
export const unauthenticated = (message = 'a valid credential is required') => new DomainError('unauthenticated', message);

/** A valid credential whose roles do not allow the action: 403 at the edge. */
export const permissionDenied = (message: string, field?: string) => new DomainError('permission-denied', message, field);

/** Too many requests for one credential: 429 at the edge, with Retry-After. */
export const rateLimited = (retryAfterSeconds: number) =>
  new DomainError('rate-limited', `rate limit exceeded; retry after ${retryAfterSeconds} s`, undefined, { retryAfterSeconds });
